package io.accent.ncf;

import io.accent.core.SolverException;
import io.accent.data.Ratings;
import io.accent.tf.AdamStep;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.PairScores;
import io.accent.tf.ParameterSet;
import io.accent.tf.StateLoader;
import io.accent.tf.TfSessions;
import io.accent.tf.TrainingColumns;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One NCF model in one TensorFlow graph and session, set up for fast training: the training rows
 * are graph constants, the epoch order lives in a variable, and {@code k} Adam steps (docs/SPEC.md
 * §2.3–2.4) are fused into one session call, so that a step costs no feeds and no fetches.
 */
public final class NcfTrainingGraph implements AutoCloseable {

    private final NcfConfig config;
    private final int numUsers;
    private final int numItems;
    private final int rows;
    private final Graph graph;
    private final Session session;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final List<Variable<TFloat32>> slots = new ArrayList<>();
    private final List<String> slotNames = new ArrayList<>();
    private final Variable<TFloat32> beta1Power;
    private final Variable<TFloat32> beta2Power;
    private final StateLoader stateLoader;
    private final Placeholder<TInt32> permInput;
    private final Op setPerm;
    private final Op oneStep;
    private final Op fusedStep;
    private final Operand<TFloat32> lastLoss;
    private final Placeholder<TInt32> scoreUsers;
    private final Placeholder<TInt32> scoreItems;
    private final Operand<TFloat32> scores;
    private final Ratings train;
    private final PairScores pairScores;

