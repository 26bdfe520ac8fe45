package io.accent.data;

import io.accent.core.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The size of a data set {@link ScaledSyntheticGenerator} writes, and the MovieLens layout it is
 * written in. {@link #ML_1M} and {@link #ML_20M} have the counts of those releases.
 *
 * @param users number of users, each with at least {@value #MIN_RATINGS_PER_USER} ratings
 * @param items number of movies
 * @param ratings number of ratings, exactly
 * @param layout the files written
 */
public record SyntheticShape(int users, int items, long ratings, SyntheticLayout layout) {

    /** Every user has at least this many ratings, as in MovieLens 1M and 20M. */
    public static final int MIN_RATINGS_PER_USER = 20;

    public static final int MIN_USERS = 10;
    public static final int MAX_USERS = 10_000_000;
    public static final int MIN_ITEMS = 100;
    public static final int MAX_ITEMS = 1_000_000;
    public static final long MAX_RATINGS = 200_000_000L;

    /** MovieLens 1M: 6,040 users, 3,706 rated movies, 1,000,209 ratings. */
    public static final SyntheticShape ML_1M =
            new SyntheticShape(6_040, 3_706, 1_000_209L, SyntheticLayout.ML_1M);

    /** MovieLens 20M: 138,493 users, 26,744 rated movies, 20,000,263 ratings. */
    public static final SyntheticShape ML_20M =
            new SyntheticShape(138_493, 26_744, 20_000_263L, SyntheticLayout.ML_20M);

    /** The named shapes, by the name {@code data synth --shape} takes. */
    public enum Named {
        ML_1M(SyntheticShape.ML_1M),
        ML_20M(SyntheticShape.ML_20M);

        private final SyntheticShape shape;

        Named(SyntheticShape shape) {
            this.shape = shape;
        }

        public SyntheticShape shape() {
            return shape;
        }

        /** {@code ml-1m}, {@code ml-20m}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The shape called {@code label}; a wrong name fails with the list of names. */
        public static Named of(String label) {
            for (Named n : values()) {
                if (n.label().equals(label)) {
                    return n;
                }
            }
            throw new ConfigException(
                    "unknown shape '"
                            + label
                            + "'; one of "
                            + Arrays.stream(values())
                                    .map(Named::label)
                                    .collect(Collectors.joining(", ")));
        }
    }

    public SyntheticShape {
        if (users < MIN_USERS || users > MAX_USERS) {
            throw new ConfigException(
                    "--users " + users + " is out of range " + MIN_USERS + ".." + MAX_USERS);
        }
        if (items < MIN_ITEMS || items > MAX_ITEMS) {
            throw new ConfigException(
                    "--items " + items + " is out of range " + MIN_ITEMS + ".." + MAX_ITEMS);
        }
        long least = (long) users * MIN_RATINGS_PER_USER;
        long most = Math.min(MAX_RATINGS, (long) users * maxRatingsPerUser(items));
        if (ratings < least || ratings > most) {
            throw new ConfigException(
                    "--ratings "
                            + ratings
                            + " is out of range "
                            + least
                            + ".."
                            + most
                            + " for "
                            + users
                            + " users and "
                            + items
                            + " movies");
        }
        if (layout == null) {
            throw new ConfigException("no layout for the synthetic data set");
        }
    }

    /**
     * The most ratings one user gets: 60% of the movies (MovieLens 1M's busiest user rated 62%).
     */
    public static int maxRatingsPerUser(int items) {
        return Math.max(MIN_RATINGS_PER_USER, items * 6 / 10);
    }

    /** This shape with {@code users} users and the same mean number of ratings per user. */
    public SyntheticShape withUsers(int users) {
        return new SyntheticShape(
                users,
                items,
                Math.max(
                        (long) users * MIN_RATINGS_PER_USER,
                        Math.round((double) ratings * users / this.users)),
                layout);
    }
}
