package io.accent.rcf;

import io.accent.tf.AdagradStep;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.ParameterSet;
import io.accent.tf.StateLoader;
import io.accent.tf.TfSessions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One RCF model in one TensorFlow graph and session (float32): variables and Adagrad accumulators,
 * one training step on fed ragged batches (BPR + weighted relational loss with the global
 * normalizations of §4.4), and scoring of fed batches.
 */
public final class RcfTrainingGraph implements AutoCloseable {

    private final RcfConfig config;
    private final RcfNetwork.Sizes sizes;
    private final Graph graph;
    private final Session session;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final List<Variable<TFloat32>> accumulators = new ArrayList<>();
    private final StateLoader stateLoader;
    private final RcfListInputs train;
    private final RcfListInputs scoring;
    private final Placeholder<TInt32> relHeads;
    private final Placeholder<TInt32> relTypes;
    private final Placeholder<TInt32> relValues;
    private final Placeholder<TInt32> relTailPos;
    private final Placeholder<TInt32> relTailNeg;
    private final Op step;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> scores;

    /** Feeds one ragged batch of rows and list entries. */
    private static void feed(
            RcfListInputs in, Session.Runner runner, RcfNeighbourLists.Batch b, List<Tensor> open) {
        int types = b.rows().length;
        TInt32[] rows = new TInt32[types];
        TInt32[] items = new TInt32[types];
        TInt32[] values = new TInt32[types];
        for (int t = 0; t < types; t++) {
            rows[t] = TInt32.vectorOf(b.rows()[t]);
            items[t] = TInt32.vectorOf(b.items()[t]);
            values[t] = TInt32.vectorOf(b.values()[t]);
        }
        in.feed(
                runner,
                TInt32.vectorOf(b.users()),
                TInt32.vectorOf(b.targets()),
                rows,
                items,
                values,
                open);
    }

    private static Placeholder<TInt32> vec(Ops tf) {
        return tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    }

    private static TInt32 track(List<Tensor> open, TInt32 t) {
        open.add(t);
        return t;
    }

