package io.accent.model;

import io.accent.core.Progress;
import io.accent.data.DatasetPreparation;
import io.accent.data.PrepareConfig;
import io.accent.data.SyntheticConfig;
import io.accent.data.SyntheticGenerator;
import java.nio.file.Path;

/** A small synthetic data set, generated and prepared into a directory, for tests. */
public final class PreparedFixture {

    private PreparedFixture() {}

    /** Generates raw synthetic data under {@code root/raw} and returns the prepared directory. */
    public static Path create(Path root, int users, int items) {
        Path raw = root.resolve("raw");
        Path prepared = root.resolve("prepared");
        SyntheticGenerator.generate(new SyntheticConfig(raw, 11, users, items), Progress.NONE);
        DatasetPreparation.prepare(
                new PrepareConfig(raw, raw, prepared, "synthetic-test"), Progress.NONE);
        return prepared;
    }
}
