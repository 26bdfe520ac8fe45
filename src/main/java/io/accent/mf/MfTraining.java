package io.accent.mf;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.modelio.ModelStore;
import io.accent.modelio.RatingTraining;
import java.nio.file.Path;
import java.util.function.IntFunction;

/** The {@code train mf} job: train on a prepared data set, measure, and write a model directory. */
public final class MfTraining {

    private MfTraining() {}

    /**
     * Trains MF on the prepared data in {@code dataDir} and writes the model directory {@code out}.
     */
    public static RatingTraining.Report run(
            Path dataDir, Path out, MfConfig config, int threads, Progress progress) {
        return run(dataDir, ModelStore.target(out, dataDir), config, threads, progress);
    }

    /** As above, writing under the rules of {@code out} (checked before training starts). */
    public static RatingTraining.Report run(
            Path dataDir, OutputTarget out, MfConfig config, int threads, Progress progress) {
        return run(dataDir, out, rows -> config, threads, progress);
    }

    /**
     * As above, with the configuration chosen from the number of training rows (for the default
     * batch size, {@link RatingTraining#batchSize}).
     */
    public static RatingTraining.Report run(
            Path dataDir,
            OutputTarget out,
            IntFunction<MfConfig> config,
            int threads,
            Progress progress) {
        return RatingTraining.run(
                dataDir,
                out,
                rows -> {
                    MfConfig c = config.apply(rows);
                    return new RatingTraining.Plan(
                            new RatingTraining.Setup(MfFamily.NAME, c.asMap(), c.steps(), c.seed()),
                            new MfTrainer(c, threads));
                },
                progress);
    }
}
