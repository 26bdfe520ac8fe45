package io.accent.mf;

import io.accent.TestModels;
import io.accent.core.Progress;
import io.accent.data.DatasetPreparation;
import io.accent.data.PrepareConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** MF models for tests, each made once per test JVM. */
final class MfTestModels {

    /** The embedded MF model, trained by {@code accent train mf} on data/synthetic/prepared. */
    static final Path SYNTHETIC = Path.of("saved-models/mf-synthetic");

    /** The raw MovieLens 100K files shared between checkouts. */
    static final Path MOVIELENS = Path.of("../shared/data/ml-100k");

    static final Path RCF = Path.of("../shared/data/rcf");

    private static Path small;
    private static Path movieLens;

    private MfTestModels() {}

    /** A small config: factors of 8, batches of 256 rows, the given steps, seed 0. */
    static MfConfig config(long steps) {
        return new MfConfig(8, 1e-3, 1e-3, 256, steps, 0, 7);
    }

    /** An MF trained on {@link TestModels#smallData()} (40 users, 120 items), 2,000 steps. */
    static synchronized Path small() {
        if (small == null) {
            Path m = TestModels.smallData().resolveSibling("mf-model");
            MfTraining.run(TestModels.smallData(), m, config(2000), 1, Progress.NONE);
            small = m;
        }
        return small;
    }

    /**
     * An MF trained briefly (3,000 steps of the reference batch) on MovieLens 100K, or empty when
     * the raw files are absent.
     */
    static synchronized Optional<Path> movieLens() {
        if (!Files.isRegularFile(MOVIELENS.resolve("u.data"))
                || !Files.isRegularFile(RCF.resolve("relational_data.csv"))) {
            return Optional.empty();
        }
        if (movieLens == null) {
            try {
                Path root = Files.createTempDirectory("accent-mf-ml");
                root.toFile().deleteOnExit();
                Path data = root.resolve("prepared");
                DatasetPreparation.prepare(
                        new PrepareConfig(MOVIELENS, RCF, data, "ml-100k"), Progress.NONE);
                Path m = root.resolve("model");
                MfTraining.run(
                        data,
                        m,
                        MfConfig.reference(MfConfig.DEFAULT_EMBEDDING, 3000, 0),
                        1,
                        Progress.NONE);
                movieLens = m;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of(movieLens);
    }
}
