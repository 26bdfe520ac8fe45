package io.accent.rcf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Builds the neighbour lists of §4.2 inside a TensorFlow graph from constants (each user's
 * positives and each item's attributes), so that a SavedModel scores (user, item) pairs without
 * Java-side list building. For a batch of B pairs: the positives of each user are laid out on a [B,
 * P] grid (P = longest positive list), each type-t attribute of the target on a third axis [B, P,
 * M_t], and an entry (j, v) is kept iff j ≠ target, v is an attribute of the target and v is an
 * attribute of j (membership by binary search over the sorted keys j·(V_t+1)+v). The kept grid
 * cells become the ragged {@link RcfNetwork.Lists} with {@code Where}; type 0 keeps the j that
 * share nothing.
 */
final class RcfServing {

    private RcfServing() {}

    static RcfNetwork.Lists lists(
            Ops tf, RcfNeighbourLists nl, Operand<TInt32> users, Operand<TInt32> items) {
        int itemCount = nl.itemCount();
        int userCount = nl.userCount();
        int[] splits = new int[userCount + 1];
        List<Integer> flat = new ArrayList<>();
        int maxPos = 1;
        for (int u = 0; u < userCount; u++) {
            int[] p = nl.positives(u);
            for (int j : p) {
                flat.add(j);
            }
            splits[u + 1] = splits[u] + p.length;
            maxPos = Math.max(maxPos, p.length);
        }
        int total = flat.size();
        int[] posFlat = new int[total + 1];
        for (int k = 0; k < total; k++) {
            posFlat[k] = flat.get(k);
        }
        posFlat[total] = itemCount; // pad item
        Operand<TInt32> axis0 = tf.constant(0);
        Operand<TInt32> start = tf.gather(tf.constant(splits), users, axis0);
        Operand<TInt32> end =
                tf.gather(tf.constant(splits), tf.math.add(users, tf.constant(1)), axis0);
        Operand<TInt32> ar =
                tf.expandDims(tf.range(tf.constant(0), tf.constant(maxPos), tf.constant(1)), axis0);
        Operand<TInt32> idx = tf.math.add(tf.expandDims(start, tf.constant(1)), ar); // [B, P]
        Operand<TBool> inRange =
                tf.math.less(ar, tf.expandDims(tf.math.sub(end, start), tf.constant(1)));
        Operand<TInt32> safe =
                tf.select(
                        inRange,
                        idx,
                        tf.math.add(tf.math.mul(idx, tf.constant(0)), tf.constant(total)));
        Operand<TInt32> j =
                tf.gather(tf.constant(posFlat), safe, axis0); // [B, P], pad where out of range
        Operand<TBool> validJ =
                tf.math.logicalAnd(
                        inRange, tf.math.notEqual(j, tf.expandDims(items, tf.constant(1))));

        List<Operand<TInt32>> rows = new ArrayList<>();
        List<Operand<TInt32>> its = new ArrayList<>();
        List<Operand<TInt32>> vals = new ArrayList<>();
        Operand<TBool> anyShared = null;
        List<Operand<TInt32>> rowsT = new ArrayList<>();
        List<Operand<TInt32>> itemsT = new ArrayList<>();
        List<Operand<TInt32>> valuesT = new ArrayList<>();
        for (int t = 1; t < nl.types(); t++) {
            int pad = nl.padValue(t);
            if ((long) (itemCount + 1) * (pad + 1) > Integer.MAX_VALUE) {
                throw new io.accent.core.ModelException(
                        "the serving graph keys (item, value) pairs as int32: "
                                + itemCount
                                + " items with "
                                + pad
                                + " values of relation type "
                                + t
                                + " are too many");
            }
            int m = 1;
            for (int k = 0; k < itemCount; k++) {
                m = Math.max(m, nl.values(k, t).length);
            }
            int[][] table = new int[itemCount + 1][m];
            List<Long> keys = new ArrayList<>();
            for (int k = 0; k <= itemCount; k++) {
                Arrays.fill(table[k], pad);
                if (k < itemCount) {
                    int[] a = nl.values(k, t);
                    System.arraycopy(a, 0, table[k], 0, a.length);
                    for (int v : a) {
                        keys.add((long) k * (pad + 1) + v);
                    }
                }
            }
            int[] sorted = keys.stream().mapToInt(Long::intValue).sorted().toArray();
            int[] sortedPadded = Arrays.copyOf(sorted, sorted.length + 1);
            sortedPadded[sorted.length] = Integer.MAX_VALUE;
            Operand<TInt32> attrI = tf.gather(tf.constant(table), items, axis0); // [B, M]
            Operand<TInt32> key =
                    tf.math.add(
                            tf.expandDims(tf.math.mul(j, tf.constant(pad + 1)), tf.constant(2)),
                            tf.expandDims(attrI, tf.constant(1))); // [B, P, M]
            Operand<TInt32> flatKey = tf.reshape(key, tf.constant(new int[] {1, -1}));
            Operand<TInt32> at = tf.lowerBound(tf.constant(new int[][] {sortedPadded}), flatKey);
            Operand<TInt32> found =
                    tf.reshape(tf.gather(tf.constant(sortedPadded), at, axis0), tf.shape(key));
            Operand<TBool> valid =
                    tf.math.logicalAnd(
                            tf.math.logicalAnd(
                                    tf.expandDims(validJ, tf.constant(2)),
                                    tf.expandDims(
                                            tf.math.notEqual(attrI, tf.constant(pad)),
                                            tf.constant(1))),
                            tf.math.equal(found, key));
            Operand<TBool> any = tf.reduceAny(valid, tf.constant(2));
            anyShared = anyShared == null ? any : tf.math.logicalOr(anyShared, any);
            Operand<TInt64> coords =
                    tf.where(valid); // [E, 3]: row, position in N_u, attribute slot
            rowsT.add(
                    tf.dtypes.cast(
                            tf.gather(coords, tf.constant(new int[] {0}), tf.constant(1)),
                            TInt32.class));
            itemsT.add(
                    tf.gatherNd(
                            j, tf.gather(coords, tf.constant(new int[] {0, 1}), tf.constant(1))));
            valuesT.add(
                    tf.gatherNd(
                            attrI,
                            tf.gather(coords, tf.constant(new int[] {0, 2}), tf.constant(1))));
        }
        Operand<TBool> none = tf.math.logicalAnd(validJ, tf.math.logicalNot(anyShared));
        Operand<TInt64> c0 = tf.where(none); // [E, 2]
        Operand<TInt32> flatShape = tf.constant(new int[] {-1});
        rows.add(
                tf.reshape(
                        tf.dtypes.cast(
                                tf.gather(c0, tf.constant(new int[] {0}), tf.constant(1)),
                                TInt32.class),
                        flatShape));
        its.add(tf.gatherNd(j, c0));
        vals.add(tf.constant(new int[0]));
        for (int t = 0; t < nl.kinds(); t++) {
            rows.add(tf.reshape(rowsT.get(t), flatShape));
            its.add(itemsT.get(t));
            vals.add(valuesT.get(t));
        }
        return new RcfNetwork.Lists(rows, its, vals);
    }
}
