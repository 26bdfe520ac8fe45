package io.accent.data;

/**
 * The rows of a raw rating file, in file order (raw ids): the one form every reader of {@link
 * RatingLayout} produces and {@link TemporalSplit} consumes. A rating is stored exactly, as an
 * integer number of {@code 1/scale} stars: scale 1 for whole stars (MovieLens 100K and 1M), 2 for
 * half stars (10M, 20M and later, HetRec), {@link #DECIMAL_SCALE} for the ratings of a generic
 * file.
 */
record RawRatings(int[] users, int[] items, int[] ratings, long[] timestamps, int scale) {

    /** The scale of ratings read from a generic file: at most three decimals. */
    static final int DECIMAL_SCALE = 1000;

    RawRatings {
        if (scale < 1) {
            throw new IllegalArgumentException("rating scale " + scale + " is not positive");
        }
        if (users.length != items.length
                || users.length != ratings.length
                || users.length != timestamps.length) {
            throw new IllegalArgumentException("column lengths differ");
        }
    }

    /** Rows with whole-star ratings (scale 1), as in MovieLens 100K's {@code u.data}. */
    RawRatings(int[] users, int[] items, int[] ratings, long[] timestamps) {
        this(users, items, ratings, timestamps, 1);
    }

    int size() {
        return users.length;
    }

    /** The rating of {@code row} in stars (exact for scales 1 and 2). */
    float stars(int row) {
        return scale == 1 ? ratings[row] : (float) ((double) ratings[row] / scale);
    }

    /** Whether the rating of {@code row} is at least {@code threshold} stars, compared exactly. */
    boolean atLeast(int row, double threshold) {
        // ratings[row] / scale >= threshold, without rounding the rating
        return ratings[row] >= Math.ceil(threshold * scale - 1e-6);
    }
}
