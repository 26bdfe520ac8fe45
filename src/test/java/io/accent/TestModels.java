package io.accent;

import io.accent.core.Progress;
import io.accent.data.DatasetPreparation;
import io.accent.data.PrepareConfig;
import io.accent.data.SyntheticConfig;
import io.accent.data.SyntheticGenerator;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small synthetic data set and an NCF trained on it, made once per test JVM. */
public final class TestModels {

    private static Path dataDir;
    private static Path modelDir;

    private TestModels() {}

    /** Prepared synthetic data: 40 users, 120 items, seed 11. */
    public static synchronized Path smallData() {
        if (dataDir == null) {
            try {
                Path root = Files.createTempDirectory("accent-test");
                root.toFile().deleteOnExit();
                Path raw = root.resolve("raw");
                dataDir = root.resolve("prepared");
                SyntheticGenerator.generate(new SyntheticConfig(raw, 11, 40, 120), Progress.NONE);
                DatasetPreparation.prepare(
                        new PrepareConfig(raw, raw, dataDir, "synthetic-test"), Progress.NONE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataDir;
    }

    /** An NCF model directory trained on {@link #smallData()} (2,000 steps, batch 256). */
    public static synchronized Path smallModel() {
        if (modelDir == null) {
            Path d = smallData();
            Path m = d.resolveSibling("model");
            NcfTraining.run(d, m, new NcfConfig(16, 1e-3, 1e-3, 256, 2000, 0, 7), 1, Progress.NONE);
            modelDir = m;
        }
        return modelDir;
    }
}
