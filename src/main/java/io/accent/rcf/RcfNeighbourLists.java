package io.accent.rcf;

import io.accent.core.DataException;
import io.accent.data.MovieAttributes;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Builds the RCF neighbour lists of docs/SPEC.md §4.2 on the Java side: for (u, i), every j in u's
 * positive list N_u (train order) except i and an optional ignore set, classified by the attributes
 * it shares with i (§1.8). Attribute sharing between two items is computed once per item pair (a
 * pair's lists are built once and reused across epochs by the trainer).
 */
public final class RcfNeighbourLists {

    private final int itemCount;
    private final int[] vocabulary;
    private final MovieAttributes[] attributes;
    private final int[][] positives;

    /**
     * @param attributes attributes of every dense item (index = item id)
     * @param positives per dense user, the training positives in train order
     * @param vocabulary the attribute vocabulary sizes of types 1..3 (pad values)
     */
    public RcfNeighbourLists(
            List<MovieAttributes> attributes, int[][] positives, int[] vocabulary) {
        this.itemCount = attributes.size();
        this.attributes = attributes.toArray(MovieAttributes[]::new);
        this.positives = new int[positives.length][];
        for (int u = 0; u < positives.length; u++) {
            this.positives[u] = positives[u].clone();
            for (int j : positives[u]) {
                if (j < 0 || j >= itemCount) {
                    throw new DataException(
                            "positive item "
                                    + j
                                    + " of user "
                                    + u
                                    + " is outside 0.."
                                    + (itemCount - 1));
                }
            }
        }
        if (vocabulary.length != 3) {
            throw new IllegalArgumentException("three vocabulary sizes expected");
        }
        this.vocabulary = vocabulary.clone();
    }

    public int itemCount() {
        return itemCount;
    }

    public int userCount() {
        return positives.length;
    }

    /** The attributes of item {@code item}. */
    public MovieAttributes attributes(int item) {
        return attributes[item];
    }

    /** u's positive list N_u (copy). */
    public int[] positives(int user) {
        return positives[user].clone();
    }

    /** |N_u|. */
    public int positiveCount(int user) {
        return positives[user].length;
    }

    /** Pad value of type t = 1..3 (its vocabulary size). */
    public int padValue(int t) {
        return vocabulary[t - 1];
    }

    /** One row's lists: per type t, list items and (t ≥ 1) attribute values, in §4.2 order. */
    public record Pair(int[][] items, int[][] values) {
        /** Total number of entries over the four types. */
        public int size() {
            int n = 0;
            for (int[] a : items) {
                n += a.length;
            }
            return n;
        }
    }

    /** The lists of (user, target) from N_u ∖ ({target} ∪ ignore). */
    public Pair pair(int user, int target, BitSet ignore) {
        if (user < 0 || user >= positives.length) {
            throw new DataException(
                    "user index " + user + " is outside 0.." + (positives.length - 1));
        }
        if (target < 0 || target >= itemCount) {
            throw new DataException("item index " + target + " is outside 0.." + (itemCount - 1));
        }
        Ints[] items = new Ints[RcfNetwork.TYPES];
        Ints[] values = new Ints[RcfNetwork.TYPES];
        for (int t = 0; t < RcfNetwork.TYPES; t++) {
            items[t] = new Ints();
            values[t] = new Ints();
        }
        MovieAttributes mi = attributes[target];
        for (int j : positives[user]) {
            if (j == target || ignore.get(j)) {
                continue;
            }
            MovieAttributes mj = attributes[j];
            boolean any = false;
            for (int t = 1; t < RcfNetwork.TYPES; t++) {
                for (int v : MovieAttributes.shared(mi, mj, t)) {
                    items[t].add(j);
                    values[t].add(v);
                    any = true;
                }
            }
            if (!any) {
                items[0].add(j);
            }
        }
        int[][] it = new int[RcfNetwork.TYPES][];
        int[][] va = new int[RcfNetwork.TYPES][];
        for (int t = 0; t < RcfNetwork.TYPES; t++) {
            it[t] = items[t].toArray();
            va[t] = t == 0 ? new int[0] : values[t].toArray();
        }
        return new Pair(it, va);
    }

    /**
     * Ragged lists of a batch of rows, concatenated per type, with the row of each entry. Row s
     * scores (users[s], targets[s]).
     */
    public record Batch(int[] users, int[] targets, int[][] rows, int[][] items, int[][] values) {

        /** Entries of all types. */
        public int entries() {
            int n = 0;
            for (int[] a : items) {
                n += a.length;
            }
            return n;
        }

        /** Concatenates pairs into a batch. */
        public static Batch of(int[] users, int[] targets, Pair[] pairs) {
            int[][] rows = new int[RcfNetwork.TYPES][];
            int[][] items = new int[RcfNetwork.TYPES][];
            int[][] values = new int[RcfNetwork.TYPES][];
            for (int t = 0; t < RcfNetwork.TYPES; t++) {
                int n = 0;
                for (Pair p : pairs) {
                    n += p.items()[t].length;
                }
                rows[t] = new int[n];
                items[t] = new int[n];
                values[t] = new int[t == 0 ? 0 : n];
                int at = 0;
                for (int s = 0; s < pairs.length; s++) {
                    int[] it = pairs[s].items()[t];
                    Arrays.fill(rows[t], at, at + it.length, s);
                    System.arraycopy(it, 0, items[t], at, it.length);
                    if (t > 0) {
                        System.arraycopy(pairs[s].values()[t], 0, values[t], at, it.length);
                    }
                    at += it.length;
                }
            }
            return new Batch(users.clone(), targets.clone(), rows, items, values);
        }
    }

    /** Builds the batch for rows (users[s], targets[s]) without an ignore set. */
    public Batch batch(int[] users, int[] targets) {
        return batch(users, targets, new BitSet());
    }

    /** Builds the batch for rows (users[s], targets[s]) from N_u ∖ ignore. */
    public Batch batch(int[] users, int[] targets, BitSet ignore) {
        Pair[] pairs = new Pair[users.length];
        for (int s = 0; s < users.length; s++) {
            pairs[s] = pair(users[s], targets[s], ignore);
        }
        return Batch.of(users, targets, pairs);
    }

    /**
     * The reference's padded layout of a batch (§4.2): every row's type-t list padded to the batch
     * maximum with item I and value = vocabulary size; returned in the ragged form with the padding
     * entries included (they are masked by the network).
     */
    public Batch padded(Batch b) {
        int n = b.users().length;
        int[][] rows = new int[RcfNetwork.TYPES][];
        int[][] items = new int[RcfNetwork.TYPES][];
        int[][] values = new int[RcfNetwork.TYPES][];
        for (int t = 0; t < RcfNetwork.TYPES; t++) {
            int[] count = new int[n];
            for (int r : b.rows()[t]) {
                count[r]++;
            }
            int max = Arrays.stream(count).max().orElse(0);
            rows[t] = new int[n * max];
            items[t] = new int[n * max];
            values[t] = new int[t == 0 ? 0 : n * max];
            Arrays.fill(items[t], itemCount);
            if (t > 0) {
                Arrays.fill(values[t], padValue(t));
            }
            int[] filled = new int[n];
            for (int s = 0; s < n; s++) {
                Arrays.fill(rows[t], s * max, (s + 1) * max, s);
            }
            for (int k = 0; k < b.rows()[t].length; k++) {
                int r = b.rows()[t][k];
                int at = r * max + filled[r]++;
                items[t][at] = b.items()[t][k];
                if (t > 0) {
                    values[t][at] = b.values()[t][k];
                }
            }
        }
        return new Batch(b.users(), b.targets(), rows, items, values);
    }

    private static final class Ints {
        private int[] a = new int[16];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
