package io.accent.data;

import java.nio.file.Path;

/** Settings of {@link ScaledSyntheticGenerator}: output directory, seed and shape. */
public record ScaledSyntheticConfig(
        Path outDir, long seed, SyntheticShape shape, boolean overwrite) {

    /** A configuration that replaces only a synthetic directory accent wrote. */
    public ScaledSyntheticConfig(Path outDir, long seed, SyntheticShape shape) {
        this(outDir, seed, shape, false);
    }
}
