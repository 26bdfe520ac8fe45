package io.accent.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The MovieLens file layouts that {@link ScaledSyntheticGenerator} writes (docs/SPEC.md §11.4): the
 * {@code ::}-separated files of MovieLens 1M and the CSV files with headers of MovieLens 20M (and
 * of every later release).
 */
public enum SyntheticLayout {
    /** {@code ratings.dat} ({@code user::movie::rating::time}) and {@code movies.dat}, Latin-1. */
    ML_1M("ratings.dat", "movies.dat", "::", null, null, StandardCharsets.ISO_8859_1, "Children's"),
    /**
     * {@code ratings.csv} and {@code movies.csv} with header lines, UTF-8; ratings are written with
     * one decimal ({@code 4.0}), as in the real files' half stars.
     */
    ML_20M(
            "ratings.csv",
            "movies.csv",
            ",",
            "userId,movieId,rating,timestamp",
            "movieId,title,genres",
            StandardCharsets.UTF_8,
            "Children");

    private final String ratingsFile;
    private final String moviesFile;
    private final String separator;
    private final String ratingsHeader;
    private final String moviesHeader;
    private final Charset charset;
    private final String childrenGenre;

    SyntheticLayout(
            String ratingsFile,
            String moviesFile,
            String separator,
            String ratingsHeader,
            String moviesHeader,
            Charset charset,
            String childrenGenre) {
        this.ratingsFile = ratingsFile;
        this.moviesFile = moviesFile;
        this.separator = separator;
        this.ratingsHeader = ratingsHeader;
        this.moviesHeader = moviesHeader;
        this.charset = charset;
        this.childrenGenre = childrenGenre;
    }

    public String ratingsFile() {
        return ratingsFile;
    }

    public String moviesFile() {
        return moviesFile;
    }

    String separator() {
        return separator;
    }

    /** The first line of the ratings file, or null when it has none. */
    String ratingsHeader() {
        return ratingsHeader;
    }

    /** The first line of the movies file, or null when it has none. */
    String moviesHeader() {
        return moviesHeader;
    }

    Charset charset() {
        return charset;
    }

    /** Appends a rating in this layout's notation. */
    void appendRating(StringBuilder sb, int rating) {
        sb.append(rating);
        if (this == ML_20M) {
            sb.append(".0");
        }
    }

    /** The name of genre flag {@code flag} (1..18, u.item order) in this layout. */
    String genreName(int flag) {
        String name = SyntheticGenerator.GENRE_NAMES[flag];
        return name.equals("Children's") ? childrenGenre : name;
    }
}
