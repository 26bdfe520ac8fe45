package io.accent.data;

import io.accent.core.ConfigException;
import io.accent.core.OutputTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Inputs of {@link DatasetPreparation#prepare}: where the ratings and titles are ({@link
 * RatingSource}), an optional RCF directory with {@code auxiliary-mapping.txt} and {@code
 * relational_data.csv}, the output directory, the data set name recorded in {@code dataset.json},
 * and the split parameters.
 */
public record PrepareConfig(
        RatingSource source,
        Optional<Path> rcfDir,
        Path outDir,
        String name,
        SplitRule split,
        boolean overwrite) {
    public PrepareConfig {
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(
                    "data set name '"
                            + name
                            + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
        }
        OutputTarget.checkPlacement(outDir, inputs(source, rcfDir));
    }

    /** MovieLens with the RCF release, split by the reference's rule. */
    public PrepareConfig(
            Path movielensDir, Path rcfDir, Path outDir, String name, boolean overwrite) {
        this(
                RatingSource.movielens(movielensDir),
                Optional.of(rcfDir),
                outDir,
                name,
                SplitRule.REFERENCE,
                overwrite);
    }

    /** A configuration that replaces only a prepared directory accent wrote. */
    public PrepareConfig(Path movielensDir, Path rcfDir, Path outDir, String name) {
        this(movielensDir, rcfDir, outDir, name, false);
    }

    /**
     * The output rule (see {@link OutputTarget}): the output may not be, contain or lie inside an
     * input, and replaces only a prepared directory accent wrote unless {@code overwrite}.
     */
    public OutputTarget target() {
        return OutputTarget.of(outDir, "prepared", inputs(source, rcfDir).toArray(Path[]::new))
                .withOverwrite(overwrite);
    }

    private static List<Path> inputs(RatingSource source, Optional<Path> rcfDir) {
        List<Path> out = new ArrayList<>(source.inputs());
        rcfDir.ifPresent(out::add);
        return out;
    }
}
