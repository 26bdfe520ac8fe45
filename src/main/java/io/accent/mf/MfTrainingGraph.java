package io.accent.mf;

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
 * One MF model in one TensorFlow graph and session, set up like NCF's training graph: the training
 * rows are graph constants, the epoch order lives in a variable, and several Adam steps are fused
 * into one session call.
 */
final class MfTrainingGraph implements AutoCloseable {

    private final MfConfig config;
    private final Graph graph;
    private final Session session;
    private final List<Variable<TFloat32>> variables = new ArrayList<>();
    private final Variable<TFloat32> mu;
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
    MfTrainingGraph(MfConfig config, int numUsers, int numItems, Ratings train, int threads) {
        this.config = config;
        this.train = train;
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            long[][] shapes = MfNetwork.shapes(numUsers, numItems, config.embeddingSize());
            for (int v = 0; v < MfNetwork.TRAINED.size(); v++) {
                variables.add(
                        tf.withName(MfNetwork.TRAINED.get(v))
                                .variable(Shape.of(shapes[v]), TFloat32.class));
            }
            mu = tf.withName("mu").variable(Shape.scalar(), TFloat32.class);
            for (int v = 0; v < MfNetwork.TRAINED.size(); v++) {
                String name = MfNetwork.TRAINED.get(v);
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
                    new StateLoader(tf, allStateNames(), allState(), MfNetwork.VARIABLES.size());

            int rows = train.size();
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
            scores = score(tf, reads(tf), scoreUsers, scoreItems);

            session = TfSessions.open(graph, threads);
            columns.fill(session, train);
            pairScores = new PairScores(session, scoreUsers, scoreItems, scores);
        } catch (RuntimeException ex) {
            graph.close();
            throw ex;
        }
    }

    private record Step(Op done, Operand<TFloat32> loss) {}

    private List<Operand<TFloat32>> reads(Ops tf) {
        List<Operand<TFloat32>> r = new ArrayList<>();
        for (Variable<TFloat32> v : variables) {
            r.add(tf.identity(v));
        }
        return r;
    }

    private Operand<TFloat32> score(
            Ops tf, List<Operand<TFloat32>> r, Operand<TInt32> users, Operand<TInt32> items) {
        return MfNetwork.score(
                tf,
                r.get(MfNetwork.P),
                r.get(MfNetwork.Q),
                r.get(MfNetwork.BU),
                r.get(MfNetwork.BI),
                tf.identity(mu),
                users,
                items);
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
        List<Operand<TFloat32>> reads = reads(tf);
        Operand<TInt32> cur = tf.identity(cursor);
        Operand<TInt32> b = tf.constant(config.batchSize());
        Operand<TInt32> start = tf.reshape(tf.math.mul(cur, b), tf.constant(new int[] {1}));
        Operand<TInt32> idx =
                tf.slice(tf.identity(perm), start, tf.constant(new int[] {config.batchSize()}));
        Operand<TInt32> axis0 = tf0.constant(0);
        Operand<TFloat32> pred =
                score(tf0, reads, tf0.gather(users, idx, axis0), tf0.gather(items, idx, axis0));
        Operand<TFloat32> err = tf0.math.sub(pred, tf0.gather(ratings, idx, axis0));
        Operand<TFloat32> loss = tf0.math.mean(tf0.math.square(err), tf0.constant(0));
        Operand<TFloat32> l2 =
                tf0.math.add(
                        tf0.reduceSum(
                                tf0.math.square(reads.get(MfNetwork.P)),
                                tf0.constant(new int[] {0, 1})),
                        tf0.reduceSum(
                                tf0.math.square(reads.get(MfNetwork.Q)),
                                tf0.constant(new int[] {0, 1})));
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
        all.add(mu);
        all.addAll(slots);
        all.add(beta1Power);
        all.add(beta2Power);
        return all;
    }

    private List<String> allStateNames() {
        List<String> names = new ArrayList<>(MfNetwork.VARIABLES);
        names.addAll(slotNames);
        names.add(OptimizerSlots.BETA1_POWER);
        names.add(OptimizerSlots.BETA2_POWER);
        return names;
    }

    /**
     * Sets the weights and mu and, when {@code state} holds them, the Adam moments and beta powers;
     * otherwise the optimizer starts fresh (zero moments, powers β1 and β2).
     */
    void load(ParameterSet state) {
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
    void setEpochOrder(int[] order) {
        try (TInt32 t = TInt32.vectorOf(order)) {
            session.runner().feed(permInput, t).addTarget(setPerm).run().close();
        }
    }

    /** Runs {@code n} Adam steps from the current cursor; they must not cross the epoch end. */
    void steps(int n) {
        int k = config.stepsPerCall();
        int fused = n / k;
        for (int c = 0; c < fused; c++) {
            session.runner().addTarget(fusedStep).run().close();
        }
        for (int c = 0; c < n - fused * k; c++) {
            session.runner().addTarget(oneStep).run().close();
        }
    }

    /** Runs {@code stepsPerCall} steps and returns the minibatch loss of the last one. */
    float fusedStepWithLoss() {
        try (Result r = session.runner().addTarget(fusedStep).fetch(lastLoss).run()) {
            float v = ((TFloat32) r.get(0)).getFloat();
            if (!Float.isFinite(v)) {
                throw new SolverException("training diverged: minibatch loss is " + v);
            }
            return v;
        }
    }

    /** Mean squared error of the current model over all training rows (no L2 term). */
    double trainingMse() {
        return pairScores.meanSquaredError(train);
    }

    /** Scores of the pairs (users[b], items[b]). */
    float[] score(int[] users, int[] items) {
        return pairScores.score(users, items);
    }

    /** All weights, mu and optimizer state, copied out of the session. */
    ParameterSet snapshot() {
        return TfSessions.fetchState(session, allStateNames(), allState());
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