    /**
     * Builds the graph and opens its session; call {@link #load} before stepping.
     *
     * @param threads TensorFlow intra/inter-op threads (0 lets TensorFlow choose)
     */
    public NcfTrainingGraph(
            NcfConfig config, int numUsers, int numItems, Ratings train, int threads) {
        this.config = config;
        this.train = train;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.rows = train.size();
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            int e = config.embeddingSize();
            long[][] shapes = NcfNetwork.shapes(numUsers, numItems, e);
            for (int v = 0; v < shapes.length; v++) {
                String name = NcfNetwork.VARIABLES.get(v);
                variables.add(tf.withName(name).variable(Shape.of(shapes[v]), TFloat32.class));
            }
            for (int v = 0; v < shapes.length; v++) {
                String name = NcfNetwork.VARIABLES.get(v);
                for (String slot :
                        new String[] {OptimizerSlots.adamM(name), OptimizerSlots.adamV(name)}) {
                    slotNames.add(slot);
                    slots.add(tf.withName(slot).variable(Shape.of(shapes[v]), TFloat32.class));
                }
            }
            beta1Power =
                    tf.withName(OptimizerSlots.BETA1_POWER)
                            .variable(Shape.scalar(), TFloat32.class);
            beta2Power =
                    tf.withName(OptimizerSlots.BETA2_POWER)
                            .variable(Shape.scalar(), TFloat32.class);
            stateLoader =
                    new StateLoader(tf, allStateNames(), allState(), NcfNetwork.VARIABLES.size());

            TrainingColumns columns = new TrainingColumns(tf, train.size());
            Operand<TInt32> users = columns.users();
            Operand<TInt32> items = columns.items();
            Operand<TFloat32> ratings = columns.ratings();
            Variable<TInt32> perm = tf.withName("data.perm").variable(Shape.of(rows), TInt32.class);
            Variable<TInt32> cursor =
                    tf.withName("data.cursor").variable(Shape.scalar(), TInt32.class);
            permInput = tf.placeholder(TInt32.class);
            setPerm =
                    tf.withName("data.set_perm")
                            .withControlDependencies(
                                    tf.assign(perm, permInput), tf.assign(cursor, tf.constant(0)))
                            .noOp();

            oneStep = buildStep(tf, List.of(), users, items, ratings, perm, cursor).done;
            Step s = null;
            List<Op> deps = List.of();
            for (int k = 0; k < config.stepsPerCall(); k++) {
                s = buildStep(tf, deps, users, items, ratings, perm, cursor);
                deps = List.of(s.done);
            }
            fusedStep = s.done;
            lastLoss = s.loss;

            scoreUsers = tf.placeholder(TInt32.class);
            scoreItems = tf.placeholder(TInt32.class);
            scores =
                    NcfNetwork.score(
                            tf,
                            read(tf, 0),
                            read(tf, 1),
                            read(tf, 2),
                            read(tf, 3),
                            dense(tf, List.of()),
                            scoreUsers,
                            scoreItems);

            session = TfSessions.open(graph, threads);
            columns.fill(session, train);
            pairScores = new PairScores(session, scoreUsers, scoreItems, scores);
        } catch (RuntimeException ex) {
            graph.close();
            throw ex;
        }
    }

    private record Step(Op done, Operand<TFloat32> loss) {}

    private Operand<TFloat32> read(Ops tf, int v) {
        return tf.identity(variables.get(v));
    }

    private NcfNetwork.Dense<TFloat32> dense(Ops tf, List<Operand<TFloat32>> reads) {
        if (reads.isEmpty()) {
            return new NcfNetwork.Dense<>(
                    read(tf, 4), read(tf, 5), read(tf, 6), read(tf, 7), read(tf, 8), read(tf, 9));
        }
        return new NcfNetwork.Dense<>(
                reads.get(4), reads.get(5), reads.get(6), reads.get(7), reads.get(8), reads.get(9));
    }

    private Step buildStep(
            Ops tf0,
            List<Op> after,
            Operand<TInt32> users,
            Operand<TInt32> items,
            Operand<TFloat32> ratings,
            Variable<TInt32> perm,
            Variable<TInt32> cursor) {
        Ops tf = after.isEmpty() ? tf0 : tf0.withControlDependencies(after);
        List<Operand<TFloat32>> reads = new ArrayList<>();
        for (Variable<TFloat32> v : variables) {
            reads.add(tf.identity(v));
        }
        Operand<TInt32> cur = tf.identity(cursor);
        Operand<TInt32> b = tf.constant(config.batchSize());
        Operand<TInt32> start = tf.reshape(tf.math.mul(cur, b), tf.constant(new int[] {1}));
        Operand<TInt32> idx =
                tf.slice(tf.identity(perm), start, tf.constant(new int[] {config.batchSize()}));
        Operand<TInt32> axis0 = tf.constant(0);
        Operand<TFloat32> pred =
                NcfNetwork.score(
                        tf0,
                        reads.get(0),
                        reads.get(1),
                        reads.get(2),
                        reads.get(3),
                        dense(tf0, reads),
                        tf0.gather(users, idx, axis0),
                        tf0.gather(items, idx, axis0));
        Operand<TFloat32> err = tf0.math.sub(pred, tf0.gather(ratings, idx, axis0));
        Operand<TFloat32> loss = tf0.math.mean(tf0.math.square(err), tf0.constant(0));
        Operand<TFloat32> l2 = NcfNetwork.decayedSquares(tf0, reads);
        Operand<TFloat32> total =
                tf0.math.add(
                        loss, tf0.math.mul(tf0.constant((float) (0.5 * config.weightDecay())), l2));
        var grads = tf0.gradients(total, reads);
        List<Op> updates =
                AdamStep.build(
                        tf,
                        tf0,
                        variables,
                        slots,
                        beta1Power,
                        beta2Power,
                        grads,
                        config.learningRate());
        updates.add(tf0.withControlDependencies(updates).assignAdd(cursor, tf0.constant(1)));
        Op done = tf0.withControlDependencies(updates).noOp();
        return new Step(done, loss);
    }

    private List<Variable<TFloat32>> allState() {
        List<Variable<TFloat32>> all = new ArrayList<>(variables);
        all.addAll(slots);
        all.add(beta1Power);
        all.add(beta2Power);
        return all;
    }

    private List<String> allStateNames() {
        List<String> names = new ArrayList<>(NcfNetwork.VARIABLES);
        names.addAll(slotNames);
        names.add(OptimizerSlots.BETA1_POWER);
        names.add(OptimizerSlots.BETA2_POWER);
        return names;
    }

    /**
     * Sets the weights and, when {@code state} holds them, the Adam moments and beta powers;
     * otherwise the optimizer starts fresh (zero moments, powers β1 and β2).
     */
    public void load(ParameterSet state) {
        stateLoader.load(
                session,
                state,
                (n, shape) ->
                        switch (n) {
                            case OptimizerSlots.BETA1_POWER -> new float[] {AdamStep.BETA1};
                            case OptimizerSlots.BETA2_POWER -> new float[] {AdamStep.BETA2};
                            default -> new float[(int) Shape.of(shape).size()];
                        });
    }

    /** Sets the row order of the next epoch and rewinds the cursor to its first batch. */
    public void setEpochOrder(int[] order) {
        try (TInt32 t = TInt32.vectorOf(order)) {
            session.runner().feed(permInput, t).addTarget(setPerm).run().close();
        }
    }

    /** Runs {@code n} Adam steps from the current cursor; they must not cross the epoch end. */
    public void steps(int n) {
        int k = config.stepsPerCall();
        int fused = n / k;
        for (int c = 0; c < fused; c++) {
            session.runner().addTarget(fusedStep).run().close();
        }
        for (int c = 0; c < n - fused * k; c++) {
            session.runner().addTarget(oneStep).run().close();
        }
    }

    /** Runs {@code k = stepsPerCall} steps and returns the minibatch loss of the last one. */
    public float fusedStepWithLoss() {
        try (Result r = session.runner().addTarget(fusedStep).fetch(lastLoss).run()) {
            float v = ((TFloat32) r.get(0)).getFloat();
            if (!Float.isFinite(v)) {
                throw new SolverException("training diverged: minibatch loss is " + v);
            }
            return v;
        }
    }

    /** Mean squared error of the current model over all training rows (no L2 term). */
    public double trainingMse() {
        return pairScores.meanSquaredError(train);
    }

    /** Scores of the pairs (users[b], items[b]). */
    public float[] score(int[] users, int[] items) {
        return pairScores.score(users, items);
    }

    /** All weights and optimizer state, copied out of the session. */
    public ParameterSet snapshot() {
        return TfSessions.fetchState(session, allStateNames(), allState());
    }

    public int rows() {
        return rows;
    }

    public int numUsers() {
        return numUsers;
    }

    public int numItems() {
        return numItems;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
