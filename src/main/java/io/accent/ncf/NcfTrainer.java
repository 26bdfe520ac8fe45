package io.accent.ncf;

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
 * Trains NCF with the reference protocol (docs/SPEC.md §2): TF1 truncated-normal initialization,
 * MSE + L2 loss, Adam with a constant learning rate, the first epoch in file order and later epochs
 * shuffled, an incomplete tail batch dropped. The trainer is stateless; every call is replayable
 * from its config and seed.
 */
public final class NcfTrainer implements RatingTraining.Trainer {

    private final NcfConfig config;
    private final int threads;

    /**
     * @param config hyperparameters, steps and seed
     * @param threads TensorFlow intra/inter-op threads (0 lets TensorFlow choose)
     */
    public NcfTrainer(NcfConfig config, int threads) {
        this.config = config;
        this.threads = threads;
    }

    public NcfConfig config() {
        return config;
    }

    /** Outcome of a training run: the final state and the loss curve. */
    public record Outcome(ParameterSet state, double trainingMse, List<LossPoint> losses) {
        public Outcome {
            losses = List.copyOf(losses);
        }
    }

    /** Minibatch loss (MSE part) observed after {@code step} updates. */
    public record LossPoint(long step, double loss) {}

    /**
     * Trains from the seeded initialization.
     *
     * @param numUsers size of the user id space
     * @param numItems size of the item id space
     */
    public Outcome train(int numUsers, int numItems, Ratings train, Progress progress) {
        return train(numUsers, numItems, train, initialWeights(numUsers, numItems), progress);
    }

    /**
     * Trains from a given state (warm start): weights and, if present, Adam moments and powers. The
     * epoch order is new: the first epoch walks {@code train} in order, later ones are shuffled
     * with this trainer's seed.
     */
    public Outcome train(
            int numUsers, int numItems, Ratings train, ParameterSet start, Progress progress) {
        int b = config.batchSize();
        int perEpoch = train.size() / b;
        if (perEpoch == 0 && config.steps() > 0) {
            throw new ConfigException(
                    "batch size " + b + " exceeds the " + train.size() + " training rows");
        }
        EpochOrder shuffle = new EpochOrder(config.seed());
        List<LossPoint> losses = new ArrayList<>();
        try (NcfTrainingGraph g =
                new NcfTrainingGraph(config, numUsers, numItems, train, threads)) {
            g.load(start);
            int[] order = EpochOrder.identity(train.size());
            g.setEpochOrder(order);
            progress.start("train", config.steps());
            long done = 0;
            int inEpoch = 0;
            long epoch = 0;
            int k = config.stepsPerCall();
            while (done < config.steps()) {
                if (inEpoch == perEpoch) {
                    shuffle.shuffle(order);
                    g.setEpochOrder(order);
                    inEpoch = 0;
                    epoch++;
                }
                int n = (int) Math.min(perEpoch - inEpoch, config.steps() - done);
                boolean logLoss = epoch % 20 == 0 && n >= k;
                if (logLoss) {
                    g.steps(n - k);
                    float loss = g.fusedStepWithLoss();
                    losses.add(new LossPoint(done + n, loss));
                    progress.message(String.format("loss %.4f", loss));
                } else {
                    g.steps(n);
                }
                done += n;
                inEpoch += n;
                progress.step(n);
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
            return new Outcome(g.snapshot(), mse, losses);
        }
    }

    @Override
    public RatingTraining.Trained fit(int users, int items, Ratings train, Progress progress) {
        Outcome o = train(users, items, train, progress);
        return new RatingTraining.Trained(o.state(), o.trainingMse());
    }

    /** Scores pairs with a given state, without training (used by tests and evaluation). */
    @Override
    public float[] score(int numUsers, int numItems, ParameterSet state, int[] users, int[] items) {
        Ratings none = Ratings.of(new int[] {0}, new int[] {0}, new float[] {0f}, new long[] {0L});
        try (NcfTrainingGraph g =
                new NcfTrainingGraph(config.withSteps(0), numUsers, numItems, none, threads)) {
            g.load(state);
            return g.score(users, items);
        }
    }

    /**
     * The seeded initialization of SPEC §2.1: embeddings ~ truncated normal with std 1/√E, layer
     * weights with std 1/√fan_in, biases zero. Draws beyond two standard deviations are redrawn
     * (TF1 semantics).
     */
    public ParameterSet initialWeights(int numUsers, int numItems) {
        SplittableRandom rnd = new SplittableRandom(config.seed());
        int e = config.embeddingSize();
        long[][] shapes = NcfNetwork.shapes(numUsers, numItems, e);
        List<NamedArray> out = new ArrayList<>();
        for (int v = 0; v < shapes.length; v++) {
            String name = NcfNetwork.VARIABLES.get(v);
            long[] s = shapes[v];
            int n = 1;
            for (long d : s) {
                n *= (int) d;
            }
            float[] data = new float[n];
            if (!name.startsWith("b")) {
                double std = name.startsWith("W") ? 1.0 / Math.sqrt(s[0]) : 1.0 / Math.sqrt(e);
                for (int k = 0; k < n; k++) {
                    double z;
                    do {
                        z = rnd.nextGaussian();
                    } while (Math.abs(z) > 2.0);
                    data[k] = (float) (z * std);
                }
            }
            out.add(new NamedArray(name, s, data));
        }
        return new ParameterSet(out);
    }
}
