package io.accent.data;

import io.accent.core.ConfigException;
import io.accent.core.OutputTarget;
import java.nio.file.Path;
import java.util.List;

/**
 * Inputs of {@link DatasetPreparation#prepare}: a MovieLens directory with {@code u.data} and
 * {@code u.item}, an RCF directory with {@code auxiliary-mapping.txt} and {@code
 * relational_data.csv}, the output directory, and the data set name recorded in {@code
 * dataset.json}.
 */
public record PrepareConfig(
        Path movielensDir, Path rcfDir, Path outDir, String name, boolean overwrite) {
    public PrepareConfig {
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(
                    "data set name '"
                            + name
                            + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
        }
        OutputTarget.checkPlacement(outDir, List.of(movielensDir, rcfDir));
    }

    /** A configuration that replaces only a prepared directory accent wrote. */
    public PrepareConfig(Path movielensDir, Path rcfDir, Path outDir, String name) {
        this(movielensDir, rcfDir, outDir, name, false);
    }

    /**
     * The output rule (see {@link OutputTarget}): the output may not be, contain or lie inside an
     * input directory, and replaces only a prepared directory accent wrote unless {@code
     * overwrite}.
     */
    public OutputTarget target() {
        return OutputTarget.of(outDir, "prepared", movielensDir, rcfDir).withOverwrite(overwrite);
    }
}
