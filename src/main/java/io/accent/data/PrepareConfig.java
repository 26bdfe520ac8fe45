package io.accent.data;

import io.accent.core.ConfigException;

import java.nio.file.Path;

/**
 * Inputs of {@link DatasetPreparation#prepare}: a MovieLens directory with {@code u.data} and
 * {@code u.item}, an RCF directory with {@code auxiliary-mapping.txt} and {@code
 * relational_data.csv}, the output directory, and the data set name recorded in {@code
 * dataset.json}.
 */
public record PrepareConfig(Path movielensDir, Path rcfDir, Path outDir, String name) {

    public PrepareConfig {
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(
                    "data set name '"
                            + name
                            + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
        }
        Path out = outDir.toAbsolutePath().normalize();
        for (Path in : new Path[] {movielensDir, rcfDir}) {
            if (in.toAbsolutePath().normalize().equals(out)) {
                throw new ConfigException(
                        "output directory "
                                + outDir
                                + " must differ from the input directory "
                                + in
                                + " (it is replaced as a whole)");
            }
        }
    }
}
