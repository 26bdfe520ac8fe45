package io.accent.evaluate;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.data.Ratings;
import io.accent.model.AdamStep;
import io.accent.model.EpochOrder;
import io.accent.model.NamedArray;
import io.accent.model.NcfConfig;
import io.accent.model.NcfNetwork;
import io.accent.model.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.IntDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Many independent NCF retrains advancing together in one TensorFlow graph: B stacked copies of
 * every variable and Adam slot, each copy with its own removal set and data order, one session call
 * per (fused) step for all copies. Each copy starts from the same state (warm start, Adam state
 * included) and follows exactly the protocol of a retrain run alone (MODELS.md §7.1): the first epoch
 * in the order of its kept rows, then epochs shuffled by {@link EpochOrder} with the copy's seed, an
 * incomplete tail batch dropped. Copies do not interact: every op is per copy and Adam is
 * element-wise; the beta powers are shared because all copies take the same number of steps.
 */
public final class BatchedRetrainer implements AutoCloseable {

    /**
     * One retrain: remove the rows (user, j ∈ removed) and train with the given shuffle seed.
     *
     * @param user dense user id
     * @param removed dense item ids whose rows of {@code user} are dropped
     * @param seed shuffle seed (MODELS.md §7.1 uses 0..4)
     */
    public record Job(int user, Set<Integer> removed, long seed) {
        public Job {
            removed = Set.copyOf(removed);
        }
    }

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
    private final Placeholder<TInt32> permIn;
    private final Placeholder<TInt32> cursorIn;
    private final Op setOrder;
    private final Op oneStep;
    private final Op fusedStep;
    private final Operand<TFloat32> lastLoss;
    private final Placeholder<TInt32> scoreUsers;
    private final Placeholder<TInt32> scoreItems;
    private final Operand<TFloat32> scores;

    /**
     * @param config batch size, learning rate, weight decay and steps per call (steps and seed are
     *     ignored: they come with each run and job)
     * @param copies B, the number of retrains that advance together
     */
    public BatchedRetrainer(NcfConfig config, int numUsers, int numItems, Ratings train, int copies, int threads) {
        this(config, numUsers, numItems, train, copies, threads, false);
    }

    /**
     * @param xla whether TensorFlow may compile clusters of the graph with XLA (global JIT level
     *     ON_1, through the session configuration); results agree to float32 round-off
     */
    public BatchedRetrainer(NcfConfig config, int numUsers, int numItems, Ratings train, int copies, int threads,
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
                slots.add(tf.withName(VARS.get(v) + ".adam_m").variable(s, TFloat32.class));
                slots.add(tf.withName(VARS.get(v) + ".adam_v").variable(s, TFloat32.class));
            }
            beta1Power = tf.withName("adam.beta1_power").variable(Shape.scalar(), TFloat32.class);
            beta2Power = tf.withName("adam.beta2_power").variable(Shape.scalar(), TFloat32.class);
            for (Variable<TFloat32> v : state()) {
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
                assignIn.add(in);
                assignOps.add(tf.assign(v, in));
            }
            Operand<TInt32> users = tf.constant(train.users());
            Operand<TInt32> items = tf.constant(train.items());
            Operand<TFloat32> ratings = tf.constant(train.ratings());
            Variable<TInt32> perm = tf.withName("data.perm").variable(Shape.of(copies, rows), TInt32.class);
            Variable<TInt32> cursor = tf.withName("data.cursor").variable(Shape.of(copies), TInt32.class);
            permIn = tf.placeholder(TInt32.class);
            cursorIn = tf.placeholder(TInt32.class);
            setOrder = tf.withControlDependencies(List.of(tf.assign(perm, permIn), tf.assign(cursor, cursorIn))).noOp();

            oneStep = step(tf, List.of(), users, items, ratings, perm, cursor).done;
            Step s = null;
            List<Op> after = List.of();
            for (int k = 0; k < config.stepsPerCall(); k++) {
                s = step(tf, after, users, items, ratings, perm, cursor);
                after = List.of(s.done);
            }
            fusedStep = s.done;
            lastLoss = s.loss;

