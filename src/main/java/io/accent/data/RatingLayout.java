package io.accent.data;

import io.accent.core.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The raw rating layouts {@code data prepare} reads (docs/SPEC.md §1.1), and the one place that
 * tells them apart: a MovieLens-style directory is recognised by its ratings file.
 */
public enum RatingLayout {
    /** {@code u.data} (tab-separated, whole stars) and {@code u.item} ('|'-separated, Latin-1). */
    MOVIELENS_100K("MovieLens 100K", "u.data", "u.item"),
    /** {@code ratings.dat} and {@code movies.dat}, '::'-separated: MovieLens 1M and 10M. */
    MOVIELENS_DAT("MovieLens 1M/10M", "ratings.dat", "movies.dat"),
    /** {@code ratings.csv} and {@code movies.csv} with headers: MovieLens 20M, 25M and 32M. */
    MOVIELENS_CSV("MovieLens 20M/25M/32M", "ratings.csv", "movies.csv"),
    /** Tab-separated files with headers, timestamps in milliseconds: HetRec-MovieLens-2k. */
    HETREC("HetRec-MovieLens-2k", "user_ratedmovies-timestamps.dat", "movies.dat"),
    /** A rating log described by {@link DelimitedFormat}. */
    DELIMITED("delimited rating log", "", "");

    private final String label;
    private final String ratingsFile;
    private final String itemsFile;

    RatingLayout(String label, String ratingsFile, String itemsFile) {
        this.label = label;
        this.ratingsFile = ratingsFile;
        this.itemsFile = itemsFile;
    }

    /** A human name, e.g. {@code MovieLens 1M/10M}. */
    public String label() {
        return label;
    }

    /** The name recorded in {@code dataset.json}, e.g. {@code movielens-dat}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The ratings file of a MovieLens-style directory (empty for {@link #DELIMITED}). */
    public String ratingsFile() {
        return ratingsFile;
    }

    /** The titles file of a MovieLens-style directory (empty for {@link #DELIMITED}). */
    public String itemsFile() {
        return itemsFile;
    }

    /** The layouts {@link #detect} recognises, in the order it tries them. */
    static final List<RatingLayout> DETECTED =
            List.of(MOVIELENS_100K, MOVIELENS_DAT, MOVIELENS_CSV, HETREC);

    /**
     * The layout of {@code dir}: the first of {@link #DETECTED} whose ratings file is there. The
     * error when none is names the first file looked for and lists the others.
     */
    public static RatingLayout detect(Path dir) {
        for (RatingLayout layout : DETECTED) {
            if (Files.isRegularFile(dir.resolve(layout.ratingsFile))) {
                return layout;
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException(
                    dir.resolve(MOVIELENS_100K.ratingsFile)
                            + ": file not found (no directory "
                            + dir
                            + ")");
        }
        StringBuilder others = new StringBuilder();
        for (RatingLayout layout : DETECTED.subList(1, DETECTED.size())) {
            others.append(others.length() == 0 ? "" : ", ")
                    .append(layout.ratingsFile)
                    .append(" (")
                    .append(layout.label)
                    .append(')');
        }
        throw new DataException(
                dir.resolve(MOVIELENS_100K.ratingsFile)
                        + ": file not found, nor any of "
                        + others
                        + " in "
                        + dir);
    }
}
