package io.accent.rcf;

import io.accent.core.DataException;
import io.accent.data.ItemAttributes;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Builds the RCF neighbour lists of docs/SPEC.md §4.2 on the Java side: for (u, i), every j in u's
 * positive list N_u (train order) except i and an optional ignore set, classified by the attributes
 * it shares with i (§1.8), kind by kind for the K attribute kinds of the data (§11.2): relation
 * type t = 1..K is kind t − 1, type 0 holds the j that share nothing with i. An item without values
 * of a kind shares nothing of that kind. Attribute sharing between two items is computed once per
 * item pair (a pair's lists are built once and reused across epochs by the trainer).
 */
public final class RcfNeighbourLists {

    private final int itemCount;
    private final int[] vocabulary;
    private final int[][][] attributes; // [kind][item] -> value ids
    private final int[][] positives;

    /**
     * @param attributes per attribute kind (relation type t = 1..K is index t − 1) and dense item
     *     (index = item id), the item's value ids of that kind in order (possibly empty)
     * @param positives per dense user, the training positives in train order
     * @param vocabulary the value vocabulary size of each kind (its pad value)
     */
    public RcfNeighbourLists(int[][][] attributes, int[][] positives, int[] vocabulary) {
        if (attributes.length < 1 || vocabulary.length != attributes.length) {
            throw new IllegalArgumentException(
                    attributes.length
                            + " attribute kinds with "
                            + vocabulary.length
                            + " vocabulary sizes (at least one kind needed)");
        }
        this.itemCount = attributes[0].length;
        this.attributes = new int[attributes.length][][];
        for (int k = 0; k < attributes.length; k++) {
            if (attributes[k].length != itemCount) {
                throw new IllegalArgumentException(
                        "kind "
                                + (k + 1)
                                + " lists "
                                + attributes[k].length
                                + " items, not "
                                + itemCount);
            }
            this.attributes[k] = new int[itemCount][];
            for (int i = 0; i < itemCount; i++) {
                for (int v : attributes[k][i]) {
                    if (v < 0 || v >= vocabulary[k]) {
                        throw new DataException(
                                "item "
                                        + i
                                        + ": value "
                                        + v
                                        + " of kind "
                                        + (k + 1)
                                        + " is outside 0.."
                                        + (vocabulary[k] - 1));
                    }
                }
                this.attributes[k][i] = attributes[k][i].clone();
            }
        }
        this.vocabulary = vocabulary.clone();
        this.positives = checkedPositives(positives, itemCount);
    }

    private RcfNeighbourLists(RcfNeighbourLists base, int[][] positives) {
        this.itemCount = base.itemCount;
        this.attributes = base.attributes;
        this.vocabulary = base.vocabulary;
        this.positives = checkedPositives(positives, itemCount);
    }

    /** The same items and attributes with other positive lists (a reduced training set). */
    public RcfNeighbourLists withPositives(int[][] positives) {
        return new RcfNeighbourLists(this, positives);
    }

    private static int[][] checkedPositives(int[][] positives, int itemCount) {
        int[][] out = new int[positives.length][];
        for (int u = 0; u < positives.length; u++) {
            out[u] = positives[u].clone();
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
        return out;
    }

    public int itemCount() {
        return itemCount;
    }

    public int userCount() {
        return positives.length;
    }

    /** K, the number of attribute kinds. */
    public int kinds() {
        return attributes.length;
    }

    /** K + 1 relation types. */
    public int types() {
        return attributes.length + 1;
    }

    /** The value ids of relation type {@code t} (1..K) of item {@code item} (copy). */
    public int[] values(int item, int t) {
        return attributes[t - 1][item].clone();
    }

    /** u's positive list N_u (copy). */
    public int[] positives(int user) {
        return positives[user].clone();
    }

    /** |N_u|. */
    public int positiveCount(int user) {
        return positives[user].length;
    }

    /** Pad value of type t = 1..K (its vocabulary size). */
    public int padValue(int t) {
        return vocabulary[t - 1];
    }

    /** One row's lists: per type t, list items and (t ≥ 1) attribute values, in §4.2 order. */
    public record Pair(int[][] items, int[][] values) {
        /** Total number of entries over all types. */
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
        int types = types();
        Ints[] items = new Ints[types];
        Ints[] values = new Ints[types];
        for (int t = 0; t < types; t++) {
            items[t] = new Ints();
            values[t] = new Ints();
        }
        for (int j : positives[user]) {
            if (j == target || ignore.get(j)) {
                continue;
            }
            boolean any = false;
            for (int t = 1; t < types; t++) {
                int[][] kind = attributes[t - 1];
                for (int v : ItemAttributes.shared(kind[target], kind[j])) {
                    items[t].add(j);
                    values[t].add(v);
                    any = true;
                }
            }
            if (!any) {
                items[0].add(j);
            }
        }
        int[][] it = new int[types][];
        int[][] va = new int[types][];
        for (int t = 0; t < types; t++) {
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
        public static Batch of(int[] users, int[] targets, Pair[] pairs, int types) {
            int[][] rows = new int[types][];
            int[][] items = new int[types][];
            int[][] values = new int[types][];
            for (int t = 0; t < types; t++) {
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
        return Batch.of(users, targets, pairs, types());
    }

    /**
     * The reference's padded layout of a batch (§4.2): every row's type-t list padded to the batch
     * maximum with item I and value = vocabulary size; returned in the ragged form with the padding
     * entries included (they are masked by the network).
     */
    public Batch padded(Batch b) {
        int n = b.users().length;
        int types = types();
        int[][] rows = new int[types][];
        int[][] items = new int[types][];
        int[][] values = new int[types][];
        for (int t = 0; t < types; t++) {
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
