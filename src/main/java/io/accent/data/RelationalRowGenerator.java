package io.accent.data;

import io.accent.core.DataException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates RCF relational rows {@code (head, type, value, tail_pos, tail_neg)} for data without
 * them (docs/SPEC.md §11.2), obeying §1.6 for any number of attribute kinds. For each training
 * triple (u, p, n), in triple order, and each kind k = 0..K−1 in order, the kind-k neighbour list
 * of p is built from u's training positives N_u as in §4.2: every j ∈ N_u other than p adds (j, v)
 * for each value v of its kind-k list that p's list has, in j's order. When the list is not empty
 * the group of the triple gets the row {@code (p, k + 1, v, j, m)}: (j, v) a uniform draw from the
 * list, m a uniform draw among the catalogue items whose kind-k list lacks v. Values are the dense
 * value ids of {@link ItemAttributes}.
 *
 * <p>All draws come from one {@link SplittableRandom} keyed by the seed, two per row (the list
 * entry, then the negative tail) in row order, so a seed gives the same rows on every platform.
 */
public final class RelationalRowGenerator {

    private RelationalRowGenerator() {}

    /**
     * The rows for training triples {@code train} (raw ids) over {@code attributes}. Every positive
     * must be in the catalogue; a value that every catalogue item has leaves no negative tail and
     * is an error.
     */
    public static RelationalData generate(Triples train, ItemAttributes attributes, long seed) {
        int kinds = attributes.kindCount();
        int n = train.size();
        // N_u as catalogue positions, in training order
        Map<Integer, IntList> byUser = new HashMap<>();
        int[] head = new int[n];
        for (int k = 0; k < n; k++) {
            int p = train.positive(k);
            int at = attributes.position(p);
            if (at < 0) {
                throw new DataException(
                        "training triple "
                                + (k + 1)
                                + ": positive item "
                                + p
                                + " has no line in the attributes");
            }
            head[k] = at;
            byUser.computeIfAbsent(train.user(k), u -> new IntList()).add(at);
        }
        int[][][] having = having(attributes);
        SplittableRandom rng = new SplittableRandom(seed);
        IntList h = new IntList(2 * n);
        IntList t = new IntList(2 * n);
        IntList v = new IntList(2 * n);
        IntList tp = new IntList(2 * n);
        IntList tn = new IntList(2 * n);
        for (int k = 0; k < n; k++) {
            int p = head[k];
            IntList pos = byUser.get(train.user(k));
            for (int kind = 0; kind < kinds; kind++) {
                int[] own = attributes.list(kind, p);
                if (own.length == 0) {
                    continue;
                }
                int size = 0;
                for (int q = 0; q < pos.size(); q++) {
                    int j = pos.get(q);
                    if (j != p) {
                        size += sharedCount(own, attributes.list(kind, j));
                    }
                }
                if (size == 0) {
                    continue;
                }
                int pick = rng.nextInt(size);
                int tail = -1;
                int value = -1;
                for (int q = 0; q < pos.size() && tail < 0; q++) {
                    int j = pos.get(q);
                    if (j == p) {
                        continue;
                    }
                    for (int x : attributes.list(kind, j)) {
                        if (contains(own, x) && pick-- == 0) {
                            tail = j;
                            value = x;
                            break;
                        }
                    }
                }
                int[] has = having[kind][value];
                int lacking = attributes.size() - has.length;
                if (lacking == 0) {
                    throw new DataException(
                            "every item has "
                                    + attributes.kinds().get(kind)
                                    + " '"
                                    + attributes.valueName(kind, value)
                                    + "': no negative tail for a relational row");
                }
                int neg = lacking(has, rng.nextInt(lacking));
                h.add(attributes.item(p));
                t.add(kind + 1);
                v.add(value);
                tp.add(attributes.item(tail));
                tn.add(attributes.item(neg));
            }
        }
        return RelationalData.of(h.toArray(), t.toArray(), v.toArray(), tp.toArray(), tn.toArray());
    }

    /** For each kind and value, the ascending catalogue positions of the items that have it. */
    private static int[][][] having(ItemAttributes attributes) {
        int[][][] out = new int[attributes.kindCount()][][];
        for (int kind = 0; kind < out.length; kind++) {
            IntList[] lists = new IntList[attributes.vocabularySize(kind)];
            for (int i = 0; i < attributes.size(); i++) {
                for (int x : attributes.list(kind, i)) {
                    if (lists[x] == null) {
                        lists[x] = new IntList(8);
                    }
                    lists[x].add(i);
                }
            }
            out[kind] = new int[lists.length][];
            for (int x = 0; x < lists.length; x++) {
                out[kind][x] = lists[x] == null ? new int[0] : lists[x].toArray();
            }
        }
        return out;
    }

    /**
     * The {@code r}-th (from 0) catalogue position not in the ascending array {@code has}. Before
     * {@code has[i]} lie {@code has[i] − i} positions without the value, a non-decreasing count;
     * with i the last index where that count is at most r, the answer is r + i + 1.
     */
    static int lacking(int[] has, int r) {
        int lo = 0;
        int hi = has.length - 1;
        int last = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (has[mid] - mid <= r) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return r + last + 1;
    }

    private static int sharedCount(int[] own, int[] other) {
        int c = 0;
        for (int x : other) {
            if (contains(own, x)) {
                c++;
            }
        }
        return c;
    }

    private static boolean contains(int[] a, int x) {
        for (int y : a) {
            if (y == x) {
                return true;
            }
        }
        return false;
    }
}
