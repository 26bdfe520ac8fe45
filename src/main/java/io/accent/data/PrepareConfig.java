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
 * the split parameters, an optional item attribute file ({@value ItemAttributes#FILE_NAME} form)
 * that replaces the attributes of the layout, the seed of the generated relational rows
 * (docs/SPEC.md §11.2), and whether RCF's files are written at all ({@code false}: NCF and MF only,
 * the layout's attributes left unread).
 */
public record PrepareConfig(
        RatingSource source,
        Optional<Path> rcfDir,
        Path outDir,
        String name,
        SplitRule split,
        boolean overwrite,
        Optional<Path> attributesFile,
        long relationalSeed,
        boolean rcfFiles) {

    /** The default seed of generated relational rows. */
    public static final long RELATIONAL_SEED = 2016;

    /** RCF's files written whenever the data allows them. */
    public PrepareConfig(
            RatingSource source,
            Optional<Path> rcfDir,
            Path outDir,
            String name,
            SplitRule split,
            boolean overwrite,
            Optional<Path> attributesFile,
            long relationalSeed) {
        this(source, rcfDir, outDir, name, split, overwrite, attributesFile, relationalSeed, true);
    }

    /** Without an attribute file, generated rows seeded with {@link #RELATIONAL_SEED}. */
    public PrepareConfig(
            RatingSource source,
            Optional<Path> rcfDir,
            Path outDir,
            String name,
            SplitRule split,
            boolean overwrite) {
        this(source, rcfDir, outDir, name, split, overwrite, Optional.empty(), RELATIONAL_SEED);
    }

    public PrepareConfig {
        if (!rcfFiles && (rcfDir.isPresent() || attributesFile.isPresent())) {
            throw new ConfigException(
                    "RCF's files are skipped, so an RCF directory or an attribute file would go"
                            + " unused: leave them out or write RCF's files");
        }
        if (rcfDir.isPresent() && attributesFile.isPresent()) {
            throw new ConfigException(
                    "an attribute file and an RCF directory exclude each other: the RCF release"
                            + " brings its own attributes");
        }
        if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(
                    "data set name '"
                            + name
                            + "' must be non-empty and use only letters, digits, '.', '_' and '-'");
        }
        OutputTarget.checkPlacement(outDir, inputs(source, rcfDir, attributesFile));
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
        return OutputTarget.of(
                        outDir,
                        "prepared",
                        inputs(source, rcfDir, attributesFile).toArray(Path[]::new))
                .withOverwrite(overwrite);
    }

    private static List<Path> inputs(
            RatingSource source, Optional<Path> rcfDir, Optional<Path> attributesFile) {
        List<Path> out = new ArrayList<>(source.inputs());
        rcfDir.ifPresent(out::add);
        attributesFile.ifPresent(out::add);
        return out;
    }
}
