package io.accent.ncf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.data.Ratings;
import io.accent.evaluate.RetrainJob;
import io.accent.tf.AdamStep;
import io.accent.tf.NamedArray;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Many independent NCF retrains advancing together in one TensorFlow graph: B stacked copies of
 * every variable and Adam slot, each copy with its own removal set and data order, one session call
 * per (fused) step for all copies. Each copy starts from the same state (warm start, Adam state
 * included) and follows the protocol of a retrain (docs/SPEC.md §7.1): the first epoch in the order
 * of its kept rows, then epochs in orders made on the device from the copy's seed and epoch ({@link
 * NcfDeviceEpochOrder}), an incomplete tail batch dropped. Copies do not interact: every op is per
 * copy and Adam is element-wise; the beta powers are shared because all copies take the same number
 * of steps. A copy's result therefore does not depend on B or on the other copies, up to float32
 * round-off of the batched kernels. Java keeps only each copy's step counters; at an epoch change
 * it feeds a few numbers per ending copy (its key and removed rows), never an order.
 */
public final class NcfBatchedRetrainer implements AutoCloseable {

    private static final List<String> VARS = NcfNetwork.VARIABLES;

    private final NcfConfig config;
    private final int copies;
    private final int rows;
    private final Ratings train;
    private final Graph graph;
    private final Session session;
    private final List<Variable<TFloat32>> vars = new ArrayList<>();
    private final List<Variable<TFloat32>> slots = new ArrayList<>();
    private final Variable<TFloat32> beta1Power;
    private final Variable<TFloat32> beta2Power;
    private final List<Placeholder<TFloat32>> assignIn = new ArrayList<>();
    private final List<Op> assignOps = new ArrayList<>();
    private final Variable<TInt64> perm;
    private final Variable<TInt64> cursor;
    private final Placeholder<TInt64> cursorIn;
    private final Op setCursor;
    private final NcfDeviceEpochOrder.Graph orders;
    private final Op oneStep;
    private final Op fusedStep;
    private final Operand<TFloat32> lastLoss;
    private final Placeholder<TInt64> scoreUsers;
    private final Placeholder<TInt64> scoreItems;
    private final Operand<TFloat32> scores;

    /**
     * @param config batch size, learning rate, weight decay and steps per call (steps and seed are
     *     ignored: they come with each run and job)
     * @param copies B, the number of retrains that advance together
     */
    public NcfBatchedRetrainer(
            NcfConfig config, int numUsers, int numItems, Ratings train, int copies, int threads) {
        this(config, numUsers, numItems, train, copies, threads, false);
    }

