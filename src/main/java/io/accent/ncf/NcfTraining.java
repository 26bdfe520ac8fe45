package io.accent.ncf;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.modelio.ModelStore;
import io.accent.modelio.RatingTraining;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * The {@code train ncf} job: train on a prepared data set, measure, and write a model directory.
 */
public final class NcfTraining {

    private NcfTraining() {}

    /**
     * Trains NCF on the prepared data in {@code dataDir} and writes the model directory {@code
     * out}.
     *
     * @param threads TensorFlow threads (1 gives bit-reproducible training)
     */
    public static RatingTraining.Report run(
            Path dataDir, Path out, NcfConfig config, int threads, Progress progress) {
        return run(dataDir, ModelStore.target(out, dataDir), config, threads, progress);
    }

    /** As above, writing under the rules of {@code out} (checked before training starts). */
    public static RatingTraining.Report run(
            Path dataDir, OutputTarget out, NcfConfig config, int threads, Progress progress) {
        return run(dataDir, out, rows -> config, threads, progress);
    }

    /**
     * As above, with the configuration chosen from the number of training rows (for the default
     * batch size, {@link RatingTraining#batchSize}).
     */
    public static RatingTraining.Report run(
            Path dataDir,
            OutputTarget out,
            IntFunction<NcfConfig> config,
            int threads,
            Progress progress) {
        return RatingTraining.run(
                dataDir,
                out,
                rows -> {
                    NcfConfig c = config.apply(rows);
                    return new RatingTraining.Plan(
                            new RatingTraining.Setup(
                                    NcfFamily.NAME, c.asMap(), c.steps(), c.seed()),
                            new NcfTrainer(c, threads));
                },
                progress);
    }
}
