package io.accent.evaluate;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * Epoch orders of batched retrains, made on the device inside the graph (MODELS.md §2.4, §7.1,
 * §10): no per-epoch work in Java and no upload of B × rows indices.
 *
 * <p>The protocol: a copy trains on its kept rows (the training rows minus its removal set); its
 * epoch 0 walks them in file order; every later epoch e walks them in a pseudo-random order keyed
 * by (copy seed, e); an epoch has ⌊kept / batch⌋ steps and the tail is dropped (the retrainer's
 * cursor). The order of epoch e ≥ 1 is the kept rows sorted by {@code h(r) = mix(mix(r ^ k₀) ^ k₁)}
 * over their row numbers r, where (k₀, k₁) are the two 32-bit halves of {@link #key(long, long)}
 * and {@code mix} is a xor-shift-multiply hash on 32 bits. Both steps of h are bijections of 32-bit
 * values, so the sort keys of different rows never tie: the order is fully defined by the keys, the
 * same on every device and for every batch size. Removed rows get a key below all others and sort
 * last, behind the rows an epoch reads. A copy's order depends only on its seed, epoch and kept
 * rows, never on the other copies. Because the keys belong to row numbers, two copies with the same
 * seed and epoch visit their common rows in the same relative order (as numpy's permutation of a
 * shared index list would not), which is immaterial to the protocol.
 *
 * <p>This is not numpy's stream (§10: match the protocol, not the bits), nor the single-model
 * trainer's {@link io.accent.model.EpochOrder}: results of the batched retrainer made before this
 * order existed (Java Fisher–Yates shuffles, {@link #VERSION} 1) are other samples of the same
 * protocol, and the retrain cache keeps them apart by {@link #VERSION}.
 *
 * <p>All arithmetic is int64 on values below 2<sup>63</sup> (32-bit values times 31-bit odd
 * constants, masked back to 32 bits), so no op overflows and every device computes the same bits;
 * int64 rather than int32 because TensorFlow places int32 element-wise ops of a GPU graph in host
 * memory. Sorting is TopK with k = rows on float64 keys (exact for 32-bit integers), which GPUs run
 * as a segmented radix sort.
 */
final class DeviceEpochOrder {

    /** Version of the batched retrainer's ordering protocol; 1 was the Java shuffle stream. */
    static final int VERSION = 2;

    static final long C1 = 0x7feb352dL;
    static final long C2 = 0x31848babL;
    static final long MASK = 0xFFFFFFFFL;

    private DeviceEpochOrder() {}

    /** The 64-bit key of a copy's epoch (splitmix64 finalizer of the seed, then of seed and epoch). */
    static long key(long seed, long epoch) {
        return mix64(mix64(seed ^ 0x5DEECE66DL) + epoch * 0x9E3779B97F4A7C15L);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The order-making part of a graph: {@code update} rewrites the orders of the fed copies. */
    record Graph(Placeholder<TInt64> copies, Placeholder<TInt64> keyLow, Placeholder<TInt64> keyHigh,
            Placeholder<TFloat64> first, Placeholder<TInt64> removed, Op update) {}

    /**
     * Builds the op that writes new epoch orders into rows of {@code perm} [B, rows]. Feeds: {@code
     * copies} [E] copy numbers; {@code keyLow}, {@code keyHigh} [E, 1] the 32-bit halves of their
     * keys; {@code first} [E, 1] 1.0 for epoch 0 (file order), else 0.0; {@code removed} [N, 2]
     * pairs (e, removed row number) of the copies' removal sets, (e, rows) as padding.
     */
    static Graph build(Ops tf, int rows, Variable<TInt64> perm) {
        Placeholder<TInt64> copies = tf.placeholder(TInt64.class);
        Placeholder<TInt64> keyLow = tf.placeholder(TInt64.class);
        Placeholder<TInt64> keyHigh = tf.placeholder(TInt64.class);
        Placeholder<TFloat64> first = tf.placeholder(TFloat64.class);
        Placeholder<TInt64> removed = tf.placeholder(TInt64.class);
        long[][] ids = new long[1][rows];
        for (int r = 0; r < rows; r++) {
            ids[0][r] = r;
        }
        Operand<TInt64> r = tf.constant(ids);
        Operand<TInt64> h = mix(tf, tf.bitwise.bitwiseXor(mix(tf, tf.bitwise.bitwiseXor(r, keyLow)), keyHigh));
        Operand<TFloat64> rf = tf.dtypes.cast(r, TFloat64.class);
        Operand<TFloat64> hf = tf.dtypes.cast(h, TFloat64.class);
        Operand<TFloat64> one = tf.constant(1.0);
        Operand<TFloat64> sortKey = tf.math.add(tf.math.mul(first, rf), tf.math.mul(tf.math.sub(one, first), hf));
        // removed rows: +1 at (e, row) in [E, rows + 1] (padding lands in the extra column)
        Operand<TInt64> shape = tf.concat(List.of(tf.shape(copies, TInt64.class), tf.constant(new long[] {rows + 1L})),
                tf.constant(0));
        Operand<TFloat64> ones = tf.dtypes.cast(tf.onesLike(tf.gather(removed, tf.constant(0L), tf.constant(1))),
                TFloat64.class);
        Operand<TFloat64> hit = tf.scatterNd(removed, ones, shape);
        Operand<TFloat64> removedMask = tf.slice(hit, tf.constant(new long[] {0, 0}), tf.constant(new long[] {-1, rows}));
        // TopK sorts descending: ascending sort keys, removed rows (below −2^40) last
        Operand<TFloat64> values = tf.math.sub(tf.math.neg(sortKey), tf.math.mul(tf.constant(0x1p40), removedMask));
        Operand<TInt64> order = tf.nn.topK(values, tf.constant(rows), TInt64.class,
                org.tensorflow.op.nn.TopK.sorted(true)).indices();
        Op update = tf.scatterUpdate(perm, copies, order);
        return new Graph(copies, keyLow, keyHigh, first, removed, update);
    }

    /** The 32-bit hash on int64 values below 2^32 (products stay below 2^63). */
    private static Operand<TInt64> mix(Ops tf, Operand<TInt64> x) {
        Operand<TInt64> mask = tf.constant(MASK);
        x = tf.bitwise.bitwiseXor(x, tf.bitwise.rightShift(x, tf.constant(16L)));
        x = tf.bitwise.bitwiseAnd(tf.math.mul(x, tf.constant(C1)), mask);
        x = tf.bitwise.bitwiseXor(x, tf.bitwise.rightShift(x, tf.constant(15L)));
        x = tf.bitwise.bitwiseAnd(tf.math.mul(x, tf.constant(C2)), mask);
        return tf.bitwise.bitwiseXor(x, tf.bitwise.rightShift(x, tf.constant(16L)));
    }
}
