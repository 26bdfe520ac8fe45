package io.accent.modelio;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.core.Provenance;
import io.accent.data.PreparedDataset;
import io.accent.data.Ratings;
import io.accent.model.ModelMetadata;
import io.accent.tf.ParameterSet;
import io.accent.tf.TfSessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The {@code train} job of a family on explicit rating data: train on a prepared data set's
 * training ratings, measure the training and held-out RMSE, and write the model directory. The
 * family supplies its trainer and configuration; what the families on rating data share is here.
 */
public final class RatingTraining {

    /**
     * What a training run gives.
     *
     * @param metadata the written model's {@code model.json}
     * @param wallTime time spent training (saving excluded)
     * @param trainingRmse RMSE over the training rows, as the trainer measured it
     * @param heldOutRmse RMSE over the held-out rows (NaN when the data set has none)
     * @param heldOutRows number of held-out rows scored
     */
    public record Report(
            ModelMetadata metadata,
            Duration wallTime,
            double trainingRmse,
            double heldOutRmse,
            int heldOutRows) {}

    /** A trained state and its training MSE. */
    public record Trained(ParameterSet state, double trainingMse) {}

    /** A family's trainer on rating data. */
    public interface Trainer {
        /** Trains on {@code train} over {@code users} × {@code items} ids. */
        Trained fit(int users, int items, Ratings train, Progress progress);

        /** Scores the pairs (users[b], items[b]) with {@code state}. */
        float[] score(int users, int items, ParameterSet state, int[] u, int[] i);
    }

    /**
     * A family's configuration as the model directory records it.
     *
     * @param family the family's name
     * @param config its hyperparameters ({@code model.json}'s {@code config})
     * @param steps optimizer steps
     * @param seed the seed of initialization and shuffles
     */
    public record Setup(String family, Map<String, Object> config, long steps, long seed) {}

    /**
     * A family's setup and trainer, fixed once the number of training rows is known (the default
     * batch size depends on it, see {@link #batchSize}).
     */
    public record Plan(Setup setup, Trainer trainer) {}

    /**
     * The reference's number of batches per epoch: its 61,054 MovieLens-100K training rows in
     * batches of 1,246 (docs/SPEC.md §2.4).
     */
    public static final int REFERENCE_BATCHES_PER_EPOCH = 49;

    private RatingTraining() {}

    /**
     * The batch size of a training run: {@code requested} when positive, otherwise the one that
     * cuts {@code rows} into the reference's 49 batches per epoch (the remainder of each epoch is
     * dropped), which is the reference's 1,246 on MovieLens 100K.
     */
    public static int batchSize(int requested, int rows) {
        return requested > 0 ? requested : Math.max(1, rows / REFERENCE_BATCHES_PER_EPOCH);
    }

    /**
     * Trains with {@code trainer} on the prepared data in {@code dataDir} and writes the model
     * directory under the rules of {@code out} (checked before training starts).
     */
    public static Report run(
            Path dataDir, OutputTarget out, Setup setup, Trainer trainer, Progress progress) {
        return run(dataDir, out, rows -> new Plan(setup, trainer), progress);
    }

    /**
     * As above, with the setup and trainer chosen by {@code plan} from the number of training rows.
     */
    public static Report run(
            Path dataDir, OutputTarget out, IntFunction<Plan> plan, Progress progress) {
        out.check();
        PreparedDataset data = PreparedDataset.load(dataDir);
        Plan chosen = plan.apply(data.train().size());
        Setup setup = chosen.setup();
        Trainer trainer = chosen.trainer();
        int u = data.users().size();
        int i = data.items().size();
        long t0 = System.nanoTime();
        Trained outcome = trainer.fit(u, i, data.train(), progress);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        Ratings held = data.heldOut();
        double heldMse = Double.NaN;
        if (held.size() > 0) {
            float[] s = trainer.score(u, i, outcome.state(), held.users(), held.items());
            double sum = 0;
            for (int r = 0; r < s.length; r++) {
                double d = s[r] - held.rating(r);
                sum += d * d;
            }
            heldMse = sum / s.length;
        }
        ModelMetadata meta =
                new ModelMetadata(
                        ModelMetadata.FORMAT,
                        setup.family(),
                        u,
                        i,
                        setup.config(),
                        setup.steps(),
                        setup.seed(),
                        outcome.trainingMse(),
                        heldMse,
                        Provenance.now(
                                "accent train " + setup.family(),
                                TfSessions.deviceKind(),
                                data.name(),
                                data.fingerprint(),
                                setup.config(),
                                setup.seed(),
                                ""));
        ModelStore.save(out, meta, outcome.state(), dataDir);
        return new Report(
                meta, wall, Math.sqrt(outcome.trainingMse()), Math.sqrt(heldMse), held.size());
    }
}
