package io.accent.evaluate;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationRun;
import io.accent.influence.InfluenceSetup;
import io.accent.model.TrainedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code explain --verify} job (ACCENT+ verify and resume, docs/SPEC.md §11.3): the {@code
 * explain} job of ACCENT ({@link ExplanationRun}) with every stopped search verified by retraining
 * and continued while refuted ({@link VerifyAndResume}, {@link RetrainingVerifier}). Rows are
 * written as users finish, retrains are cached as they finish, so an interrupted run resumes
 * without redoing either.
 */
public final class VerifiedExplanationRun {

    /**
     * @param retrains R, retrains per set (seeds 0..R−1 of the family's protocol)
     * @param maxRounds rounds of verification per row, the first included
     * @param cacheDir the retrain cache ({@code evaluate}'s {@code --cache})
     * @param threads TensorFlow threads of the retraining
     */
    public record Config(int retrains, int maxRounds, Path cacheDir, int threads) {
        public Config {
            if (retrains < 1) {
                throw new ConfigException("--verify must be positive, got " + retrains);
            }
            if (maxRounds < 1) {
                throw new ConfigException("--max-rounds must be positive, got " + maxRounds);
            }
        }
    }

    /**
     * Outcome of a run.
     *
     * @param explanations what {@link ExplanationRun} reports
     * @param stats per k, the verification over every row of the result files
     * @param retrainsRun retrains run in this run
     * @param retrainsReused retrains taken from the cache in this run
     * @param budgetUnit what a retrain's length counts ({@code steps}, {@code epochs})
     * @param budget a retrain's length
     */
    public record Summary(
            ExplanationRun.Summary explanations,
            Map<Integer, VerifyAndResume.Stats> stats,
            int retrainsRun,
            int retrainsReused,
            String budgetUnit,
            long budget) {}

    private VerifiedExplanationRun() {}

    /**
     * Refuses more retrains per set than the family's protocol has seeds for.
     *
     * @param family the family's name for the message
     */
    public static void requireRetrains(RetrainingSetup retraining, int retrains, String family) {
        if (retrains > retraining.maxRetrains()) {
            throw new ConfigException(
                    "--verify must be in 1.."
                            + retraining.maxRetrains()
                            + " for "
                            + family
                            + " models, got "
                            + retrains);
        }
    }

    /**
     * Explains the users of {@code explain} with ACCENT and verifies every set with {@code
     * retraining}, the model family's protocol.
     *
     * @param explain the users, ks and output directory (required); its explainers must be ACCENT
     *     alone
     * @throws ConfigException if R exceeds what the family's protocol has seeds for, or {@code
     *     explain} names another algorithm or no output directory
     */
    public static Summary run(
            TrainedModel model,
            InfluenceSetup influence,
            RetrainingSetup retraining,
            ExplanationRun.Config explain,
            Config config,
            Progress progress,
            Consumer<ExplanationRun.UserResult> perUser) {
        requireRetrains(
                retraining, config.retrains(), model.metadata().family().toUpperCase(Locale.ROOT));
        ExplanationRun.requireVerifiable(explain.explainers());
        try (Retraining opened = retraining.open(model, config.threads())) {
            RetrainingVerifier verifier =
                    new RetrainingVerifier(
                            model,
                            opened,
                            config.cacheDir(),
                            config.retrains(),
                            config.maxRounds(),
                            retraining.defaultBatch());
            ExplanationRun.Summary s =
                    ExplanationRun.run(
                            model,
                            influence,
                            new ExplanationRun.Config(
                                    explain.users(),
                                    explain.ks(),
                                    explain.explainers(),
                                    explain.outDir(),
                                    explain.usersPerBatch(),
                                    Optional.of(verifier)),
                            progress,
                            perUser);
            Map<Integer, VerifyAndResume.Stats> stats = new LinkedHashMap<>();
            Path dir = explain.outDir().orElseThrow();
            for (int k : explain.ks()) {
                stats.put(
                        k,
                        VerifyAndResume.Stats.of(
                                ExplanationFile.read(
                                        dir.resolve(
                                                ExplanationFile.fileName(
                                                        explain.explainers().get(0), k)))));
            }
            return new Summary(
                    s,
                    stats,
                    verifier.retrainsRun(),
                    verifier.retrainsReused(),
                    verifier.budgetUnit(),
                    verifier.budget());
        }
    }
}
