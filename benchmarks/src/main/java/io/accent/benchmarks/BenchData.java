package io.accent.benchmarks;

import io.accent.core.Progress;
import io.accent.data.DatasetPreparation;
import io.accent.data.PrepareConfig;
import io.accent.data.PreparedDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data a benchmark runs on: MovieLens 100K prepared from {@code ../shared/data} (or the directory
 * in {@code -Daccent.shared=DIR}) when present, else the embedded synthetic set under {@code data/}.
 */
final class BenchData {

    private BenchData() {}

    static PreparedDataset load() {
        return PreparedDataset.load(directory());
    }

    /** The prepared data directory (MovieLens when available, else the embedded synthetic set). */
    static Path directory() {
        Path shared = Path.of(System.getProperty("accent.shared", "../shared/data"));
        if (Files.isRegularFile(shared.resolve("ml-100k/u.data"))) {
            try {
                Path out = Files.createTempDirectory("accent-bench").resolve("ml-100k");
                DatasetPreparation.prepare(
                        new PrepareConfig(shared.resolve("ml-100k"), shared.resolve("rcf"), out, "ml-100k"),
                        Progress.NONE);
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Path.of(System.getProperty("accent.embedded", "data/synthetic/prepared"));
    }
}
