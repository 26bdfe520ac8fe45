package io.accent.data;

import io.accent.core.DataException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Collects the rows of one rating file while it is read, in primitive columns, and checks them as a
 * whole when done: every rating reader of {@link RatingLayout} goes through it, so ids, ratings and
 * repeated (user, item) pairs are checked by one rule with one set of messages.
 */
final class RatingRows {

    private final Path file;
    private final int scale;
    private final int minRating;
    private final int maxRating;
    private final IntList users = new IntList(1 << 16);
    private final IntList items = new IntList(1 << 16);
    private final IntList ratings = new IntList(1 << 16);
    private final LongList timestamps = new LongList(1 << 16);
    private final LongList lines = new LongList(1 << 16);

    /**
     * Rows of {@code file} whose ratings are multiples of {@code 1/scale} stars between {@code min}
     * and {@code max} stars.
     */
    RatingRows(Path file, int scale, double min, double max) {
        this.file = file;
        this.scale = scale;
        this.minRating = (int) Math.round(min * scale);
        this.maxRating = (int) Math.round(max * scale);
    }

    /**
     * Adds one row, taking the ids, the rating and the timestamp from the given fields of {@code
     * row}.
     */
    void add(DelimitedFile.Row row, int userField, int itemField, int ratingField, int timeField) {
        int user = row.intField(userField, "user id");
        int item = row.intField(itemField, "item id");
        int rating = rating(row, ratingField);
        long time = row.longField(timeField, "timestamp");
        if (user < 0) {
            throw row.error("negative user id " + user);
        }
        if (item < 0) {
            throw row.error("negative item id " + item);
        }
        users.add(user);
        items.add(item);
        ratings.add(rating);
        timestamps.add(time);
        lines.add(row.line());
    }

    private int rating(DelimitedFile.Row row, int field) {
        String s = row.field(field);
        double value;
        if (scale == 1) {
            value = row.intField(field, "rating");
        } else {
            value = row.floatField(field, "rating");
            // parse again in double precision: 3.3 as a float is not 3.3 * 1000 / 1000
            value = Double.parseDouble(s);
        }
        double units = value * scale;
        long rounded = Math.round(units);
        if (Math.abs(units - rounded) > 1e-6 * Math.max(1, Math.abs(units))) {
            throw row.error("rating " + s + " is not a multiple of " + step());
        }
        if (rounded < minRating || rounded > maxRating) {
            throw row.error("rating " + s + " is not in " + range());
        }
        return (int) rounded;
    }

    private String step() {
        return switch (scale) {
            case 1 -> "1";
            case 2 -> "0.5";
            default -> Double.toString(1.0 / scale);
        };
    }

    private String range() {
        return format(minRating) + ".." + format(maxRating);
    }

    private String format(int units) {
        return units % scale == 0
                ? Integer.toString(units / scale)
                : Double.toString((double) units / scale);
    }

    int size() {
        return users.size();
    }

    /**
     * The rows read, after checking that no (user, item) pair occurs twice; the error names the
     * first line, in file order, that repeats a pair, and the line it repeats.
     */
    RawRatings build() {
        int[] u = users.toArray();
        int[] i = items.toArray();
        checkDistinctPairs(u, i);
        return new RawRatings(u, i, ratings.toArray(), timestamps.toArray(), scale);
    }

    /**
     * Sorts the pairs as {@code user << 32 | item} keys (a primitive sort, no boxed set) and, only
     * when two are equal, finds the first repeating row.
     */
    private void checkDistinctPairs(int[] u, int[] i) {
        int n = u.length;
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) {
            keys[k] = ((long) u[k] << 32) | i[k];
        }
        Arrays.sort(keys);
        long[] repeated = new long[0];
        int count = 0;
        for (int k = 1; k < n; k++) {
            if (keys[k] == keys[k - 1] && (count == 0 || repeated[count - 1] != keys[k])) {
                if (count == repeated.length) {
                    repeated = Arrays.copyOf(repeated, Math.max(4, 2 * count));
                }
                repeated[count++] = keys[k];
            }
        }
        if (count == 0) {
            return;
        }
        repeated = Arrays.copyOf(repeated, count); // sorted ascending
        long[] firstRow = new long[count];
        Arrays.fill(firstRow, -1);
        for (int k = 0; k < n; k++) {
            long key = ((long) u[k] << 32) | i[k];
            int at = Arrays.binarySearch(repeated, key);
            if (at < 0) {
                continue;
            }
            if (firstRow[at] < 0) {
                firstRow[at] = k;
                continue;
            }
            throw new DataException(
                    file
                            + ":"
                            + lines.get(k)
                            + ": user "
                            + u[k]
                            + " already rated item "
                            + i[k]
                            + " on line "
                            + lines.get((int) firstRow[at]));
        }
    }
}
