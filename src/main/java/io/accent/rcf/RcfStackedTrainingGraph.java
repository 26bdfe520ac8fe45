package io.accent.rcf;

import io.accent.tf.AdagradStep;
import io.accent.tf.NamedArray;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.ParameterSet;
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
 * B RCF models stacked in one TensorFlow graph and session (float32): every variable and Adagrad
 * accumulator carries a leading copy axis, the forward pass is {@link RcfNetwork#score} on the
 * stacked weights, and one session call runs one training step of every copy. Copy b has its own
 * rows (fed per copy: [B, 2·batch] scored rows, [B, E_t] list entries, [B, M] relational rows), its
 * own N_train in the BPR normalization, and row masks: a copy whose batch is smaller than {@code
 * batch} (or that has no step at all this call) gets padding rows of weight 0, whose gradient is
 * exactly 0, so its Adagrad update is exactly that of its real rows (an all-padding step leaves the
 * copy's weights and accumulators unchanged: accum += 0, var −= 0).
 *
 * <p>The copies' losses are summed into one scalar; since no parameter is shared, its gradient with
 * respect to copy b's slice is copy b's own gradient.
 */
public final class RcfStackedTrainingGraph implements AutoCloseable {

    private final RcfConfig config;
    private final RcfNetwork.Sizes sizes;
    private final int copies;
    private final int batch;
    private final Graph graph;
    private final Session session;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final List<Variable<TFloat32>> accumulators = new ArrayList<>();
    private final List<Placeholder<TFloat32>> initInputs = new ArrayList<>();
    private final Op init;
    private final RcfListInputs train;
    private final Placeholder<TFloat32> rowMask;
    private final Placeholder<TInt32>[] rel;
    private final Placeholder<TFloat32> relMask;
    private final Op step;
    private final Operand<TFloat32> losses;
    private final RcfListInputs scoring;
    private final Operand<TFloat32> scores;

    private static void feed(
            RcfListInputs in, Session.Runner runner, Stacked s, List<Tensor> open) {
        in.feed(runner, s.users(), s.targets(), s.rows(), s.items(), s.values(), open);
    }

    private static Placeholder<TInt32> mat(Ops tf) {
        return tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    }

    private static <X extends Tensor> X track(List<Tensor> open, X t) {
        open.add(t);
        return t;
    }

    /**
     * @param copies B
     * @param trainTriples each copy's N_train, the normalization of its BPR sum
     * @param relationalRows N_rel, the normalization of the relational sum (the same data for all)
     * @param threads TensorFlow intra/inter-op threads (0 lets TensorFlow choose)
     */
    @SuppressWarnings("unchecked")
    public RcfStackedTrainingGraph(
            RcfConfig config,
            RcfNetwork.Sizes sizes,
            int copies,
            int[] trainTriples,
            int relationalRows,
            int threads) {
        if (copies < 1 || trainTriples.length != copies) {
            throw new IllegalArgumentException(
                    copies + " copies with " + trainTriples.length + " triple counts");
        }
        this.config = config;
        this.sizes = sizes;
        this.copies = copies;
        this.batch = config.batchSize();
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            long[][] shapes = RcfNetwork.shapes(sizes);
            List<String> names = sizes.variables();
            List<Op> assigns = new ArrayList<>();
            for (int v = 0; v < shapes.length; v++) {
                String name = names.get(v);
                Shape one = Shape.of(shapes[v]);
                Shape all = Shape.of(copies).append(one);
                Variable<TFloat32> var = tf.withName(name).variable(all, TFloat32.class);
                Variable<TFloat32> acc =
                        tf.withName(OptimizerSlots.adagrad(name)).variable(all, TFloat32.class);
                variables.add(var);
                accumulators.add(acc);
                // every copy starts from the same weights (one copy's values, broadcast)
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(one));
                initInputs.add(in);
                assigns.add(
                        tf.assign(
                                var,
                                tf.broadcastTo(
                                        tf.expandDims(in, tf.constant(0)),
                                        tf.constant(all.asArray()))));
                assigns.add(
                        tf.assign(
                                acc,
                                tf.fill(
                                        tf.constant(all.asArray()),
                                        tf.constant((float) config.initialAccumulator()))));
            }
            init = tf.withControlDependencies(assigns).noOp();
            RcfNetwork.Nonlinearity nl = RcfNetwork.Nonlinearity.NATIVE;
            train = RcfListInputs.create(tf, 2, sizes.types());
            rowMask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(copies, batch)));
            rel = new Placeholder[5];
            for (int k = 0; k < rel.length; k++) {
                rel[k] = mat(tf);
            }
            relMask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(copies, -1)));

            List<Operand<TFloat32>> reads = new ArrayList<>();
            for (Variable<TFloat32> v : variables) {
                reads.add(tf.identity(v));
            }
            RcfNetwork.Weights<TFloat32> w = new RcfNetwork.Weights<>(reads);
            // per copy: rows 0..batch−1 score (u, p), rows batch..2·batch−1 score (u, n)
            Operand<TFloat32> y =
                    RcfNetwork.score(
                            tf,
                            nl,
                            w,
                            config.alpha(),
                            train.users(),
                            train.targets(),
                            train.lists());
            Operand<TFloat32> pos =
                    tf.slice(y, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, batch}));
            Operand<TFloat32> neg =
                    tf.slice(y, tf.constant(new int[] {0, batch}), tf.constant(new int[] {-1, -1}));
            Operand<TInt32> axis1 = tf.constant(1);
            float[] n = new float[copies];
            for (int b = 0; b < copies; b++) {
                n[b] = trainTriples[b];
            }
            Operand<TFloat32> rec =
                    tf.math.div(
                            tf.reduceSum(
                                    tf.math.mul(RcfNetwork.bpr(tf, nl, pos, neg), rowMask), axis1),
                            tf.constant(n));
            Operand<TFloat32> relLoss =
                    tf.math.div(
                            tf.reduceSum(
                                    tf.math.mul(
                                            RcfNetwork.relational(
                                                    tf, nl, w, sizes, rel[0], rel[1], rel[2],
                                                    rel[3], rel[4]),
                                            relMask),
                                    axis1),
                            tf.constant((float) Math.max(1, relationalRows)));
            losses =
                    tf.math.add(
                            rec,
                            tf.math.mul(tf.constant((float) config.relationalWeight()), relLoss));
            Operand<TFloat32> total = tf.reduceSum(losses, tf.constant(0));
            Gradients grads = tf.gradients(total, reads, Gradients.dx(List.of(tf.constant(1f))));
            step = AdagradStep.build(tf, variables, accumulators, grads, config.learningRate());

            scoring = RcfListInputs.create(tf, 2, sizes.types());
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

    public int copies() {
        return copies;
    }

    /**
     * Every copy's weights := {@code start} (one model's weights), every accumulator := the initial
     * accumulator value.
     */
    public void load(ParameterSet start) {
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            long[][] shapes = RcfNetwork.shapes(sizes);
            List<String> names = sizes.variables();
            for (int v = 0; v < shapes.length; v++) {
                NamedArray a = start.get(names.get(v));
                if (!Arrays.equals(a.shape(), shapes[v])) {
                    throw new io.accent.core.ModelException(
                            "variable "
                                    + a.name()
                                    + " has shape "
                                    + Arrays.toString(a.shape())
                                    + ", the graph needs "
                                    + Arrays.toString(shapes[v]));
                }
                runner.feed(
                        initInputs.get(v),
                        track(
                                open,
                                TFloat32.tensorOf(
                                        Shape.of(shapes[v]),
                                        org.tensorflow.ndarray.buffer.DataBuffers.of(
                                                a.data(), true, false))));
            }
            runner.addTarget(init).run();
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /** The fed tensors of one stacked batch of scored rows. */
    private record Stacked(
            TInt32 users, TInt32 targets, TInt32[] rows, TInt32[] items, TInt32[] values) {}

    /**
     * Stacks per-copy batches: copy b's row s goes to position {@code rowMap[b][s]} of its {@code
     * rowsPerCopy} rows, its entries are padded to the longest copy's with masked entries (pad item
     * I, pad value), pointing at row 0. A null batch is a copy with only padding. Padding rows
     * score (user 0, item 0) with no list entries.
     */
    private Stacked stack(RcfNeighbourLists.Batch[] perCopy, int rowsPerCopy, int[][] rowMap) {
        int[][] users = new int[copies][rowsPerCopy];
        int[][] targets = new int[copies][rowsPerCopy];
        int types = sizes.types();
        TInt32[] rows = new TInt32[types];
        TInt32[] items = new TInt32[types];
        TInt32[] values = new TInt32[types];
        for (int b = 0; b < copies; b++) {
            RcfNeighbourLists.Batch in = perCopy[b];
            if (in == null) {
                continue;
            }
            for (int s = 0; s < in.users().length; s++) {
                users[b][rowMap[b][s]] = in.users()[s];
                targets[b][rowMap[b][s]] = in.targets()[s];
            }
        }
        for (int t = 0; t < types; t++) {
            int e = 0;
            for (RcfNeighbourLists.Batch in : perCopy) {
                e = Math.max(e, in == null ? 0 : in.items()[t].length);
            }
            int[][] r = new int[copies][e];
            int[][] i = new int[copies][e];
            int[][] v = new int[copies][t == 0 ? 0 : e];
            int padValue = t == 0 ? 0 : sizes.vocabulary(t);
            for (int b = 0; b < copies; b++) {
                RcfNeighbourLists.Batch in = perCopy[b];
                int m = in == null ? 0 : in.items()[t].length;
                for (int k = 0; k < m; k++) {
                    r[b][k] = rowMap[b][in.rows()[t][k]];
                    i[b][k] = in.items()[t][k];
                    if (t > 0) {
                        v[b][k] = in.values()[t][k];
                    }
                }
                Arrays.fill(i[b], m, e, sizes.items());
                if (t > 0) {
                    Arrays.fill(v[b], m, e, padValue);
                }
            }
            rows[t] = ints(r);
            items[t] = ints(i);
            values[t] = ints(v);
        }
        return new Stacked(ints(users), ints(targets), rows, items, values);
    }

    /**
     * One Adagrad step of every copy; {@code steps[b]} null: copy b only gets padding (its state
     * does not change).
     *
     * @return each copy's loss before the update (0 for a copy without a step)
     */
    float[] step(RcfTrainer.StepInput[] steps) {
        try (Prepared p = prepare(steps)) {
            return step(p);
        }
    }

    /**
     * The fed tensors of one step of every copy, made apart from the session call (the stacked
     * trainer makes the next step's while TensorFlow runs this one). Close it (or pass it to {@link
     * #step(Prepared)}, which does).
     */
    public static final class Prepared implements AutoCloseable {
        private final Stacked rows;
        private final TFloat32 mask;
        private final TInt32[] rel;
        private final TFloat32 relMask;

        private Prepared(Stacked rows, TFloat32 mask, TInt32[] rel, TFloat32 relMask) {
            this.rows = rows;
            this.mask = mask;
            this.rel = rel;
            this.relMask = relMask;
        }

        @Override
        public void close() {
            List<Tensor> all = new ArrayList<>();
            addAll(all, rows);
            all.add(mask);
            all.addAll(Arrays.asList(rel));
            all.add(relMask);
            all.forEach(Tensor::close);
        }
    }

    /** Stacks one step of every copy ({@code steps[b]} null: copy b only gets padding). */
    Prepared prepare(RcfTrainer.StepInput[] steps) {
        if (steps.length != copies) {
            throw new IllegalArgumentException(steps.length + " steps for " + copies + " copies");
        }
        RcfNeighbourLists.Batch[] batches = new RcfNeighbourLists.Batch[copies];
        int[][] rowMap = new int[copies][];
        float[][] mask = new float[copies][batch];
        int relRows = 0;
        for (int b = 0; b < copies; b++) {
            if (steps[b] == null) {
                rowMap[b] = new int[0];
                continue;
            }
            batches[b] = steps[b].batch();
            int n = batches[b].users().length / 2;
            if (n > batch) {
                throw new IllegalArgumentException(
                        "copy " + b + " has " + n + " triples in a step of " + batch);
            }
            rowMap[b] = new int[2 * n];
            for (int s = 0; s < n; s++) {
                rowMap[b][s] = s;
                rowMap[b][n + s] = batch + s;
                mask[b][s] = 1f;
            }
            relRows = Math.max(relRows, steps[b].heads().length);
        }
        int[][][] relIn = new int[5][copies][relRows];
        float[][] relM = new float[copies][relRows];
        for (int b = 0; b < copies; b++) {
            Arrays.fill(relIn[1][b], 1); // padding rows: type 1, every other index 0
            if (steps[b] == null) {
                continue;
            }
            int[][] src = {
                steps[b].heads(),
                steps[b].types(),
                steps[b].values(),
                steps[b].tailPos(),
                steps[b].tailNeg()
            };
            for (int k = 0; k < 5; k++) {
                System.arraycopy(src[k], 0, relIn[k][b], 0, src[k].length);
            }
            Arrays.fill(relM[b], 0, src[0].length, 1f);
        }
        Stacked st = stack(batches, 2 * batch, rowMap);
        TInt32[] relT = new TInt32[5];
        for (int k = 0; k < 5; k++) {
            relT[k] = ints(relIn[k]);
        }
        return new Prepared(st, floats(mask), relT, floats(relM));
    }

    /**
     * Runs a prepared step of every copy and closes {@code p}.
     *
     * @return each copy's loss before the update (0 for a copy without a step)
     */
    public float[] step(Prepared p) {
        try (p) {
            var runner = session.runner();
            List<Tensor> open = new ArrayList<>();
            feed(train, runner, p.rows, open);
            runner.feed(rowMask, p.mask);
            for (int k = 0; k < 5; k++) {
                runner.feed(rel[k], p.rel[k]);
            }
            runner.feed(relMask, p.relMask);
            runner.addTarget(step).fetch(losses);
            try (Result r = runner.run()) {
                float[] out = new float[copies];
                ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
                return out;
            }
        }
    }

    /** A [rows, columns] tensor of equally long rows, copied through one flat buffer. */
    private static TInt32 ints(int[][] a) {
        int cols = a.length == 0 ? 0 : a[0].length;
        int[] flat = new int[a.length * cols];
        for (int r = 0; r < a.length; r++) {
            System.arraycopy(a[r], 0, flat, r * cols, cols);
        }
        return TInt32.tensorOf(
                Shape.of(a.length, cols),
                org.tensorflow.ndarray.buffer.DataBuffers.of(flat, true, false));
    }

    /** {@link #ints} for floats. */
    private static TFloat32 floats(float[][] a) {
        int cols = a.length == 0 ? 0 : a[0].length;
        float[] flat = new float[a.length * cols];
        for (int r = 0; r < a.length; r++) {
            System.arraycopy(a[r], 0, flat, r * cols, cols);
        }
        return TFloat32.tensorOf(
                Shape.of(a.length, cols),
                org.tensorflow.ndarray.buffer.DataBuffers.of(flat, true, false));
    }

    private static void addAll(List<Tensor> open, Stacked s) {
        open.add(s.users());
        open.add(s.targets());
        open.addAll(Arrays.asList(s.rows()));
        open.addAll(Arrays.asList(s.items()));
        open.addAll(Arrays.asList(s.values()));
    }

    /**
     * Scores of copy b's rows {@code batches[b]} under copy b's weights (a null batch scores
     * nothing).
     */
    public float[][] score(RcfNeighbourLists.Batch[] batches) {
        if (batches.length != copies) {
            throw new IllegalArgumentException(
                    batches.length + " batches for " + copies + " copies");
        }
        int rowsPerCopy = 1;
        int[][] rowMap = new int[copies][];
        for (int b = 0; b < copies; b++) {
            int n = batches[b] == null ? 0 : batches[b].users().length;
            rowsPerCopy = Math.max(rowsPerCopy, n);
            rowMap[b] = new int[n];
            for (int s = 0; s < n; s++) {
                rowMap[b][s] = s;
            }
        }
        List<Tensor> open = new ArrayList<>();
        try {
            Stacked s = stack(batches, rowsPerCopy, rowMap);
            addAll(open, s);
            var runner = session.runner();
            feed(scoring, runner, s, open);
            runner.fetch(scores);
            try (Result r = runner.run()) {
                float[] all = new float[copies * rowsPerCopy];
                ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(all);
                float[][] out = new float[copies][];
                for (int b = 0; b < copies; b++) {
                    out[b] =
                            Arrays.copyOfRange(
                                    all, b * rowsPerCopy, b * rowsPerCopy + rowMap[b].length);
                }
                return out;
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    /** Copy b's weights and accumulators, copied out of the session. */
    public ParameterSet snapshot(int b) {
        List<String> names = new ArrayList<>(sizes.variables());
        for (String n : sizes.variables()) {
            names.add(OptimizerSlots.adagrad(n));
        }
        List<Variable<TFloat32>> all = new ArrayList<>(variables);
        all.addAll(accumulators);
        ParameterSet stacked = TfSessions.fetchState(session, names, all);
        List<NamedArray> out = new ArrayList<>();
        for (NamedArray a : stacked.arrays()) {
            long[] shape = Arrays.copyOfRange(a.shape(), 1, a.shape().length);
            int per = a.data().length / copies;
            out.add(
                    new NamedArray(
                            a.name(), shape, Arrays.copyOfRange(a.data(), b * per, (b + 1) * per)));
        }
        return new ParameterSet(out);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
