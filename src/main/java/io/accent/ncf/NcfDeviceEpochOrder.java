package io.accent.ncf;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Epoch orders of batched retrains, made on the device inside the graph (docs/SPEC.md §2.4, §7.1,
 * §10): no per-epoch work in Java beyond a few numbers per copy, and no upload of B × rows indices.
 *
 * <p>The protocol: a copy trains on its kept rows (the training rows minus its removal set); its
 * epoch 0 walks them in file order; every later epoch e walks them in a pseudo-random order keyed
 * by (copy seed, e); an epoch has ⌊kept / batch⌋ steps and the tail is dropped (the retrainer's
 * cursor). The order of epoch e ≥ 1 is the kept rows sorted by {@code h(r)}, a keyed bijection of
 * the k-bit integers (2<sup>k</sup> ≥ rows > 2<sup>k−1</sup>): three rounds of a xor-shift-multiply
 * mix with the round keys of {@link #roundKeys(long, long)} xored in between. Since h is a
 * bijection its values never tie, so the order is fully defined, the same on every device and for
 * every batch size, and depends only on the copy's seed, epoch and kept rows.
 *
 * <p>How the device makes it without a sort: walking the slots s = 0 .. 2<sup>k</sup>−1 and taking
 * h⁻¹(s) whenever it is a row number lists all rows in the order of h (π, [D, rows] for the D
 * distinct (seed, epoch) pairs of the copies whose epoch ends; copies differ by seed 0..4, so D is
 * small). A copy removes a few rows from π: with q₀ < q₁ < … their positions in π (a cumulative
 * count over the slots), position p of its order is π[p + #{j : q<sub>j</sub> − j ≤ p}] (one
 * UpperBound). Per ending copy that is a handful of passes over its rows; per (seed, epoch) about
 * 30 element-wise passes over 2<sup>k</sup> slots. A TopK sort per copy was tried first and was 13×
 * slower than the Java shuffles on CPU (RESULTS.md).
 *
 * <p>Two copies with the same seed and epoch visit their common rows in the same relative order (as
 * numpy's permutation of each copy's own index list would not), which is immaterial to the
 * protocol. This is not numpy's stream (§10: match the protocol, not the bits), nor the
 * single-model trainer's {@link io.accent.tf.EpochOrder}: results of the batched retrainer made
 * before this order existed (Java Fisher–Yates shuffles, {@link #VERSION} 1) are other samples of
 * the same protocol, and the retrain cache keeps them apart by {@link #VERSION}.
 *
 * <p>All index arithmetic is int64 on values below 2<sup>62</sup> (k-bit values times k-bit odd
 * constants, masked back to k bits, k ≤ 31), so no op overflows and every device computes the same
 * bits. int64 rather than int32 because TensorFlow places int32 element-wise ops of a GPU graph in
 * host memory; counts are accumulated in float64 (exact below 2<sup>53</sup>).
 */
public final class NcfDeviceEpochOrder {

    /** Version of the batched retrainer's ordering protocol; 1 was the Java shuffle stream. */
    public static final int VERSION = 2;

    private static final long C1 = 0x7feb352dL;
    private static final long C2 = 0x31848babL;

    private NcfDeviceEpochOrder() {}

    /**
     * The 64-bit key of a copy's epoch (splitmix64 finalizer of the seed, then of seed and epoch).
     */
    static long key(long seed, long epoch) {
        return mix64(mix64(seed ^ 0x5DEECE66DL) + epoch * 0x9E3779B97F4A7C15L);
    }

    /** The three round keys of epoch {@code epoch} of a copy with this seed, below 2^bits. */
    static long[] roundKeys(long seed, long epoch, int bits) {
        long key = key(seed, epoch);
        long mask = (1L << bits) - 1;
        return new long[] {
            mix64(key) & mask,
            mix64(key + 0x9E3779B97F4A7C15L) & mask,
            mix64(key + 2 * 0x9E3779B97F4A7C15L) & mask
        };
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** k: the bits of the slots, 2^k ≥ rows (at least 4). */
    static int bits(int rows) {
        int k = 4;
        while ((1L << k) < rows) {
            k++;
        }
        return k;
    }

    /** The odd multipliers of the mix on k bits and their inverses modulo 2^k. */
    static long[] multipliers(int bits) {
        long mask = (1L << bits) - 1;
        long c1 = (C1 & mask) | 1;
        long c2 = (C2 & mask) | 1;
        return new long[] {c1, c2, inverse(c1) & mask, inverse(c2) & mask};
    }

    /** The inverse of an odd number modulo 2^64 (Newton's iteration). */
    private static long inverse(long c) {
        long x = c;
        for (int k = 0; k < 6; k++) {
            x *= 2 - c * x;
        }
        return x;
    }

    /** Shift amounts of the mix: both at least k/2, so each xor-shift is its own inverse. */
    static int[] shifts(int bits) {
        int a = (bits + 1) / 2;
        return new int[] {a, a + 1};
    }

    /**
     * The order-making part of a graph: {@code update} rewrites the orders of the fed copies.
     * Feeds: {@code k0}, {@code k1}, {@code k2} [D, 1] the round keys of D (seed, epoch) groups and
     * {@code first} [D, 1] 1 for epoch 0 (file order), else 0; {@code copies} [E] the copies to
     * rewrite and {@code group} [E] their groups; {@code removed} [E, K] their removed row numbers,
     * −1 as padding (K ≥ 1).
     */
    record Graph(
            Placeholder<TInt64> k0,
            Placeholder<TInt64> k1,
            Placeholder<TInt64> k2,
            Placeholder<TInt64> first,
            Placeholder<TInt64> copies,
            Placeholder<TInt64> group,
            Placeholder<TInt64> removed,
            Op update) {}

    /** Builds the op that writes new epoch orders into rows of {@code perm} [B, rows]. */
    static Graph build(Ops tf, int rows, Variable<TInt64> perm) {
        Placeholder<TInt64> k0 = tf.placeholder(TInt64.class);
        Placeholder<TInt64> k1 = tf.placeholder(TInt64.class);
        Placeholder<TInt64> k2 = tf.placeholder(TInt64.class);
        Placeholder<TInt64> first = tf.placeholder(TInt64.class);
        Placeholder<TInt64> copies = tf.placeholder(TInt64.class);
        Placeholder<TInt64> group = tf.placeholder(TInt64.class);
        Placeholder<TInt64> removed = tf.placeholder(TInt64.class);
        int k = bits(rows);
        long slots = 1L << k;
        Hash h = new Hash(tf, k);
        Operand<TInt64> one = tf.constant(1L);
        Operand<TInt64> s = tf.constant(new long[][] {range(slots)});
        // π of each group: the rows in the order of h (epoch 0: in file order)
        Operand<TInt64> back = h.inverse(s, k0, k1, k2);
        Operand<TInt64> inv =
                tf.math.add(tf.math.mul(first, s), tf.math.mul(tf.math.sub(one, first), back));
        Operand<TBool> isRow = tf.math.less(inv, tf.constant((long) rows));
        Operand<TInt64> flat = tf.constant(new long[] {-1});
        Operand<TInt64> pi =
                tf.reshape(
                        tf.gather(
                                tf.reshape(inv, flat),
                                tf.reshape(tf.where(tf.reshape(isRow, flat)), flat),
                                tf.constant(0)),
                        tf.constant(new long[] {-1, rows}));
        // position in π of the row at each slot
        Operand<TInt64> rank =
                tf.math.sub(
                        tf.dtypes.cast(
                                tf.math.cumsum(
                                        tf.dtypes.cast(isRow, TFloat64.class), tf.constant(1)),
                                TInt64.class),
                        one);
        // each ending copy: positions of its removed rows in its group's π, ascending, minus their
        // index
        Operand<TInt64> gcol = tf.reshape(group, tf.constant(new long[] {-1, 1}));
        Operand<TInt32> axis0 = tf.constant(0);
        Operand<TInt64> r = tf.math.maximum(removed, tf.constant(0L));
        Operand<TInt64> firstE = tf.gather(first, group, axis0);
        Operand<TInt64> hashed =
                h.forward(
                        r,
                        tf.gather(k0, group, axis0),
                        tf.gather(k1, group, axis0),
                        tf.gather(k2, group, axis0));
        Operand<TInt64> slot =
                tf.math.add(tf.math.mul(firstE, r), tf.math.mul(tf.math.sub(one, firstE), hashed));
        Operand<TInt64> q =
                tf.gather(
                        tf.reshape(rank, tf.constant(new long[] {-1})),
                        tf.math.add(tf.math.mul(gcol, tf.constant(slots)), slot),
                        axis0);
        Operand<TFloat64> present =
                tf.dtypes.cast(tf.math.greaterEqual(removed, tf.constant(0L)), TFloat64.class);
        Operand<TInt64> width = tf.gather(tf.shape(removed, TInt64.class), tf.constant(1), axis0);
        Operand<TFloat64> j =
                tf.dtypes.cast(
                        tf.reshape(
                                tf.range(tf.constant(0L), width, one),
                                tf.constant(new long[] {1, -1})),
                        TFloat64.class);
        Operand<TFloat64> onef = tf.constant(1.0);
        // padding sorts after every real position, with thresholds no position reaches
        Operand<TFloat64> qf =
                tf.math.add(
                        tf.math.mul(present, tf.dtypes.cast(q, TFloat64.class)),
                        tf.math.mul(
                                tf.math.sub(onef, present),
                                tf.math.add(tf.constant(4.0 * rows), j)));
        Operand<TFloat64> sortedQ =
                tf.math.neg(
                        tf.nn.topK(
                                        tf.math.neg(qf),
                                        tf.dtypes.cast(width, TInt32.class),
                                        new org.tensorflow.op.nn.TopK.Options[] {
                                            org.tensorflow.op.nn.TopK.sorted(true)
                                        })
                                .values());
        Operand<TFloat64> thresholds = tf.math.sub(sortedQ, j);
        // position p of the copy's order: π[p + #{j : q_j − j ≤ p}] (positions past its kept rows
        // are
        // never read; they are clamped into range)
        Operand<TInt64> shape =
                tf.concat(
                        List.of(tf.shape(copies, TInt64.class), tf.constant(new long[] {rows})),
                        tf.constant(0));
        Operand<TFloat64> p = tf.broadcastTo(tf.constant(new double[][] {rangeD(rows)}), shape);
        Operand<TInt64> skipped = tf.upperBound(thresholds, p, TInt64.class);
        Operand<TInt64> at =
                tf.math.minimum(
                        tf.math.add(tf.constant(new long[][] {range(rows)}), skipped),
                        tf.constant(rows - 1L));
        Operand<TInt64> order =
                tf.gather(
                        tf.reshape(pi, tf.constant(new long[] {-1})),
                        tf.math.add(tf.math.mul(gcol, tf.constant((long) rows)), at),
                        axis0);
        Op update = tf.scatterUpdate(perm, copies, order);
        return new Graph(k0, k1, k2, first, copies, group, removed, update);
    }

    private static long[] range(long n) {
        long[] a = new long[(int) n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static double[] rangeD(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** h and h⁻¹ on k-bit int64 values as graph ops. */
    private static final class Hash {
        private final Ops tf;
        private final Operand<TInt64> mask;
        private final Operand<TInt64>[] mul;
        private final Operand<TInt64> a;
        private final Operand<TInt64> b;

        @SuppressWarnings("unchecked")
        Hash(Ops tf, int bits) {
            this.tf = tf;
            this.mask = tf.constant((1L << bits) - 1);
            long[] m = multipliers(bits);
            this.mul =
                    new Operand[] {
                        tf.constant(m[0]), tf.constant(m[1]), tf.constant(m[2]), tf.constant(m[3])
                    };
            int[] sh = shifts(bits);
            this.a = tf.constant((long) sh[0]);
            this.b = tf.constant((long) sh[1]);
        }

        private Operand<TInt64> xs(Operand<TInt64> x, Operand<TInt64> by) {
            return tf.bitwise.bitwiseXor(x, tf.bitwise.rightShift(x, by));
        }

        private Operand<TInt64> times(Operand<TInt64> x, Operand<TInt64> c) {
            return tf.bitwise.bitwiseAnd(tf.math.mul(x, c), mask);
        }

        private Operand<TInt64> mix(Operand<TInt64> x) {
            return xs(times(xs(times(xs(x, a), mul[0]), b), mul[1]), a);
        }

        private Operand<TInt64> unmix(Operand<TInt64> x) {
            return xs(times(xs(times(xs(x, a), mul[3]), b), mul[2]), a);
        }

        Operand<TInt64> forward(
                Operand<TInt64> x, Operand<TInt64> k0, Operand<TInt64> k1, Operand<TInt64> k2) {
            Operand<TInt64> y = mix(tf.bitwise.bitwiseXor(x, k0));
            y = mix(tf.bitwise.bitwiseXor(y, k1));
            return mix(tf.bitwise.bitwiseXor(y, k2));
        }

        Operand<TInt64> inverse(
                Operand<TInt64> y, Operand<TInt64> k0, Operand<TInt64> k1, Operand<TInt64> k2) {
            Operand<TInt64> x = tf.bitwise.bitwiseXor(unmix(y), k2);
            x = tf.bitwise.bitwiseXor(unmix(x), k1);
            return tf.bitwise.bitwiseXor(unmix(x), k0);
        }
    }
}