            scoreUsers = tf.placeholder(TInt32.class);
            scoreItems = tf.placeholder(TInt32.class);
            scores = forward(tf, reads(tf), scoreUsers, scoreItems);
            ConfigProto.Builder session = ConfigProto.newBuilder()
                    .setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
            if (xla) {
                session.setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(OptimizerOptions.newBuilder()
                        .setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
            }
            this.session = new Session(graph, session.build());
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

    /** Scores [B, M] for per-copy user and item indices [B, M], from reads of the stacked variables. */
    private static Operand<TFloat32> forward(Ops tf, Map<String, Operand<TFloat32>> reads, Operand<TInt32> u,
            Operand<TInt32> i) {
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

    private Step step(Ops tf0, List<Op> after, Operand<TInt32> users, Operand<TInt32> items, Operand<TFloat32> ratings,
            Variable<TInt32> perm, Variable<TInt32> cursor) {
        Ops tf = after.isEmpty() ? tf0 : tf0.withControlDependencies(after);
        Map<String, Operand<TFloat32>> byName = reads(tf);
        List<Operand<TFloat32>> reads = new ArrayList<>(byName.values());
        int b = config.batchSize();
        // positions in the flattened orders [B·rows] of this step's rows: b·rows + cursor_b·batch + k
        int[][] copyBase = new int[copies][1];
        for (int c = 0; c < copies; c++) {
            copyBase[c][0] = c * rows;
        }
        int[][] within = {EpochOrder.identity(b)};
        Operand<TInt32> cur = tf0.reshape(tf0.math.mul(tf.identity(cursor), tf0.constant(b)),
                tf0.constant(new int[] {copies, 1}));
        Operand<TInt32> offs = tf0.math.add(tf0.math.add(tf0.constant(copyBase), cur), tf0.constant(within));
        Operand<TInt32> idx = tf0.gather(tf0.reshape(tf.identity(perm), tf0.constant(new int[] {-1})), offs, tf0.constant(0));
        Operand<TInt32> axis0 = tf0.constant(0);
        Operand<TFloat32> pred = forward(tf0, byName, tf0.gather(users, idx, axis0), tf0.gather(items, idx, axis0));
        Operand<TFloat32> err = tf0.math.sub(pred, tf0.gather(ratings, idx, axis0));
        // per copy: mean over its batch, summed over copies (gradients stay per copy)
        Operand<TFloat32> mse = tf0.math.div(tf0.reduceSum(tf0.math.square(err), tf0.constant(new int[] {0, 1})),
                tf0.constant((float) b));
        Operand<TFloat32> l2 = AdamStep.decayedSquares(tf0, reads);
        Operand<TFloat32> total = tf0.math.add(mse, tf0.math.mul(tf0.constant((float) (0.5 * config.weightDecay())), l2));
        var grads = tf0.gradients(total, reads);
        List<Op> updates = AdamStep.build(tf, tf0, vars, slots, beta1Power, beta2Power, grads, config.learningRate());
        updates.add(tf0.withControlDependencies(updates).assignAdd(cursor,
                tf0.fill(tf0.constant(new int[] {copies}), tf0.constant(1))));
        return new Step(tf0.withControlDependencies(updates).noOp(), mse);
    }

    /** Number of copies B. */
    public int copies() {
        return copies;
    }

    /**
     * Runs the jobs (at most B; unused copies repeat the last job) from {@code start} for
     * {@code steps} steps and returns, for every checkpoint in {@code checkpoints} (ascending, each ≤
     * steps), the scores [job][m] of {@code scoreItems[job]} for the job's user.
     */
    public float[][][] run(ParameterSet start, List<Job> jobs, long steps, long[] checkpoints, int[][] scoreItems,
            Progress progress) {
        if (jobs.isEmpty() || jobs.size() > copies) {
            throw new ConfigException("a batch of " + copies + " copies takes 1.." + copies + " jobs, got " + jobs.size());
        }
        for (int c = 0; c < checkpoints.length; c++) {
            if (checkpoints[c] > steps || (c > 0 && checkpoints[c] <= checkpoints[c - 1])) {
                throw new ConfigException("checkpoints must ascend and not exceed " + steps + ": "
                        + Arrays.toString(checkpoints));
            }
        }
        load(start);
        int[][] kept = new int[copies][];
        EpochOrder[] orders = new EpochOrder[copies];
        int[] perEpoch = new int[copies];
        int[] pos = new int[copies];
        int[][] order = new int[copies][];
        IntStream.range(0, copies).parallel().forEach(b -> kept[b] = keptRows(jobs.get(Math.min(b, jobs.size() - 1))));
        for (int b = 0; b < copies; b++) {
            Job j = jobs.get(Math.min(b, jobs.size() - 1));
            orders[b] = new EpochOrder(j.seed());
            perEpoch[b] = kept[b].length / config.batchSize();
            if (perEpoch[b] == 0) {
                throw new ConfigException("batch size " + config.batchSize() + " exceeds the " + kept[b].length
                        + " rows left for user " + j.user());
            }
            order[b] = kept[b];
        }
        setOrder(order, pos);
        float[][][] out = new float[checkpoints.length][][];
        int nextCheckpoint = 0;
        long done = 0;
        progress.start("retrain", steps);
        while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint] == 0) {
            out[nextCheckpoint++] = score(jobs, scoreItems);
        }
        long lastLossAt = 0;
        while (done < steps) {
            // like the trainer: the previous epoch's order is shuffled in place; copies in parallel
            // (each copy has its own stream, so the result does not depend on the threads)
            int[] ending = IntStream.range(0, copies).filter(b -> pos[b] == perEpoch[b]).toArray();
            IntStream.of(ending).parallel().forEach(b -> orders[b].shuffle(order[b]));
            for (int b : ending) {
                pos[b] = 0;
            }
            boolean reorder = ending.length > 0;
            if (reorder) {
                setOrder(order, pos);
            }
            long n = steps - done;
            if (nextCheckpoint < checkpoints.length) {
                n = Math.min(n, checkpoints[nextCheckpoint] - done);
            }
            for (int b = 0; b < copies; b++) {
                n = Math.min(n, perEpoch[b] - pos[b]);
            }
            int k = config.stepsPerCall();
            long fused = n / k;
            boolean checkLoss = done - lastLossAt >= 5000 && fused > 0;
            for (long c = 0; c < fused; c++) {
                if (checkLoss && c == fused - 1) {
                    try (Result r = session.runner().addTarget(fusedStep).fetch(lastLoss).run()) {
                        float loss = ((TFloat32) r.get(0)).getFloat();
                        if (!Float.isFinite(loss)) {
                            throw new SolverException("retraining diverged: loss " + loss + " after " + done + " steps");
                        }
                    }
                    lastLossAt = done;
                } else {
                    session.runner().addTarget(fusedStep).run().close();
                }
            }
            for (long c = fused * k; c < n; c++) {
                session.runner().addTarget(oneStep).run().close();
            }
            done += n;
            for (int b = 0; b < copies; b++) {
                pos[b] += (int) n;
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
     * Where the time of a fused session call goes (MODELS.md §10): the summed op times of one traced
     * call by op type, the wall time of untraced calls, and the host-side cost of one epoch change
     * (shuffling every copy's order in Java, uploading the orders).
     *
     * @param opMicros summed execution time per op type over the traced calls, µs (all threads, all devices)
     * @param devices op type to the devices it ran on
     * @param callMicros wall time of one untraced fused call of {@code stepsPerCall} steps, µs
     * @param shuffleMillis Java shuffles of the B orders at an epoch change, ms
     * @param uploadMillis upload of the B orders, ms
     */
    public record Profile(Map<String, Long> opMicros, Map<String, Set<String>> devices, double callMicros,
            double shuffleMillis, double uploadMillis) {}

    /**
     * Profiles {@code calls} fused calls of the jobs from {@code start} (their first epoch; at most
     * one epoch of steps in all).
     */
    public Profile profile(ParameterSet start, List<Job> jobs, int calls) {
        load(start);
        int[][] order = new int[copies][];
        EpochOrder[] orders = new EpochOrder[copies];
        for (int b = 0; b < copies; b++) {
            Job j = jobs.get(Math.min(b, jobs.size() - 1));
            order[b] = keptRows(j);
            orders[b] = new EpochOrder(j.seed());
            if ((long) 2 * calls * config.stepsPerCall() > order[b].length / config.batchSize()) {
                throw new ConfigException(calls + " calls exceed the first epoch of user " + j.user());
            }
        }
        int[] pos = new int[copies];
        long t0 = System.nanoTime();
        setOrder(order, pos);
        long t1 = System.nanoTime();
        IntStream.range(0, copies).parallel().forEach(b -> orders[b].shuffle(order[b]));
        long t2 = System.nanoTime();
        setOrder(order, pos);
        Map<String, Long> ops = new TreeMap<>();
        Map<String, Set<String>> devices = new TreeMap<>();
        RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
        for (int c = 0; c < calls; c++) {
            try (Result r = session.runner().addTarget(fusedStep).setOptions(trace).runAndFetchMetadata()) {
                RunMetadata meta = r.getMetadata().orElseThrow();
                for (DeviceStepStats dev : meta.getStepStats().getDevStatsList()) {
                    for (NodeExecStats n : dev.getNodeStatsList()) {
                        String type = n.getTimelineLabel().contains(" = ")
                                ? n.getTimelineLabel().replaceAll("^.* = ([A-Za-z0-9_]+).*$", "$1") : n.getNodeName();
                        ops.merge(type, n.getAllEndRelMicros(), Long::sum);
                        devices.computeIfAbsent(type, x -> new java.util.TreeSet<>()).add(dev.getDevice());
                    }
                }
            }
        }
        long t3 = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            session.runner().addTarget(fusedStep).run().close();
        }
        long t4 = System.nanoTime();
        return new Profile(ops, devices, (t4 - t3) / 1e3 / calls, (t2 - t1) / 1e6, (t1 - t0) / 1e6);
    }

    /** Indices of the training rows a job keeps, in file order. */
    private int[] keptRows(Job j) {
        // only the job's user has rows to drop: skip those among its rows, copy the runs in between
        int[] drop = Arrays.stream(train.rowsOf(j.user())).filter(r -> j.removed().contains(train.item(r))).toArray();
        int[] out = new int[rows - drop.length];
        int from = 0;
        int n = 0;
        for (int r : drop) {
            for (int k = from; k < r; k++) {
                out[n++] = k;
            }
            from = r + 1;
        }
        for (int k = from; k < rows; k++) {
            out[n++] = k;
        }
        return out;
    }

    /** Uploads the copies' orders (written into the tensor directly, copies in parallel) and cursors. */
    private void setOrder(int[][] order, int[] pos) {
        try (TInt32 p = TInt32.tensorOf(Shape.of(copies, rows)); TInt32 c = TInt32.vectorOf(pos)) {
            IntDataBuffer buf = p.asRawTensor().data().asInts();
            int[] zeros = new int[rows];
            IntStream.range(0, copies).parallel().forEach(b -> {
                IntDataBuffer row = buf.offset((long) b * rows);
                row.write(order[b], 0, order[b].length);
                // rows a copy removed: never read (the cursor stops before them), zero for determinism
                row.offset(order[b].length).write(zeros, 0, rows - order[b].length);
            });
            session.runner().feed(permIn, p).feed(cursorIn, c).addTarget(setOrder).run().close();
        }
    }

    private float[][] score(List<Job> jobs, int[][] items) {
        int m = 0;
        for (int j = 0; j < jobs.size(); j++) {
            m = Math.max(m, items[j].length);
        }
        int[] u = new int[copies * m];
        int[] i = new int[copies * m];
        for (int b = 0; b < copies; b++) {
            int j = Math.min(b, jobs.size() - 1);
            for (int c = 0; c < m; c++) {
                u[b * m + c] = jobs.get(j).user();
                i[b * m + c] = c < items[j].length ? items[j][c] : 0;
            }
        }
        float[] s = new float[copies * m];
        try (TInt32 tu = TInt32.tensorOf(Shape.of(copies, m), DataBuffers.of(u, true, false));
                TInt32 ti = TInt32.tensorOf(Shape.of(copies, m), DataBuffers.of(i, true, false));
                Result r = session.runner().feed(scoreUsers, tu).feed(scoreItems, ti).fetch(scores).run()) {
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
            order.add(v + ".adam_m");
            order.add(v + ".adam_v");
        }
        order.add("adam.beta1_power");
        order.add("adam.beta2_power");
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
                } else if (n.equals("adam.beta1_power")) {
                    one = new float[] {AdamStep.BETA1};
                } else if (n.equals("adam.beta2_power")) {
                    one = new float[] {AdamStep.BETA2};
                } else {
                    one = new float[(int) (shape.size() / copies)];
                }
                float[] data;
                if (n.startsWith("adam.")) {
                    data = one;
                } else {
                    if ((long) one.length * copies != shape.size()) {
                        throw new ModelException("variable " + n + " has " + one.length + " values; the graph needs "
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

    /** The state of copy {@code b} (weights and Adam slots), e.g. to compare with a retrain run alone. */
    public ParameterSet snapshot(int b) {
        List<Variable<TFloat32>> all = new ArrayList<>(vars);
        all.addAll(slots);
        var runner = session.runner();
        all.forEach(runner::fetch);
        List<String> names = new ArrayList<>(VARS);
        for (String v : VARS) {
            names.add(v + ".adam_m");
            names.add(v + ".adam_v");
        }
        List<NamedArray> out = new ArrayList<>();
        try (Result r = runner.run()) {
            for (int k = 0; k < all.size(); k++) {
                TFloat32 t = (TFloat32) r.get(k);
                float[] d = new float[(int) t.shape().size()];
                t.asRawTensor().data().asFloats().read(d);
                int per = d.length / copies;
                long[] full = t.shape().asArray();
                out.add(new NamedArray(names.get(k), Arrays.copyOfRange(full, 1, full.length),
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
