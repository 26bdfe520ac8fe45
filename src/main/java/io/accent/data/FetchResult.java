package io.accent.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link DatasetCache#fetch}: the directory the archive was extracted into, the
 * extracted files (relative to it) and whether anything was downloaded ({@code false} when the
 * files were already present and verified).
 */
public record FetchResult(Path directory, List<String> files, boolean downloaded) {

    public FetchResult {
        files = List.copyOf(files);
    }
}
