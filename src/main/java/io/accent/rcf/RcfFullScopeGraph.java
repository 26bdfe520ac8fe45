package io.accent.rcf;

import static io.accent.tf.Float64Tensors.constant;
import static io.accent.tf.Float64Tensors.read;

import io.accent.influence.Curvature;
import io.accent.tf.ParameterSet;
import io.accent.tf.SecondOrderGradients;
import io.accent.tf.TfSessions;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Float64 TensorFlow graph of RCF's wider influence scope (docs/SPEC.md §11.3): the whole score of
 * §4.3, item-level attention included, as a function of one parameter vector θ per slot,
 *
 * <pre>
 *   θ = [ e_u (H) | R (T·H, row-major) | V_1[v] for the user's kind-1 values | … | V_K[v] … ]
 * </pre>
 *
 * with every other weight a constant. Value embeddings enter the attention logits of the entries
 * that carry them, so unlike the embeddings scope's graph the attention is part of what is
 * differentiated. Each kind's value table of a call is the slots' own rows of θ (slot s, local
 * value x at index s·m_t + x), then the fed rows of values outside θ (at S·m_t + x, used by target
 * lists only), then the zero pad row.
 *
 * <p>Outputs, all for a batch of slots and score rows (each row belongs to one slot): the scores,
 * per slot the gradient of Σ ℓ over the BPR pairs given, and per slot the curvature product of that
 * sum with a direction: exact (double backprop) or Gauss-Newton (Σ_z σ(1−σ)·∇d_z ∇d_zᵀ v with d_z =
 * ŷ(pos) − ŷ(neg), J v by the double-backward trick).
 */
final class RcfFullScopeGraph implements AutoCloseable {

    private final int h;
    private final int types;
    private final Graph graph;
    private final Session session;

    private final Placeholder<TFloat64> theta;
    private final Placeholder<TFloat64> dirs;
    private final Placeholder<TInt32> rowSlot;
    private final Placeholder<TInt32> targets;
    private final List<Placeholder<TInt32>> rows = new ArrayList<>();
    private final List<Placeholder<TInt32>> items = new ArrayList<>();
    private final List<Placeholder<TInt32>> values = new ArrayList<>();
    private final List<Placeholder<TFloat64>> extras = new ArrayList<>();
    private final List<Placeholder<TInt32>> begin = new ArrayList<>();
    private final List<Placeholder<TInt32>> size = new ArrayList<>();
    private final Placeholder<TInt32> pos;
    private final Placeholder<TInt32> neg;
    private final Placeholder<TFloat64> linear;

    private final Operand<TFloat64> scores;
    private final Operand<TFloat64> gradient;
    private final Operand<TFloat64> exactProduct;
    private final Operand<TFloat64> gaussNewtonProduct;

    /** One call's inputs: slots, score rows with their lists, BPR pairs and directions. */
    record Call(
            int slots,
            double[] theta,
            int[] rowSlot,
            int[] targets,
            int[][] rows,
            int[][] items,
            int[][] values,
            double[][] extras,
            int[] valueCounts,
            int dimension,
            int[] pos,
            int[] neg,
            double[] directions) {}

    RcfFullScopeGraph(ParameterSet weights, List<String> variables, double alpha, int threads) {
        this.types = RcfNetwork.kindsOf(variables.size()) + 1;
        SecondOrderGradients.ensureRegistered();
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            this.h = weights.get("e_user").rowSize();
            Operand<TInt32> axis0 = tf.constant(0);
            theta = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1)));
            dirs = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1)));
            rowSlot = ivec(tf);
            targets = ivec(tf);
            pos = ivec(tf);
            neg = ivec(tf);
            linear = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
            List<Operand<TFloat64>> consts = new ArrayList<>();
            for (String n : variables) {
                consts.add(constant(tf, weights.get(n)));
            }
            RcfNetwork.Weights<TFloat64> fixed = new RcfNetwork.Weights<>(consts);
            List<Operand<TFloat64>> local = new ArrayList<>(consts);
            for (int t = 0; t < types; t++) {
                rows.add(ivec(tf));
                items.add(ivec(tf));
                values.add(ivec(tf));
                if (t == 0) {
                    continue;
                }
                extras.add(tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, h))));
                begin.add(tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2))));
                size.add(tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2))));
                Operand<TFloat64> live =
                        tf.reshape(
                                tf.slice(theta, begin.get(t - 1), size.get(t - 1)),
                                tf.constant(new int[] {-1, h}));
                local.set(2 + t, tf.concat(List.of(live, extras.get(t - 1)), axis0));
            }
            RcfNetwork.Weights<TFloat64> w = new RcfNetwork.Weights<>(local);
            RcfNetwork.Nonlinearity nl = RcfNetwork.Nonlinearity.PRIMITIVE;
            Operand<TInt32> rowCount = tf.reshape(tf.shape(targets), tf.constant(new int[0]));
            RcfNetwork.Attention<TFloat64> att =
                    RcfNetwork.attention(
                            tf,
                            nl,
                            w,
                            alpha,
                            targets,
                            new RcfNetwork.Lists(
                                    List.copyOf(rows), List.copyOf(items), List.copyOf(values)),
                            rowCount);

            // β per slot from e and R of that slot
            Operand<TFloat64> e =
                    tf.slice(theta, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, h}));
            Operand<TFloat64> r =
                    tf.reshape(
                            tf.slice(
                                    theta,
                                    tf.constant(new int[] {0, h}),
                                    tf.constant(new int[] {-1, types * h})),
                            tf.constant(new int[] {-1, types, h}));
            Operand<TFloat64> x =
                    tf.reshape(
                            tf.math.mul(tf.expandDims(e, tf.constant(1)), r),
                            tf.constant(new int[] {-1, h}));
            Operand<TFloat64> z =
                    tf.math.add(tf.linalg.matMul(x, fixed.get("Wt")), fixed.get("bt"));
            Operand<TFloat64> beta =
                    tf.nn.softmax(
                            tf.reshape(
                                    tf.linalg.matMul(nl.gelu(tf, z), fixed.get("wt")),
                                    tf.constant(new int[] {-1, types})));
            scores =
                    RcfNetwork.scoreGivenTypeWeights(
                            tf,
                            nl,
                            fixed,
                            tf.gather(e, rowSlot, axis0),
                            tf.gather(beta, rowSlot, axis0),
                            tf.gather(fixed.items(), targets, axis0),
                            att.outputs());

            Operand<TFloat64> yPos = tf.gather(scores, pos, axis0);
            Operand<TFloat64> yNeg = tf.gather(scores, neg, axis0);
            Operand<TFloat64> loss = tf.reduceSum(RcfNetwork.bpr(tf, nl, yPos, yNeg), axis0);
            Gradients.Options one = Gradients.dx(List.of(tf.constant(1.0)));
            gradient = tf.gradients(loss, List.of(theta), one).dy(0);
            Operand<TInt32> both = tf.constant(new int[] {0, 1});
            exactProduct =
                    tf.gradients(
                                    tf.reduceSum(tf.math.mul(gradient, dirs), both),
                                    List.of(theta),
                                    one)
                            .dy(0);

            // Gauss-Newton: J v = ∂/∂u ⟨∂(Σ u_z d_z)/∂θ, v⟩ (linear in u), then Jᵀ(σ(1−σ) ⊙ J v)
            Operand<TFloat64> d = tf.math.sub(yPos, yNeg);
            Operand<TFloat64> jtu =
                    tf.gradients(tf.reduceSum(tf.math.mul(linear, d), axis0), List.of(theta), one)
                            .dy(0);
            Operand<TFloat64> jv =
                    tf.gradients(tf.reduceSum(tf.math.mul(jtu, dirs), both), List.of(linear), one)
                            .dy(0);
            Operand<TFloat64> sig =
                    tf.math.reciprocal(tf.math.add(tf.constant(1.0), tf.math.exp(tf.math.neg(d))));
            Operand<TFloat64> wz =
                    tf.stopGradient(
                            tf.math.mul(tf.math.mul(sig, tf.math.sub(tf.constant(1.0), sig)), jv));
            gaussNewtonProduct =
                    tf.gradients(tf.reduceSum(tf.math.mul(wz, d), axis0), List.of(theta), one)
                            .dy(0);
            session = TfSessions.open(graph, threads);
        } catch (RuntimeException ex) {
            graph.close();
            throw ex;
        }
    }

    int hidden() {
        return h;
    }

    int types() {
        return types;
    }

    /** ŷ of every row of the call. */
    double[] scores(Call c) {
        return run(c, scores);
    }

    /** Per slot, ∇_θ Σ ℓ over the call's BPR pairs, row-major [slots][dimension]. */
    double[] gradients(Call c) {
        return run(c, gradient);
    }

    /** Per slot, the curvature of Σ ℓ times the slot's direction, [slots][dimension]. */
    double[] products(Call c, Curvature curvature) {
        return run(c, curvature == Curvature.EXACT ? exactProduct : gaussNewtonProduct);
    }

    private double[] run(Call c, Operand<TFloat64> out) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            runner.feed(theta, track(open, matrix(c.theta(), c.slots(), c.dimension())));
            runner.feed(rowSlot, track(open, TInt32.vectorOf(c.rowSlot())));
            runner.feed(targets, track(open, TInt32.vectorOf(c.targets())));
            int offset = h + types * h;
            for (int t = 0; t < types; t++) {
                runner.feed(rows.get(t), track(open, TInt32.vectorOf(c.rows()[t])));
                runner.feed(items.get(t), track(open, TInt32.vectorOf(c.items()[t])));
                runner.feed(values.get(t), track(open, TInt32.vectorOf(c.values()[t])));
                if (t == 0) {
                    continue;
                }
                int m = c.valueCounts()[t];
                double[] ex = c.extras()[t];
                runner.feed(extras.get(t - 1), track(open, matrix(ex, ex.length / h, h)));
                runner.feed(begin.get(t - 1), track(open, TInt32.vectorOf(0, offset)));
                runner.feed(size.get(t - 1), track(open, TInt32.vectorOf(-1, m * h)));
                offset += m * h;
            }
            if (c.pos() != null) {
                runner.feed(pos, track(open, TInt32.vectorOf(c.pos())));
                runner.feed(neg, track(open, TInt32.vectorOf(c.neg())));
                runner.feed(linear, track(open, TFloat64.vectorOf(new double[c.pos().length])));
            }
            if (c.directions() != null) {
                runner.feed(dirs, track(open, matrix(c.directions(), c.slots(), c.dimension())));
            }
            try (Result r = runner.fetch(out).run()) {
                return read(r.get(0));
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    private static TFloat64 matrix(double[] data, int rows, int cols) {
        return TFloat64.tensorOf(Shape.of(rows, cols), DataBuffers.of(data, true, false));
    }

    private static Placeholder<TInt32> ivec(Ops tf) {
        return tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    }

    private static <T extends Tensor> T track(List<Tensor> open, T t) {
        open.add(t);
        return t;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
