package io.accent.rcf;

import static io.accent.tf.Float64Tensors.constant;
import static io.accent.tf.Float64Tensors.read;

import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
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
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Float64 TensorFlow graph of RCF for influence (docs/SPEC.md §5), built from {@link RcfNetwork}
 * with the trained weights as constants. Its inputs are "slots" (user vectors e, one per removal or
 * per shifted e_u) and score rows (target item, slot, and the K + 1 list outputs h_t of §4.3),
 * because a score depends on e_u only through the type attention β and μ = e_u + Σ_t β_t h_t while
 * the h_t do not depend on e_u. It computes:
 *
 * <ul>
 *   <li>{@link #attention}: the item-level attention of a batch of (user, target) rows with fed
 *       ragged lists (logits per entry and h_t per row), once per user;
 *   <li>{@link #scores}: ŷ of rows given their slot vector and h_t, and β of the slots;
 *   <li>{@link #gradients}: per slot, ∇_e Σ_{triples of the slot} ℓ (BPR, §4.4);
 *   <li>{@link #removalHessians}: the exact Hessians of §5 for a batch of removals of one user in
 *       closed form ({@link RcfRemovalHessians}), used by the engine;
 *   <li>{@link #hessians}: per slot, the 64×64 Hessian ∇²_e Σ_{triples of the slot} ℓ by double
 *       backprop: the slots are replicated once per unit direction c inside the graph and the
 *       gradient of ⟨∇ℓ, e_c⟩ gives column c, so one session call yields whole Hessians of many
 *       slots.
 * </ul>
 */
final class RcfInfluenceGraph implements AutoCloseable {

    private final int h;
    private final int types;
    private final double alpha;
    private final Graph graph;
    private final Session session;

    // attention
    private final Placeholder<TInt32> attTargets;
    private final List<Placeholder<TInt32>> attRows = new ArrayList<>();
    private final List<Placeholder<TInt32>> attItems = new ArrayList<>();
    private final List<Placeholder<TInt32>> attValues = new ArrayList<>();
    private final Placeholder<TInt32> attCount;
    private final List<Operand<TFloat64>> attLogits;
    private final List<Operand<TFloat64>> attOutputs;

    private final Placeholder<TFloat32> allUser;
    private final Operand<TFloat32> allScores;

    private final RowInputs scoreIn;
    private final Operand<TFloat64> scoreOut;
    private final Operand<TFloat64> betaOut;

    private final RowInputs gradIn;
    private final Placeholder<TInt32> gradPos;
    private final Placeholder<TInt32> gradNeg;
    private final Operand<TFloat64> gradOut;

    private final RowInputs hessIn;
    private final Placeholder<TInt32> hessPos;
    private final Placeholder<TInt32> hessNeg;
    private final Operand<TFloat64> hessOut;

    private final RcfRemovalHessians removalHessians;

    /** Placeholders of slots and score rows. */
    private record RowInputs(
            Placeholder<TFloat64> slots,
            Placeholder<TInt32> rowSlot,
            Placeholder<TInt32> targets,
            List<Placeholder<TFloat64>> h) {}

    /**
     * @param weights the trained weights
     * @param variables their names in {@link RcfNetwork#variables} order (K kinds)
     */
    RcfInfluenceGraph(ParameterSet weights, List<String> variables, double alpha, int threads) {
        this.alpha = alpha;
        this.types = RcfNetwork.kindsOf(variables.size()) + 1;
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            List<Operand<TFloat64>> consts = new ArrayList<>();
            for (String n : variables) {
                consts.add(constant(tf, weights.get(n)));
            }
            RcfNetwork.Weights<TFloat64> w = new RcfNetwork.Weights<>(consts);
            this.h = weights.get("e_user").rowSize();

            attTargets = ivec(tf);
            for (int t = 0; t < types; t++) {
                attRows.add(ivec(tf));
                attItems.add(ivec(tf));
                attValues.add(ivec(tf));
            }
            attCount = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
            RcfNetwork.Lists attLists =
                    new RcfNetwork.Lists(
                            List.copyOf(attRows), List.copyOf(attItems), List.copyOf(attValues));
            RcfNetwork.Attention<TFloat64> att =
                    RcfNetwork.attention(
                            tf,
                            RcfNetwork.Nonlinearity.NATIVE,
                            w,
                            alpha,
                            attTargets,
                            attLists,
                            attCount);
            attLogits = att.logits();
            attOutputs = att.outputs();

            // float32 scores of fed lists for one user vector: the model's own precision, to rank
            // all items
            List<Operand<TFloat32>> c32 = new ArrayList<>();
            for (String n : variables) {
                NamedArray a = weights.get(n);
                c32.add(tf.constant(Shape.of(a.shape()), DataBuffers.of(a.data(), true, false)));
            }
            RcfNetwork.Weights<TFloat32> w32 = new RcfNetwork.Weights<>(c32);
            allUser = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, h)));
            RcfNetwork.Attention<TFloat32> att32 =
                    RcfNetwork.attention(
                            tf,
                            RcfNetwork.Nonlinearity.NATIVE,
                            w32,
                            alpha,
                            attTargets,
                            attLists,
                            attCount);
            Operand<TInt32> zeros = tf.zerosLike(attTargets);
            allScores =
                    RcfNetwork.scoreGivenLists(
                            tf,
                            RcfNetwork.Nonlinearity.NATIVE,
                            w32,
                            tf.gather(allUser, zeros, tf.constant(0)),
                            tf.gather(w32.items(), attTargets, tf.constant(0)),
                            att32.outputs());

            RcfNetwork.Nonlinearity nl = RcfNetwork.Nonlinearity.PRIMITIVE;
            Operand<TInt32> axis0 = tf.constant(0);
            scoreIn = rowInputs(tf);
            betaOut = RcfNetwork.typeWeights(tf, nl, w, scoreIn.slots());
            scoreOut =
                    rowScores(
                            tf,
                            nl,
                            w,
                            scoreIn.slots(),
                            betaOut,
                            scoreIn.rowSlot(),
                            tf.gather(w.items(), scoreIn.targets(), axis0),
                            scoreIn.h());

            // gradient of Σ ℓ per slot: every triple's rows belong to one slot
            gradIn = rowInputs(tf);
            gradPos = ivec(tf);
            gradNeg = ivec(tf);
            Operand<TFloat64> gy =
                    rowScores(
                            tf,
                            nl,
                            w,
                            gradIn.slots(),
                            RcfNetwork.typeWeights(tf, nl, w, gradIn.slots()),
                            gradIn.rowSlot(),
                            tf.gather(w.items(), gradIn.targets(), axis0),
                            gradIn.h());
            Operand<TFloat64> gl =
                    tf.reduceSum(
                            RcfNetwork.bpr(
                                    tf,
                                    nl,
                                    tf.gather(gy, gradPos, axis0),
                                    tf.gather(gy, gradNeg, axis0)),
                            axis0);
            gradOut =
                    tf.gradients(
                                    gl,
                                    List.of(gradIn.slots()),
                                    Gradients.dx(List.of(tf.constant(1.0))))
                            .dy(0);

            // Hessians: copy c of slot p sits at c·P + p, copy c of row r at c·R + r
            hessIn = rowInputs(tf);
            hessPos = ivec(tf);
            hessNeg = ivec(tf);
            Operand<TInt32> p =
                    tf.reshape(
                            tf.slice(
                                    tf.shape(hessIn.slots()),
                                    tf.constant(new int[] {0}),
                                    tf.constant(new int[] {1})),
                            tf.constant(new int[0]));
            Operand<TInt32> r = tf.reshape(tf.shape(hessIn.targets()), tf.constant(new int[0]));
            Operand<TInt32> dirs = tf.range(tf.constant(0), tf.constant(h), tf.constant(1));
            Operand<TFloat64> e = tf.tile(hessIn.slots(), tf.constant(new int[] {h, 1}));
            Operand<TInt32> rowSlot = copies(tf, dirs, p, hessIn.rowSlot());
            List<Operand<TFloat64>> hh = new ArrayList<>();
            for (Placeholder<TFloat64> x : hessIn.h()) {
                hh.add(tf.tile(x, tf.constant(new int[] {h, 1})));
            }
            Operand<TFloat64> qi =
                    tf.tile(
                            tf.gather(w.items(), hessIn.targets(), axis0),
                            tf.constant(new int[] {h, 1}));
            Operand<TFloat64> hy =
                    rowScores(tf, nl, w, e, RcfNetwork.typeWeights(tf, nl, w, e), rowSlot, qi, hh);
            Operand<TFloat64> hl =
                    tf.reduceSum(
                            RcfNetwork.bpr(
                                    tf,
                                    nl,
                                    tf.gather(hy, copies(tf, dirs, r, hessPos), axis0),
                                    tf.gather(hy, copies(tf, dirs, r, hessNeg), axis0)),
                            axis0);
            Operand<TFloat64> g1 =
                    tf.gradients(hl, List.of(e), Gradients.dx(List.of(tf.constant(1.0)))).dy(0);
            double[][][] eye = new double[h][1][h];
            for (int c = 0; c < h; c++) {
                eye[c][0][c] = 1;
            }
            Operand<TFloat64> g3 = tf.reshape(g1, tf.constant(new int[] {h, -1, h}));
            Operand<TFloat64> dot =
                    tf.reduceSum(
                            tf.math.mul(g3, tf.constant(eye)), tf.constant(new int[] {0, 1, 2}));
            Operand<TFloat64> g2 =
                    tf.gradients(dot, List.of(e), Gradients.dx(List.of(tf.constant(1.0)))).dy(0);
            // [h·P, h] -> [h(c), P, h] -> [P, h(c), h]
            hessOut =
                    tf.linalg.transpose(
                            tf.reshape(g2, tf.constant(new int[] {h, -1, h})),
                            tf.constant(new int[] {1, 0, 2}));

            removalHessians = new RcfRemovalHessians(tf, w);

            session = TfSessions.open(graph, threads);
        } catch (RuntimeException ex) {
            graph.close();
            throw ex;
        }
    }

    /** Index c·n + x[j] for every copy c (outer) and entry j (inner), flattened. */
    private static Operand<TInt32> copies(
            Ops tf, Operand<TInt32> dirs, Operand<TInt32> n, Operand<TInt32> x) {
        Operand<TInt32> base = tf.expandDims(tf.math.mul(dirs, n), tf.constant(1));
        return tf.reshape(
                tf.math.add(base, tf.expandDims(x, tf.constant(0))), tf.constant(new int[] {-1}));
    }

    private RowInputs rowInputs(Ops tf) {
        List<Placeholder<TFloat64>> hs = new ArrayList<>();
        for (int t = 0; t < types; t++) {
            hs.add(tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, h))));
        }
        return new RowInputs(
                tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, h))),
                ivec(tf),
                ivec(tf),
                hs);
    }

    /** ŷ of rows whose user vector and β are gathered from per-slot tensors by {@code rowSlot}. */
    private static Operand<TFloat64> rowScores(
            Ops tf,
            RcfNetwork.Nonlinearity nl,
            RcfNetwork.Weights<TFloat64> w,
            Operand<TFloat64> slots,
            Operand<TFloat64> beta,
            Operand<TInt32> rowSlot,
            Operand<TFloat64> qi,
            List<? extends Operand<TFloat64>> h) {
        Operand<TInt32> axis0 = tf.constant(0);
        return RcfNetwork.scoreGivenTypeWeights(
                tf,
                nl,
                w,
                tf.gather(slots, rowSlot, axis0),
                tf.gather(beta, rowSlot, axis0),
                qi,
                List.copyOf(h));
    }

    private static Placeholder<TInt32> ivec(Ops tf) {
        return tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    }

    int hidden() {
        return h;
    }

    double alpha() {
        return alpha;
    }

    /**
     * Item attention of a batch: per type, the logit s_k of every entry (aligned with the batch's
     * ragged lists) and h_t of every row ([rows·H], row-major).
     */
    record AttentionOut(double[][] logits, double[][] outputs) {}

    AttentionOut attention(RcfNeighbourLists.Batch b) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            feed(runner, b, open);
            attLogits.forEach(runner::fetch);
            attOutputs.forEach(runner::fetch);
            try (Result r = runner.run()) {
                double[][] logits = new double[types][];
                double[][] outs = new double[types][];
                for (int t = 0; t < types; t++) {
                    logits[t] = read(r.get(t));
                    outs[t] = read(r.get(types + t));
                }
                return new AttentionOut(logits, outs);
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /**
     * Float32 scores of the batch's rows for one user vector {@code user} (every row is that
     * user's), through the same network as the model: used to rank all items.
     */
    float[] scoreAll(RcfNeighbourLists.Batch b, float[] user) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            feed(runner, b, open);
            runner.feed(
                    allUser,
                    track(
                            open,
                            TFloat32.tensorOf(Shape.of(1, h), DataBuffers.of(user, true, false))));
            try (Result r = runner.fetch(allScores).run()) {
                TFloat32 f = (TFloat32) r.get(0);
                float[] out = new float[(int) f.shape().size()];
                f.asRawTensor().data().asFloats().read(out);
                return out;
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /**
     * Score rows: row r scores target {@code targets[r]} with user vector {@code slots[rowSlot[r]]}
     * and list outputs {@code h[t][r·H..]}.
     */
    record Rows(double[] slots, int[] rowSlot, int[] targets, double[][] h) {}

    /** ŷ of the rows and β of the slots ([slots·4]). */
    record ScoreOut(double[] scores, double[] beta) {}

    ScoreOut scores(Rows rows) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            feed(runner, scoreIn, rows, open);
            try (Result r = runner.fetch(scoreOut).fetch(betaOut).run()) {
                return new ScoreOut(read(r.get(0)), read(r.get(1)));
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /**
     * Per slot, ∇_e Σ ℓ(pos[k], neg[k]) over the triples whose rows lie in that slot ([slots·H]).
     */
    double[] gradients(Rows rows, int[] pos, int[] neg) {
        return runTriples(gradIn, gradPos, gradNeg, gradOut, rows, pos, neg);
    }

    /** Per slot, the Hessian ∇²_e Σ ℓ over the slot's triples, row-major [slots][H][H]. */
    double[] hessians(Rows rows, int[] pos, int[] neg) {
        return runTriples(hessIn, hessPos, hessNeg, hessOut, rows, pos, neg);
    }

    /**
     * Per removal of the batch, the exact Hessian Σ_z ∇²_e ℓ over the user's triples with the lists
     * without it, in closed form ({@link RcfRemovalHessians}), row-major [removals][H][H].
     */
    double[] removalHessians(RcfRemovalHessians.Batch batch) {
        return removalHessians.run(session, batch);
    }

    /**
     * Feeds {@code rows} to {@code in} and the triples' rows to {@code posIn}/{@code negIn}, and
     * fetches {@code out}.
     */
    private double[] runTriples(
            RowInputs in,
            Placeholder<TInt32> posIn,
            Placeholder<TInt32> negIn,
            Operand<TFloat64> out,
            Rows rows,
            int[] pos,
            int[] neg) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            feed(runner, in, rows, open);
            runner.feed(posIn, track(open, TInt32.vectorOf(pos)));
            runner.feed(negIn, track(open, TInt32.vectorOf(neg)));
            try (Result r = runner.fetch(out).run()) {
                return read(r.get(0));
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /** Feeds the batch's targets and ragged neighbour lists to the attention placeholders. */
    private void feed(Session.Runner runner, RcfNeighbourLists.Batch b, List<Tensor> open) {
        runner.feed(attTargets, track(open, TInt32.vectorOf(b.targets())));
        for (int t = 0; t < types; t++) {
            runner.feed(attRows.get(t), track(open, TInt32.vectorOf(b.rows()[t])));
            runner.feed(attItems.get(t), track(open, TInt32.vectorOf(b.items()[t])));
            runner.feed(attValues.get(t), track(open, TInt32.vectorOf(b.values()[t])));
        }
        runner.feed(attCount, track(open, TInt32.scalarOf(b.targets().length)));
    }

    private void feed(Session.Runner runner, RowInputs in, Rows rows, List<Tensor> open) {
        int slots = rows.slots().length / h;
        int n = rows.targets().length;
        runner.feed(
                in.slots(),
                track(
                        open,
                        TFloat64.tensorOf(
                                Shape.of(slots, h), DataBuffers.of(rows.slots(), true, false))));
        runner.feed(in.rowSlot(), track(open, TInt32.vectorOf(rows.rowSlot())));
        runner.feed(in.targets(), track(open, TInt32.vectorOf(rows.targets())));
        for (int t = 0; t < types; t++) {
            runner.feed(
                    in.h().get(t),
                    track(
                            open,
                            TFloat64.tensorOf(
                                    Shape.of(n, h), DataBuffers.of(rows.h()[t], true, false))));
        }
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
