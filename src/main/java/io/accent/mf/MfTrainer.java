package io.accent.mf;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.data.Ratings;
import io.accent.modelio.RatingTraining;
import io.accent.tf.EpochOrder;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains MF with NCF's protocol (docs/SPEC.md §2.3–2.4, §11.1): truncated-normal factors, zero
 * biases, mu the mean training rating, MSE + L2 on the factor tables, Adam with a constant learning
 * rate, the first epoch in file order and later epochs shuffled by {@link EpochOrder}, an
 * incomplete tail batch dropped. Stateless; every call is replayable from its config and seed.
 */
public final class MfTrainer implements RatingTraining.Trainer {

    private final MfConfig config;
    private final int threads;

    /**
     * @param config hyperparameters, steps and seed
     * @param threads TensorFlow intra/inter-op threads (0 lets TensorFlow choose)
     */
    public MfTrainer(MfConfig config, int threads) {
        this.config = config;
        this.threads = threads;
    }

    public MfConfig config() {
        return config;
    }

    /** Outcome of a training run: the final state and its training MSE (no L2 term). */
    public record Outcome(ParameterSet state, double trainingMse) {}

    /** Called when training has made {@code step} updates, for each requested mark. */
    @FunctionalInterface
    public interface MarkListener {
        void reached(long step, Scorer scorer);
    }

    /** Scores pairs with the state of the moment. */
    @FunctionalInterface
    public interface Scorer {
        float[] score(int[] users, int[] items);
    }

    /** Trains from the seeded initialization. */
    public Outcome train(int numUsers, int numItems, Ratings train, Progress progress) {
        return train(
                numUsers,
                numItems,
                train,
                initialWeights(numUsers, numItems, train),
                new long[0],
                (s, g) -> {},
                progress);
    }

    /**
     * Trains from {@code start} (warm start: weights, mu and, if present, the Adam state). The
     * epoch order is new: the first epoch walks {@code train} in order, later ones are shuffled
     * with this trainer's seed.
     *
     * @param marks step counts (ascending, each in 1..steps) at which {@code listener} is called
     */
    public Outcome train(
            int numUsers,
            int numItems,
            Ratings train,
            ParameterSet start,
            long[] marks,
            MarkListener listener,
            Progress progress) {
        int b = config.batchSize();
        int perEpoch = train.size() / b;
        if (perEpoch == 0 && config.steps() > 0) {
            throw new ConfigException(
                    "batch size " + b + " exceeds the " + train.size() + " training rows");
        }
        EpochOrder shuffle = new EpochOrder(config.seed());
        try (MfTrainingGraph g = new MfTrainingGraph(config, numUsers, numItems, train, threads)) {
            g.load(start);
            int[] order = EpochOrder.identity(train.size());
            g.setEpochOrder(order);
            progress.start("train", config.steps());
            long done = 0;
            int inEpoch = 0;
            long epoch = 0;
            int next = 0;
            int k = config.stepsPerCall();
            while (done < config.steps()) {
                if (inEpoch == perEpoch) {
                    shuffle.shuffle(order);
                    g.setEpochOrder(order);
                    inEpoch = 0;
                    epoch++;
                }
                long until = config.steps();
                if (next < marks.length) {
                    until = Math.min(until, marks[next]);
                }
                int n = (int) Math.min(perEpoch - inEpoch, until - done);
                if (epoch % 20 == 0 && n >= k && inEpoch + n == perEpoch) {
                    g.steps(n - k);
                    progress.message(String.format("loss %.4f", g.fusedStepWithLoss()));
                } else {
                    g.steps(n);
                }
                done += n;
                inEpoch += n;
                progress.step(n);
                while (next < marks.length && marks[next] == done) {
                    listener.reached(done, g::score);
                    next++;
                }
            }
            double mse = g.trainingMse();
            progress.close();
            if (!Double.isFinite(mse)) {
                throw new SolverException(
                        "training diverged: training MSE is "
                                + mse
                                + " after "
                                + config.steps()
                                + " steps (learning rate "
                                + config.learningRate()
                                + ")");
            }
            return new Outcome(g.snapshot(), mse);
        }
    }

    @Override
    public RatingTraining.Trained fit(int users, int items, Ratings train, Progress progress) {
        Outcome o = train(users, items, train, progress);
        return new RatingTraining.Trained(o.state(), o.trainingMse());
    }

    /** Scores pairs with a given state, without training. */
    @Override
    public float[] score(int numUsers, int numItems, ParameterSet state, int[] users, int[] items) {
        Ratings none = Ratings.of(new int[] {0}, new int[] {0}, new float[] {0f}, new long[] {0L});
        try (MfTrainingGraph g =
                new MfTrainingGraph(config.withSteps(0), numUsers, numItems, none, threads)) {
            g.load(state);
            return g.score(users, items);
        }
    }

    /**
     * The seeded initialization: P and Q truncated normal (redrawn beyond two standard deviations)
     * with std 1/√d, biases zero, mu the mean rating of {@code train}.
     */
    public ParameterSet initialWeights(int numUsers, int numItems, Ratings train) {
        SplittableRandom rnd = new SplittableRandom(config.seed());
        int d = config.embeddingSize();
        long[][] shapes = MfNetwork.shapes(numUsers, numItems, d);
        double std = 1.0 / Math.sqrt(d);
        List<NamedArray> out = new ArrayList<>();
        for (int v = 0; v < 2; v++) {
            float[] data = new float[(int) (shapes[v][0] * shapes[v][1])];
            for (int k = 0; k < data.length; k++) {
                double z;
                do {
                    z = rnd.nextGaussian();
                } while (Math.abs(z) > 2.0);
                data[k] = (float) (z * std);
            }
            out.add(new NamedArray(MfNetwork.VARIABLES.get(v), shapes[v], data));
        }
        out.add(new NamedArray("Bu", shapes[2], new float[numUsers]));
        out.add(new NamedArray("Bi", shapes[3], new float[numItems]));
        out.add(new NamedArray("mu", shapes[4], new float[] {(float) meanRating(train)}));
        return new ParameterSet(out);
    }

    /** The mean rating of {@code rows} (0 when empty), summed in float64. */
    public static double meanRating(Ratings rows) {
        double s = 0;
        for (int r = 0; r < rows.size(); r++) {
            s += rows.rating(r);
        }
        return rows.size() == 0 ? 0 : s / rows.size();
    }
}