    /**
     * @param xla whether TensorFlow may compile clusters of the graph with XLA (global JIT level
     *     ON_1, through the session configuration); results agree to float32 round-off
     */
    public NcfBatchedRetrainer(
            NcfConfig config,
            int numUsers,
            int numItems,
            Ratings train,
            int copies,
            int threads,
            boolean xla) {
        if (copies < 1) {
            throw new ConfigException("a batch needs at least one retrain, got " + copies);
        }
        this.config = config;
        this.copies = copies;
        this.rows = train.size();
        this.train = train;
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            long[][] shapes = NcfNetwork.shapes(numUsers, numItems, config.embeddingSize());
            for (int v = 0; v < shapes.length; v++) {
                Shape s = stacked(shapes[v]);
                vars.add(tf.withName(VARS.get(v)).variable(s, TFloat32.class));
                slots.add(
                        tf.withName(OptimizerSlots.adamM(VARS.get(v))).variable(s, TFloat32.class));
                slots.add(
                        tf.withName(OptimizerSlots.adamV(VARS.get(v))).variable(s, TFloat32.class));
            }
            beta1Power =
                    tf.withName(OptimizerSlots.BETA1_POWER)
                            .variable(Shape.scalar(), TFloat32.class);
            beta2Power =
                    tf.withName(OptimizerSlots.BETA2_POWER)
                            .variable(Shape.scalar(), TFloat32.class);
            for (Variable<TFloat32> v : state()) {
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
                assignIn.add(in);
                assignOps.add(tf.assign(v, in));
            }
            // int64 for everything a step indexes with (see NcfNetwork.scoreStacked)
            Operand<TInt64> users =
                    tf.constant(Arrays.stream(train.users()).asLongStream().toArray());
            Operand<TInt64> items =
                    tf.constant(Arrays.stream(train.items()).asLongStream().toArray());
            Operand<TFloat32> ratings = tf.constant(train.ratings());
            perm = tf.withName("data.perm").variable(Shape.of(copies, rows), TInt64.class);
            cursor = tf.withName("data.cursor").variable(Shape.of(copies), TInt64.class);
            cursorIn = tf.placeholder(TInt64.class);
            setCursor = tf.assign(cursor, cursorIn);
            orders = NcfDeviceEpochOrder.build(tf, rows, perm);
            Op initPerm =
                    tf.assign(perm, tf.zeros(tf.constant(new long[] {copies, rows}), TInt64.class));

            oneStep = step(tf, List.of(), users, items, ratings, perm, cursor).done;
            Step s = null;
            List<Op> after = List.of();
            for (int k = 0; k < config.stepsPerCall(); k++) {
                s = step(tf, after, users, items, ratings, perm, cursor);
                after = List.of(s.done);
            }
            fusedStep = s.done;
            lastLoss = s.loss;

            scoreUsers = tf.placeholder(TInt64.class);
            scoreItems = tf.placeholder(TInt64.class);
            scores = forward(tf, reads(tf), scoreUsers, scoreItems);
            ConfigProto.Builder session = io.accent.tf.TfSessions.config(threads);
            if (xla) {
                session.setGraphOptions(
                        GraphOptions.newBuilder()
                                .setOptimizerOptions(
                                        OptimizerOptions.newBuilder()
                                                .setGlobalJitLevel(
                                                        OptimizerOptions.GlobalJitLevel.ON_1)));
            }
            this.session = new Session(graph, session.build());
            // the orders are written copy by copy (ScatterUpdate), so the variable needs a value
            // first
            this.session.runner().addTarget(initPerm).run().close();
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private Shape stacked(long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = copies;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return Shape.of(s);
    }

    private List<Variable<TFloat32>> state() {
        List<Variable<TFloat32>> all = new ArrayList<>(vars);
        all.addAll(slots);
        all.add(beta1Power);
        all.add(beta2Power);
        return all;
    }

    private record Step(Op done, Operand<TFloat32> loss) {}

    /**
     * Scores [B, M] for per-copy user and item indices [B, M], from reads of the stacked variables.
     */
    private static Operand<TFloat32> forward(
            Ops tf, Map<String, Operand<TFloat32>> reads, Operand<TInt64> u, Operand<TInt64> i) {
        return NcfNetwork.scoreStacked(tf, NcfNetwork.Weights.of(reads::get), u, i);
    }

    /** Reads of the stacked variables, by name. */
    private Map<String, Operand<TFloat32>> reads(Ops tf) {
        Map<String, Operand<TFloat32>> out = new LinkedHashMap<>();
        for (int v = 0; v < VARS.size(); v++) {
            out.put(VARS.get(v), tf.identity(vars.get(v)));
        }
        return out;
    }

    private Step step(
            Ops tf0,
            List<Op> after,
            Operand<TInt64> users,
            Operand<TInt64> items,
            Operand<TFloat32> ratings,
            Variable<TInt64> perm,
            Variable<TInt64> cursor) {
        Ops tf = after.isEmpty() ? tf0 : tf0.withControlDependencies(after);
        Map<String, Operand<TFloat32>> byName = reads(tf);
        List<Operand<TFloat32>> reads = new ArrayList<>(byName.values());
        int b = config.batchSize();
        // positions in the flattened orders [B·rows] of this step's rows: b·rows + cursor_b·batch +
        // k,
        // in int64 so that a GPU keeps this per-step index arithmetic on the device
        long[][] copyBase = new long[copies][1];
        for (int c = 0; c < copies; c++) {
            copyBase[c][0] = (long) c * rows;
        }
        long[][] within = new long[1][b];
        for (int k = 0; k < b; k++) {
            within[0][k] = k;
        }
        Operand<TInt64> cur =
                tf0.reshape(
                        tf0.math.mul(tf.identity(cursor), tf0.constant((long) b)),
                        tf0.constant(new long[] {copies, 1}));
        Operand<TInt64> offs =
                tf0.math.add(tf0.math.add(tf0.constant(copyBase), cur), tf0.constant(within));
        Operand<TInt64> idx =
                tf0.gather(
                        tf0.reshape(tf.identity(perm), tf0.constant(new long[] {-1})),
                        offs,
                        tf0.constant(0));
        Operand<TInt32> axis0 = tf0.constant(0);
        Operand<TFloat32> pred =
                forward(tf0, byName, tf0.gather(users, idx, axis0), tf0.gather(items, idx, axis0));
        Operand<TFloat32> err = tf0.math.sub(pred, tf0.gather(ratings, idx, axis0));
        // per copy: mean over its batch, summed over copies (gradients stay per copy)
        Operand<TFloat32> mse =
                tf0.math.div(
                        tf0.reduceSum(tf0.math.square(err), tf0.constant(new int[] {0, 1})),
                        tf0.constant((float) b));
        Operand<TFloat32> l2 = NcfNetwork.decayedSquares(tf0, reads);
        Operand<TFloat32> total =
                tf0.math.add(
                        mse, tf0.math.mul(tf0.constant((float) (0.5 * config.weightDecay())), l2));
        var grads = tf0.gradients(total, reads);
        List<Op> updates =
                AdamStep.build(
                        tf, tf0, vars, slots, beta1Power, beta2Power, grads, config.learningRate());
        updates.add(
                tf0.withControlDependencies(updates)
                        .assignAdd(
                                cursor,
                                tf0.fill(tf0.constant(new int[] {copies}), tf0.constant(1L))));
        return new Step(tf0.withControlDependencies(updates).noOp(), mse);
    }

    /** Number of copies B. */
    public int copies() {
        return copies;
    }

    /**
     * Runs the jobs (at most B; unused copies repeat the last job) from {@code start} for {@code
     * steps} steps and returns, for every checkpoint in {@code checkpoints} (ascending, each ≤
     * steps), the scores [job][m] of {@code scoreItems[job]} for the job's user.
     */
    public float[][][] run(
            ParameterSet start,
            List<RetrainJob> jobs,
            long steps,
            long[] checkpoints,
            int[][] scoreItems,
            Progress progress) {
        if (jobs.isEmpty() || jobs.size() > copies) {
            throw new ConfigException(
                    "a batch of "
                            + copies
                            + " copies takes 1.."
                            + copies
                            + " jobs, got "
                            + jobs.size());
        }
        for (int c = 0; c < checkpoints.length; c++) {
            if (checkpoints[c] > steps || (c > 0 && checkpoints[c] <= checkpoints[c - 1])) {
                throw new ConfigException(
                        "checkpoints must ascend and not exceed "
                                + steps
                                + ": "
                                + Arrays.toString(checkpoints));
            }
        }
        Epochs ep = begin(start, jobs);
        float[][][] out = new float[checkpoints.length][][];
        int nextCheckpoint = 0;
        long done = 0;
        progress.start("retrain", steps);
        while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint] == 0) {
            out[nextCheckpoint++] = score(jobs, scoreItems);
        }
        long lastLossAt = 0;
        while (done < steps) {
            // copies at the end of an epoch (the tail that does not fill a batch is dropped) start
            // the
            // next one; the device makes their orders
            int[] ending =
                    IntStream.range(0, copies).filter(b -> ep.pos[b] == ep.perEpoch[b]).toArray();
            if (ending.length > 0) {
                for (int b : ending) {
                    ep.pos[b] = 0;
                    ep.epoch[b]++;
                }
                newEpochs(ep, ending);
            }
            long n = steps - done;
            if (nextCheckpoint < checkpoints.length) {
                n = Math.min(n, checkpoints[nextCheckpoint] - done);
            }
            for (int b = 0; b < copies; b++) {
                n = Math.min(n, ep.perEpoch[b] - ep.pos[b]);
            }
            int k = config.stepsPerCall();
            long fused = n / k;
            boolean checkLoss = done - lastLossAt >= 5000 && fused > 0;
            for (long c = 0; c < fused; c++) {
                if (checkLoss && c == fused - 1) {
                    try (Result r = fusedCall().fetch(lastLoss).run()) {
                        float loss = ((TFloat32) r.get(0)).getFloat();
                        if (!Float.isFinite(loss)) {
                            throw new SolverException(
                                    "retraining diverged: loss "
                                            + loss
                                            + " after "
                                            + done
                                            + " steps");
                        }
                    }
                    lastLossAt = done;
                } else {
                    fusedCall().run().close();
                }
            }
            for (long c = fused * k; c < n; c++) {
                session.runner().addTarget(oneStep).run().close();
            }
            done += n;
            for (int b = 0; b < copies; b++) {
                ep.pos[b] += (int) n;
            }
            progress.step(n);
            while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint] == done) {
                out[nextCheckpoint++] = score(jobs, scoreItems);
            }
        }
        progress.close();
        return out;
    }

    /**
     * Loads {@code start} into every copy and begins the jobs' first epochs: their orders made on
     * the device, every cursor at 0.
     */
    Epochs begin(ParameterSet start, List<RetrainJob> jobs) {
        load(start);
        Epochs ep = new Epochs(jobs);
        newEpochs(ep, IntStream.range(0, copies).toArray());
        return ep;
    }

    /**
     * A runner for one fused call: {@code stepsPerCall} steps of every copy. Package-private, as
     * are {@link #begin}, {@link Epochs} and {@link #newEpochs(Epochs, int[], Consumer)}, so that
     * the profiler of benchmarks/ ({@code io.accent.ncf.RetrainProfiler}) can time and trace the
     * calls that {@link #run} makes.
     */
    Session.Runner fusedCall() {
        return session.runner().addTarget(fusedStep);
    }

    private static int job(int b, List<RetrainJob> jobs) {
        return Math.min(b, jobs.size() - 1);
    }

    /**
     * Per copy: its seed, removed row numbers, steps per epoch, current epoch and step within it.
     */
    final class Epochs {
        final long[] seed = new long[copies];
        final int[][] removed = new int[copies][];
        final int[] perEpoch = new int[copies];
        final long[] epoch = new long[copies];
        final int[] pos = new int[copies];

        Epochs(List<RetrainJob> jobs) {
            for (int b = 0; b < copies; b++) {
                RetrainJob j = jobs.get(job(b, jobs));
                seed[b] = j.seed();
                removed[b] = removedRows(j);
                perEpoch[b] = (rows - removed[b].length) / config.batchSize();
                if (perEpoch[b] == 0) {
                    throw new ConfigException(
                            "batch size "
                                    + config.batchSize()
                                    + " exceeds the "
                                    + (rows - removed[b].length)
                                    + " rows left for user "
                                    + j.user());
                }
            }
        }
    }

    /** Row numbers of the training rows a job removes (only its user's rows can be removed). */
    private int[] removedRows(RetrainJob j) {
        return Arrays.stream(train.rowsOf(j.user()))
                .filter(r -> j.removed().contains(train.item(r)))
                .toArray();
    }

    private void newEpochs(Epochs ep, int[] which) {
        newEpochs(ep, which, r -> r.run().close());
    }

    /**
     * Makes the orders of the current epochs of copies {@code which} on the device and sets every
     * copy's cursor to its position: {@code call} runs the prepared runner (its feeds are closed
     * after it returns).
     */
    void newEpochs(Epochs ep, int[] which, Consumer<Session.Runner> call) {
        int e = which.length;
        int bits = NcfDeviceEpochOrder.bits(rows);
        // the distinct (seed, epoch) pairs of the ending copies: one π each on the device
        Map<List<Long>, Integer> groups = new LinkedHashMap<>();
        long[] ids = new long[e];
        long[] group = new long[e];
        int width = 1;
        for (int k = 0; k < e; k++) {
            int b = which[k];
            ids[k] = b;
            group[k] = groups.computeIfAbsent(List.of(ep.seed[b], ep.epoch[b]), x -> groups.size());
            width = Math.max(width, ep.removed[b].length);
        }
        int d = groups.size();
        long[][] keys = new long[3][d];
        long[] first = new long[d];
        for (Map.Entry<List<Long>, Integer> g : groups.entrySet()) {
            long[] rk = NcfDeviceEpochOrder.roundKeys(g.getKey().get(0), g.getKey().get(1), bits);
            for (int r = 0; r < 3; r++) {
                keys[r][g.getValue()] = rk[r];
            }
            first[g.getValue()] = g.getKey().get(1) == 0 ? 1 : 0;
        }
        long[] removed = new long[e * width];
        Arrays.fill(removed, -1);
        for (int k = 0; k < e; k++) {
            int[] rm = ep.removed[which[k]];
            for (int c = 0; c < rm.length; c++) {
                removed[k * width + c] = rm[c];
            }
        }
        long[] pos = Arrays.stream(ep.pos).asLongStream().toArray();
        NcfDeviceEpochOrder.Graph g = orders;
        Shape col = Shape.of(d, 1);
        try (TInt64 t0 = TInt64.tensorOf(col, DataBuffers.of(keys[0], true, false));
                TInt64 t1 = TInt64.tensorOf(col, DataBuffers.of(keys[1], true, false));
                TInt64 t2 = TInt64.tensorOf(col, DataBuffers.of(keys[2], true, false));
                TInt64 tFirst = TInt64.tensorOf(col, DataBuffers.of(first, true, false));
                TInt64 tIds = TInt64.vectorOf(ids);
                TInt64 tGroup = TInt64.vectorOf(group);
                TInt64 tRemoved =
                        TInt64.tensorOf(Shape.of(e, width), DataBuffers.of(removed, true, false));
                TInt64 tPos = TInt64.vectorOf(pos)) {
            var runner =
                    session.runner()
                            .feed(g.k0(), t0)
                            .feed(g.k1(), t1)
                            .feed(g.k2(), t2)
                            .feed(g.first(), tFirst)
                            .feed(g.copies(), tIds)
                            .feed(g.group(), tGroup)
                            .feed(g.removed(), tRemoved)
                            .feed(cursorIn, tPos)
                            .addTarget(g.update())
                            .addTarget(setCursor);
            call.accept(runner);
        }
    }

    /**
     * The order of copy {@code b}'s current epoch as the device holds it: row numbers, its kept
     * rows first (positions past them are never read). For tests.
     */
    long[] currentOrder(int b) {
        try (Result r = session.runner().fetch(perm).run()) {
            long[] all = new long[copies * rows];
            ((TInt64) r.get(0)).asRawTensor().data().asLongs().read(all);
            return Arrays.copyOfRange(all, b * rows, (b + 1) * rows);
        }
    }

    /** Copy {@code b}'s cursor (batches done in the current epoch). For tests. */
    long cursor(int b) {
        try (Result r = session.runner().fetch(cursor).run()) {
            return ((TInt64) r.get(0)).getLong(b);
        }
    }

    private float[][] score(List<RetrainJob> jobs, int[][] items) {
        int m = 0;
        for (int j = 0; j < jobs.size(); j++) {
            m = Math.max(m, items[j].length);
        }
        long[] u = new long[copies * m];
        long[] i = new long[copies * m];
        for (int b = 0; b < copies; b++) {
            int j = Math.min(b, jobs.size() - 1);
            for (int c = 0; c < m; c++) {
                u[b * m + c] = jobs.get(j).user();
                i[b * m + c] = c < items[j].length ? items[j][c] : 0;
            }
        }
        float[] s = new float[copies * m];
        try (TInt64 tu = TInt64.tensorOf(Shape.of(copies, m), DataBuffers.of(u, true, false));
                TInt64 ti = TInt64.tensorOf(Shape.of(copies, m), DataBuffers.of(i, true, false));
                Result r =
                        session.runner()
                                .feed(scoreUsers, tu)
                                .feed(scoreItems, ti)
                                .fetch(scores)
                                .run()) {
            ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(s);
        }
        float[][] out = new float[jobs.size()][];
        for (int j = 0; j < jobs.size(); j++) {
            out[j] = Arrays.copyOfRange(s, j * m, j * m + items[j].length);
        }
        return out;
    }

    /** Copies {@code start} into every copy; missing Adam state starts fresh. */
    private void load(ParameterSet start) {
        List<Variable<TFloat32>> all = state();
        // slots were added interleaved (m, v per variable) in the constructor: match that order
        List<String> order = new ArrayList<>(VARS);
        for (String v : VARS) {
            order.add(OptimizerSlots.adamM(v));
            order.add(OptimizerSlots.adamV(v));
        }
        order.add(OptimizerSlots.BETA1_POWER);
        order.add(OptimizerSlots.BETA2_POWER);
        List<Tensor> tensors = new ArrayList<>();
        try {
            var runner = session.runner();
            for (int k = 0; k < all.size(); k++) {
                String n = order.get(k);
                Shape shape = all.get(k).shape();
                float[] one;
                var found = start.find(n);
                if (found.isPresent()) {
                    one = found.get().data();
                } else if (k < VARS.size()) {
                    throw new ModelException("start state lacks variable " + n);
                } else if (n.equals(OptimizerSlots.BETA1_POWER)) {
                    one = new float[] {AdamStep.BETA1};
                } else if (n.equals(OptimizerSlots.BETA2_POWER)) {
                    one = new float[] {AdamStep.BETA2};
                } else {
                    one = new float[(int) (shape.size() / copies)];
                }
                float[] data;
                if (OptimizerSlots.isAdamScalar(n)) {
                    data = one;
                } else {
                    if ((long) one.length * copies != shape.size()) {
                        throw new ModelException(
                                "variable "
                                        + n
                                        + " has "
                                        + one.length
                                        + " values; the graph needs "
                                        + shape.size() / copies);
                    }
                    data = new float[(int) shape.size()];
                    for (int b = 0; b < copies; b++) {
                        System.arraycopy(one, 0, data, b * one.length, one.length);
                    }
                }
                TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(data, true, false));
                tensors.add(t);
                runner.feed(assignIn.get(k), t).addTarget(assignOps.get(k));
            }
            runner.run().close();
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    /**
     * The state of copy {@code b} (weights and Adam slots), e.g. to compare with a retrain run
     * alone.
     */
    public ParameterSet snapshot(int b) {
        List<Variable<TFloat32>> all = new ArrayList<>(vars);
        all.addAll(slots);
        var runner = session.runner();
        all.forEach(runner::fetch);
        List<String> names = new ArrayList<>(VARS);
        for (String v : VARS) {
            names.add(OptimizerSlots.adamM(v));
            names.add(OptimizerSlots.adamV(v));
        }
        List<NamedArray> out = new ArrayList<>();
        try (Result r = runner.run()) {
            for (int k = 0; k < all.size(); k++) {
                TFloat32 t = (TFloat32) r.get(k);
                float[] d = new float[(int) t.shape().size()];
                t.asRawTensor().data().asFloats().read(d);
                int per = d.length / copies;
                long[] full = t.shape().asArray();
                out.add(
                        new NamedArray(
                                names.get(k),
                                Arrays.copyOfRange(full, 1, full.length),
                                Arrays.copyOfRange(d, b * per, (b + 1) * per)));
            }
        }
        return new ParameterSet(out);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
