package io.accent.mf;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.core.Provenance;
import io.accent.data.PreparedDataset;
import io.accent.data.Ratings;
import io.accent.model.ModelMetadata;
import io.accent.modelio.ModelStore;
import io.accent.tf.TfSessions;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code train mf} job: train on a prepared data set, measure, and write a model directory. */
public final class MfTraining {

    private MfTraining() {}

    /**
     * Summary of a finished training run.
     *
     * @param metadata what was written to model.json
     * @param wallTime wall-clock time of the optimization (graph build included, saving excluded)
     * @param trainingRmse RMSE over all training rows
     * @param heldOutRmse RMSE over the held-out rows (NaN when the data set has none)
     * @param heldOutRows number of held-out rows scored
     */
    public record Report(
            ModelMetadata metadata,
            Duration wallTime,
            double trainingRmse,
            double heldOutRmse,
            int heldOutRows) {}

    /**
     * Trains MF on the prepared data in {@code dataDir} and writes the model directory {@code out}.
     */
    public static Report run(
            Path dataDir, Path out, MfConfig config, int threads, Progress progress) {
        return run(dataDir, ModelStore.target(out, dataDir), config, threads, progress);
    }

    /** As above, writing under the rules of {@code out} (checked before training starts). */
    public static Report run(
            Path dataDir, OutputTarget out, MfConfig config, int threads, Progress progress) {
        out.check();
        PreparedDataset data = PreparedDataset.load(dataDir);
        int u = data.users().size();
        int i = data.items().size();
        MfTrainer trainer = new MfTrainer(config, threads);
        long t0 = System.nanoTime();
        MfTrainer.Outcome outcome = trainer.train(u, i, data.train(), progress);
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
                        MfFamily.NAME,
                        u,
                        i,
                        config.asMap(),
                        config.steps(),
                        config.seed(),
                        outcome.trainingMse(),
                        heldMse,
                        Provenance.now(
                                "accent train mf",
                                TfSessions.deviceKind(),
                                data.name(),
                                data.fingerprint(),
                                config.asMap(),
                                config.seed(),
                                ""));
        ModelStore.save(out, meta, outcome.state(), dataDir);
        return new Report(
                meta, wall, Math.sqrt(outcome.trainingMse()), Math.sqrt(heldMse), held.size());
    }
}
