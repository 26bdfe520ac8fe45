package io.accent.evaluate;

import io.accent.core.Progress;
import io.accent.model.TrainedModel;
import io.accent.ncf.NcfFamily;
import io.accent.rcf.RcfFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An evaluation for tests: a family's retraining setup with the pipeline's configuration. */
public record EvaluationJob(RetrainingSetup setup, EvaluationRun.Config config) {

    /** NCF's warm-start evaluation of {@code steps} steps, scores also at {@code checkpoints}. */
    public static EvaluationJob ncf(
            List<Path> files,
            int retrains,
            long steps,
            long[] checkpoints,
            Optional<Set<Integer>> users,
            int batch,
            int threads,
            Path cacheDir) {
        return new EvaluationJob(
                NcfFamily.retrainingSetup(steps, checkpoints),
                new EvaluationRun.Config(files, retrains, users, batch, threads, cacheDir));
    }

    /** RCF's evaluation from scratch. */
    public static EvaluationJob rcf(
            List<Path> files,
            int retrains,
            Optional<Set<Integer>> users,
            int threads,
            Path cacheDir,
            int batch) {
        return new EvaluationJob(
                RcfFamily.RETRAINING,
                new EvaluationRun.Config(files, retrains, users, batch, threads, cacheDir));
    }

    public Path cacheDir() {
        return config.cacheDir();
    }

    public List<Path> files() {
        return config.files();
    }

    public EvaluationRun.Summary run(TrainedModel model, Progress progress) {
        return EvaluationRun.run(model, setup, config, progress);
    }

    public EvaluationRun.Summary run(TrainedModel model, Shard shard, Progress progress) {
        return EvaluationRun.run(model, setup, config, shard, progress);
    }
}
