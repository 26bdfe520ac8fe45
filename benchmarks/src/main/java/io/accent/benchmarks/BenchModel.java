package io.accent.benchmarks;

import io.accent.core.Progress;
import io.accent.data.PreparedDataset;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTraining;
import io.accent.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model a benchmark explains: the directory in {@code -Daccent.model=DIR} (for the published
 * figures, the full 119,999-step MovieLens NCF), else an NCF trained here on {@link BenchData} for
 * {@code -Daccent.steps} steps (default 20,000).
 */
final class BenchModel {

    private BenchModel() {}

    static TrainedModel load() {
        String dir = System.getProperty("accent.model");
        if (dir != null) {
            return ModelStore.load(Path.of(dir));
        }
        try {
            PreparedDataset data = BenchData.load();
            Path out = Files.createTempDirectory("accent-bench-model").resolve("ncf");
            long steps = Long.getLong("accent.steps", 20_000);
            NcfTraining.run(data.directory(), out, NcfConfig.reference(steps, 0), 1, Progress.NONE);
            return ModelStore.load(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
