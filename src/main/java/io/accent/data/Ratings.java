package io.accent.data;

import io.accent.core.DataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * An immutable table of ratings as parallel primitive arrays: user index, item index, rating and
 * timestamp per row, in a fixed row order. Its file form is the tab-separated {@code user item
 * rating timestamp} format of {@code movielens_train.tsv} (no header).
 */
public final class Ratings {

    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final long[] timestamps;

    /** The rows grouped by user, built on first use (a benign race: every build is equal). */
    private volatile UserIndex byUser;

    /** Row numbers grouped by user: user u's rows are {@code rows[start[u] .. start[u + 1])}. */
    private record UserIndex(int[] start, int[] rows) {}

    private Ratings(int[] users, int[] items, float[] ratings, long[] timestamps) {
        if (users.length != items.length
                || users.length != ratings.length
                || users.length != timestamps.length) {
            throw new IllegalArgumentException(
                    "column lengths differ: "
                            + users.length
                            + " users, "
                            + items.length
                            + " items, "
                            + ratings.length
                            + " ratings, "
                            + timestamps.length
                            + " timestamps");
        }
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestamps = timestamps;
    }

    /** Copies the given columns, which must have equal lengths. */
    public static Ratings of(int[] users, int[] items, float[] ratings, long[] timestamps) {
        return new Ratings(users.clone(), items.clone(), ratings.clone(), timestamps.clone());
    }

    /** Reads a tab-separated {@code user item rating timestamp} file with no header. */
    public static Ratings read(Path tsv) {
        IntList users = new IntList(1 << 16);
        IntList items = new IntList(1 << 16);
        FloatList ratings = new FloatList(1 << 16);
        LongList timestamps = new LongList(1 << 16);
        DelimitedFile.read(
                tsv,
                StandardCharsets.UTF_8,
                '\t',
                null,
                row -> {
                    row.expect(4);
                    int u = row.intField(0, "user");
                    int i = row.intField(1, "item");
                    if (u < 0 || i < 0) {
                        throw row.error("negative " + (u < 0 ? "user " + u : "item " + i));
                    }
                    users.add(u);
                    items.add(i);
                    ratings.add(row.floatField(2, "rating"));
                    timestamps.add(row.longField(3, "timestamp"));
                });
        return new Ratings(
                users.toArray(), items.toArray(), ratings.toArray(), timestamps.toArray());
    }

    /** Writes the tab-separated file (atomically); integral ratings are written as integers. */
    public void write(Path tsv) {
        DelimitedFile.write(
                tsv,
                out -> {
                    StringBuilder sb = new StringBuilder(32);
                    for (int k = 0; k < users.length; k++) {
                        sb.setLength(0);
                        sb.append(users[k]).append('\t').append(items[k]).append('\t');
                        float r = ratings[k];
                        if (r == Math.rint(r) && Math.abs(r) < 1e9f) {
                            sb.append((long) r);
                        } else {
                            sb.append(r);
                        }
                        sb.append('\t').append(timestamps[k]).append('\n');
                        out.append(sb);
                    }
                });
    }

    /** Number of rows. */
    public int size() {
        return users.length;
    }

    public int user(int row) {
        return users[row];
    }

    public int item(int row) {
        return items[row];
    }

    public float rating(int row) {
        return ratings[row];
    }

    public long timestamp(int row) {
        return timestamps[row];
    }

    /** The user column (a copy). */
    public int[] users() {
        return users.clone();
    }

    /** The item column (a copy). */
    public int[] items() {
        return items.clone();
    }

    /** The rating column (a copy). */
    public float[] ratings() {
        return ratings.clone();
    }

    /** The timestamp column (a copy). */
    public long[] timestamps() {
        return timestamps.clone();
    }

    /** Largest user index + 1 (0 when empty). */
    public int userCount() {
        return Arrays.stream(users).max().orElse(-1) + 1;
    }

    /** Largest item index + 1 (0 when empty). */
    public int itemCount() {
        return Arrays.stream(items).max().orElse(-1) + 1;
    }

    /** The rows of {@code user}, in row order, as row numbers (none for an unknown user). */
    public int[] rowsOf(int user) {
        UserIndex ix = userIndex();
        if (user < 0 || user + 1 >= ix.start().length) {
            return new int[0];
        }
        return Arrays.copyOfRange(ix.rows(), ix.start()[user], ix.start()[user + 1]);
    }

    /** A counting sort of the row numbers by user, each user's rows in row order. */
    private UserIndex userIndex() {
        UserIndex ix = byUser;
        if (ix == null) {
            int[] start = new int[userCount() + 1];
            for (int u : users) {
                start[u + 1]++;
            }
            for (int u = 0; u + 1 < start.length; u++) {
                start[u + 1] += start[u];
            }
            int[] next = Arrays.copyOf(start, start.length - 1);
            int[] rows = new int[users.length];
            for (int k = 0; k < users.length; k++) {
                rows[next[users[k]]++] = k;
            }
            ix = new UserIndex(start, rows);
            byUser = ix;
        }
        return ix;
    }

    /**
     * These ratings without the rows of {@code user} whose item is in {@code items}; the remaining
     * rows keep their order. This is the data removal of a counterfactual explanation.
     */
    public Ratings without(int user, Set<Integer> items) {
        int n = 0;
        boolean[] drop = new boolean[users.length];
        for (int k = 0; k < users.length; k++) {
            if (users[k] == user && items.contains(this.items[k])) {
                drop[k] = true;
                n++;
            }
        }
        if (n == 0) {
            return this;
        }
        int m = users.length - n;
        int[] u = new int[m];
        int[] i = new int[m];
        float[] r = new float[m];
        long[] t = new long[m];
        int q = 0;
        for (int k = 0; k < users.length; k++) {
            if (!drop[k]) {
                u[q] = users[k];
                i[q] = this.items[k];
                r[q] = ratings[k];
                t[q] = timestamps[k];
                q++;
            }
        }
        return new Ratings(u, i, r, t);
    }

    /**
     * Checks that every user index is below {@code userCount} and every item below {@code
     * itemCount}.
     */
    void checkRange(int userCount, int itemCount, String what) {
        for (int k = 0; k < users.length; k++) {
            if (users[k] >= userCount) {
                throw new DataException(
                        what
                                + ": row "
                                + (k + 1)
                                + " has user "
                                + users[k]
                                + " but there are only "
                                + userCount
                                + " users");
            }
            if (items[k] >= itemCount) {
                throw new DataException(
                        what
                                + ": row "
                                + (k + 1)
                                + " has item "
                                + items[k]
                                + " but there are only "
                                + itemCount
                                + " items");
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ratings r
                && Arrays.equals(users, r.users)
                && Arrays.equals(items, r.items)
                && Arrays.equals(ratings, r.ratings)
                && Arrays.equals(timestamps, r.timestamps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(users) * 31 + Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return "Ratings[" + users.length + " rows]";
    }

    /** A growable list of floats. */
    private static final class FloatList {
        private float[] values;
        private int size;

        FloatList(int capacity) {
            values = new float[capacity];
        }

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
