package io.accent.cli;

import io.accent.api.AccentModel;
import io.accent.api.Recommendation;
import io.accent.evaluate.RetrainBatches;
import io.accent.explain.ExplanationRun;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Where the heavy part of {@code explain}, {@code evaluate}, {@code score} and {@code recommend}
 * runs. {@link #LOCAL} runs it in this process; the spark module's backend hands it to Spark tasks
 * while the commands (options, checks, result files, console output) stay these ones ({@link
 * Main#commandLine(Backend)}).
 */
public interface Backend {

    /** Everything in this process. */
    Backend LOCAL = new Backend() {};

    /** Adds this backend's own options to the commands; called once, after the families' ones. */
    default void install(CommandLine root) {}

    /** Who explains the users of an {@code explain} run (never a {@code --verify} one). */
    default ExplanationRun.Workers explainWorkers(Jobs.Explain job) {
        return ExplanationRun.Workers.LOCAL;
    }

    /** Who runs the retrains of an {@code evaluate} run. */
    default RetrainBatches.Workers retrainWorkers(Jobs.Evaluate job) {
        return RetrainBatches.Workers.LOCAL;
    }

    /** Who scores the pairs of a {@code score} run, a chunk at a time. */
    default Jobs.Scorer scorer(Jobs.Model job, AccentModel model) {
        return model::score;
    }

    /** Who ranks the items of a {@code recommend} run over several users. */
    default Jobs.Recommender recommender(Jobs.Model job, AccentModel model) {
        return (users, k) -> {
            List<List<Recommendation>> out = new ArrayList<>(users.length);
            for (int u : users) {
                out.add(model.recommend(u, k));
            }
            return out;
        };
    }
}