    /**
     * @param trainTriples N_train, the normalization of the BPR sum
     * @param relationalRows N_rel, the normalization of the relational sum
     * @param threads TensorFlow intra/inter-op threads (0 lets TensorFlow choose)
     */
    public RcfTrainingGraph(
            RcfConfig config,
            RcfNetwork.Sizes sizes,
            int trainTriples,
            int relationalRows,
            int threads) {
        this.config = config;
        this.sizes = sizes;
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            long[][] shapes = RcfNetwork.shapes(sizes);
            List<String> names = sizes.variables();
            for (int v = 0; v < shapes.length; v++) {
                String name = names.get(v);
                variables.add(tf.withName(name).variable(Shape.of(shapes[v]), TFloat32.class));
            }
            for (int v = 0; v < shapes.length; v++) {
                String name = OptimizerSlots.adagrad(names.get(v));
                accumulators.add(tf.withName(name).variable(Shape.of(shapes[v]), TFloat32.class));
            }
            stateLoader = new StateLoader(tf, allStateNames(), allState(), names.size());
            RcfNetwork.Nonlinearity nl = RcfNetwork.Nonlinearity.NATIVE;
            train = RcfListInputs.create(tf, 1, sizes.types());
            relHeads = vec(tf);
            relTypes = vec(tf);
            relValues = vec(tf);
            relTailPos = vec(tf);
            relTailNeg = vec(tf);

            List<Operand<TFloat32>> reads = new ArrayList<>();
            for (Variable<TFloat32> v : variables) {
                reads.add(tf.identity(v));
            }
            RcfNetwork.Weights<TFloat32> w = new RcfNetwork.Weights<>(reads);
            // rows 0..B−1 score (u, p), rows B..2B−1 score (u, n)
            Operand<TFloat32> y =
                    RcfNetwork.score(
                            tf,
                            nl,
                            w,
                            config.alpha(),
                            train.users(),
                            train.targets(),
                            train.lists());
            Operand<TInt32> half =
                    tf.math.div(tf.reshape(tf.shape(y), tf.constant(new int[0])), tf.constant(2));
            Operand<TFloat32> pos =
                    tf.slice(
                            y,
                            tf.constant(new int[] {0}),
                            tf.reshape(half, tf.constant(new int[] {1})));
            Operand<TFloat32> neg =
                    tf.slice(
                            y,
                            tf.reshape(half, tf.constant(new int[] {1})),
                            tf.constant(new int[] {-1}));
            Operand<TInt32> axis0 = tf.constant(0);
            Operand<TFloat32> rec =
                    tf.math.div(
                            tf.reduceSum(RcfNetwork.bpr(tf, nl, pos, neg), axis0),
                            tf.constant((float) trainTriples));
            Operand<TFloat32> rel =
                    tf.math.div(
                            tf.reduceSum(
                                    RcfNetwork.relational(
                                            tf,
                                            nl,
                                            w,
                                            sizes,
                                            relHeads,
                                            relTypes,
                                            relValues,
                                            relTailPos,
                                            relTailNeg),
                                    axis0),
                            tf.constant((float) Math.max(1, relationalRows)));
            loss =
                    tf.math.add(
                            rec, tf.math.mul(tf.constant((float) config.relationalWeight()), rel));
            Gradients grads = tf.gradients(loss, reads, Gradients.dx(List.of(tf.constant(1f))));
            step = AdagradStep.build(tf, variables, accumulators, grads, config.learningRate());

            scoring = RcfListInputs.create(tf, 1, sizes.types());
            List<Operand<TFloat32>> sreads = new ArrayList<>();
            for (Variable<TFloat32> v : variables) {
                sreads.add(tf.identity(v));
            }
            scores =
                    RcfNetwork.score(
                            tf,
                            nl,
                            new RcfNetwork.Weights<>(sreads),
                            config.alpha(),
                            scoring.users(),
                            scoring.targets(),
                            scoring.lists());

            session = TfSessions.open(graph, threads);
        } catch (RuntimeException ex) {
            graph.close();
            throw ex;
        }
    }

    public RcfNetwork.Sizes sizes() {
        return sizes;
    }

    private List<Variable<TFloat32>> allState() {
        List<Variable<TFloat32>> all = new ArrayList<>(variables);
        all.addAll(accumulators);
        return all;
    }

    private List<String> allStateNames() {
        List<String> names = new ArrayList<>(sizes.variables());
        for (String n : sizes.variables()) {
            names.add(OptimizerSlots.adagrad(n));
        }
        return names;
    }

    /**
     * Sets the weights, and the Adagrad accumulators where {@code state} has them (otherwise they
     * start at the initial accumulator value).
     */
    public void load(ParameterSet state) {
        stateLoader.load(
                session,
                state,
                (n, shape) -> {
                    float[] data = new float[(int) Shape.of(shape).size()];
                    Arrays.fill(data, (float) config.initialAccumulator());
                    return data;
                });
    }

    /**
     * One Adagrad step on a batch whose first half of rows are (u, p) and second half (u, n), and a
     * batch of relational rows (dense item indices, types 1..K, attribute value ids).
     *
     * @return the loss before the update when {@code fetchLoss}, else NaN
     */
    public float step(
            RcfNeighbourLists.Batch batch,
            int[] heads,
            int[] types,
            int[] values,
            int[] tailPos,
            int[] tailNeg,
            boolean fetchLoss) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = stepRunner(batch, heads, types, values, tailPos, tailNeg, open);
            if (fetchLoss) {
                runner.fetch(loss);
                try (Result r = runner.run()) {
                    return ((TFloat32) r.get(0)).getFloat();
                }
            }
            runner.run().close();
            return Float.NaN;
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /**
     * A runner for one training step: the batch and relational rows fed (their tensors added to
     * {@code open}, which the caller closes after the run). Package-private so that the step
     * profiler of benchmarks/ ({@code io.accent.rcf.RcfStepProfiler}) can time and trace the same
     * call that {@link #step} makes.
     */
    Session.Runner stepRunner(
            RcfNeighbourLists.Batch batch,
            int[] heads,
            int[] types,
            int[] values,
            int[] tailPos,
            int[] tailNeg,
            List<Tensor> open) {
        var runner = session.runner();
        feed(train, runner, batch, open);
        runner.feed(relHeads, track(open, TInt32.vectorOf(heads)));
        runner.feed(relTypes, track(open, TInt32.vectorOf(types)));
        runner.feed(relValues, track(open, TInt32.vectorOf(values)));
        runner.feed(relTailPos, track(open, TInt32.vectorOf(tailPos)));
        runner.feed(relTailNeg, track(open, TInt32.vectorOf(tailNeg)));
        runner.addTarget(step);
        return runner;
    }

    /** Scores of the rows of {@code batch}. */
    public float[] score(RcfNeighbourLists.Batch batch) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            feed(scoring, runner, batch, open);
            runner.fetch(scores);
            try (Result r = runner.run()) {
                float[] out = new float[batch.users().length];
                ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
                return out;
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /** All weights and accumulators, copied out of the session. */
    public ParameterSet snapshot() {
        return TfSessions.fetchState(session, allStateNames(), allState());
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
