package io.accent.ncf;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The NCF forward pass (GMF + MLP, docs/SPEC.md §2.2) as TensorFlow ops, written only with ops
 * whose gradients can be differentiated again (GatherV2, MatMul, Maximum for ReLU, broadcast Add
 * for biases), so that the same code serves training (float32) and influence (float64, double
 * backprop).
 */
public final class NcfNetwork {

    /** Variable names in the order they are stored, exported and documented. */
    public static final List<String> VARIABLES =
            List.of("P_mlp", "Q_mlp", "P_gmf", "Q_gmf", "W1", "b1", "W2", "b2", "W3", "b3");

    /** Variables under the L2 term (embedding tables and MLP weights, not biases). */
    public static final Set<String> DECAYED =
            Set.of("P_mlp", "Q_mlp", "P_gmf", "Q_gmf", "W1", "W2", "W3");

    public static final int H1 = 16;
    public static final int H2 = 8;

    private NcfNetwork() {}

    /** Shapes of the ten variables for the given sizes. */
    public static long[][] shapes(int users, int items, int e) {
        return new long[][] {
            {users, e},
            {items, e},
            {users, e},
            {items, e},
            {2L * e, H1},
            {H1},
            {H1, H2},
            {H2},
            {H2 + e, 1},
            {1}
        };
    }

    /** Dense layer weights of the MLP and the output layer. */
    public record Dense<T extends TFloating>(
            Operand<T> w1,
            Operand<T> b1,
            Operand<T> w2,
            Operand<T> b2,
            Operand<T> w3,
            Operand<T> b3) {}

    /** Predicted ratings for the pairs (users[b], items[b]) from the four tables. */
    public static <T extends TFloating> Operand<T> score(
            Ops tf,
            Operand<T> pMlp,
            Operand<T> qMlp,
            Operand<T> pGmf,
            Operand<T> qGmf,
            Dense<T> dense,
            Operand<TInt32> users,
            Operand<TInt32> items) {
        Operand<TInt32> axis0 = tf.constant(0);
        return scoreRows(
                tf,
                tf.gather(pMlp, users, axis0),
                tf.gather(qMlp, items, axis0),
                tf.gather(pGmf, users, axis0),
                tf.gather(qGmf, items, axis0),
                dense);
    }

    /** The four embedding tables and the dense layers, by role. */
    public record Weights<T extends TFloating>(
            Operand<T> pMlp, Operand<T> qMlp, Operand<T> pGmf, Operand<T> qGmf, Dense<T> dense) {

        /** The tensors looked up by their names in {@link #VARIABLES}. */
        public static <T extends TFloating> Weights<T> of(
                Function<String, ? extends Operand<T>> byName) {
            return new Weights<>(
                    byName.apply("P_mlp"),
                    byName.apply("Q_mlp"),
                    byName.apply("P_gmf"),
                    byName.apply("Q_gmf"),
                    new Dense<>(
                            byName.apply("W1"),
                            byName.apply("b1"),
                            byName.apply("W2"),
                            byName.apply("b2"),
                            byName.apply("W3"),
                            byName.apply("b3")));
        }
    }

    /**
     * Predicted ratings of B stacked copies of the network: every tensor of {@code w} carries a
     * leading copy axis ([B, U, E], [B, 2E, 16], [B, 16], ...), {@code users} and {@code items} are
     * per-copy dense ids [B, M]; the result is [B, M]. The same layers as {@link #scoreRows}, with
     * batched matrix products; copy b reads only its own slices.
     *
     * <p>The ids are int64: this index arithmetic runs every step, and TensorFlow keeps int32
     * tensors of GPU graphs in host memory (its GPU kernels for int32 element-wise ops are host
     * kernels), which would put an Add and two device-host copies into every step on a GPU; int64
     * ops are GPU kernels. On CPU the two cost the same at these sizes ([B, batch] ids).
     */
    public static <T extends TFloating> Operand<T> scoreStacked(
            Ops tf, Weights<T> w, Operand<TInt64> users, Operand<TInt64> items) {
        Operand<TInt64> gu = perCopy(tf, users, w.pMlp());
        Operand<TInt64> gi = perCopy(tf, items, w.qMlp());
        Operand<TInt32> axis0 = tf.constant(0);
        return scoreRows(
                tf,
                tf.gather(flatten(tf, w.pMlp()), gu, axis0),
                tf.gather(flatten(tf, w.qMlp()), gi, axis0),
                tf.gather(flatten(tf, w.pGmf()), gu, axis0),
                tf.gather(flatten(tf, w.qGmf()), gi, axis0),
                w.dense());
    }

    /** Stacked table [B, N, E] as rows [B·N, E]. */
    private static <T extends TFloating> Operand<T> flatten(Ops tf, Operand<T> table) {
        return tf.reshape(table, tf.constant(new long[] {-1, table.shape().size(2)}));
    }

    /**
     * Per-copy ids [B, M] into a stacked table [B, N, E] as row numbers of its flattening: id +
     * b·N.
     */
    private static Operand<TInt64> perCopy(Ops tf, Operand<TInt64> ids, Operand<?> table) {
        int copies = Math.toIntExact(table.shape().size(0));
        long n = table.shape().size(1);
        long[][] base = new long[copies][1];
        for (int b = 0; b < copies; b++) {
            base[b][0] = b * n;
        }
        return tf.math.add(ids, tf.constant(base));
    }

    /**
     * Predicted ratings from gathered embedding rows: the form influence computations differentiate
     * with respect to. Plain: rows [N, E], dense weights as stored, result [N]. Stacked (the dense
     * weights carry a leading copy axis, W1 of rank 3): rows [B, M, E], result [B, M].
     */
    public static <T extends TFloating> Operand<T> scoreRows(
            Ops tf, Operand<T> pm, Operand<T> qm, Operand<T> pg, Operand<T> qg, Dense<T> d) {
        boolean stacked = d.w1().shape().numDimensions() == 3;
        Operand<TInt32> last = tf.constant(stacked ? 2 : 1);
        Operand<T> x = tf.concat(List.of(pm, qm), last);
        Operand<T> zero = tf.dtypes.cast(tf.constant(0f), d.b1().type());
        Operand<T> h1 = tf.math.maximum(layer(tf, x, d.w1(), d.b1(), stacked), zero);
        Operand<T> h2 = tf.math.maximum(layer(tf, h1, d.w2(), d.b2(), stacked), zero);
        Operand<T> g = tf.math.mul(pg, qg);
        Operand<T> out = layer(tf, tf.concat(List.of(h2, g), last), d.w3(), d.b3(), stacked);
        long[] shape = stacked ? new long[] {d.w1().shape().size(0), -1} : new long[] {-1};
        return tf.reshape(out, tf.constant(shape));
    }

    /** x·w + b; stacked: per copy, x [B, M, in], w [B, in, out], b [B, out]. */
    private static <T extends TFloating> Operand<T> layer(
            Ops tf, Operand<T> x, Operand<T> w, Operand<T> b, boolean stacked) {
        if (!stacked) {
            return tf.math.add(tf.linalg.matMul(x, w), b);
        }
        return tf.math.add(tf.train.batchMatMul(x, w, w.type()), tf.expandDims(b, tf.constant(1)));
    }

    /** Σ over the decayed variables ({@link #DECAYED}) of their squared entries, any rank. */
    public static Operand<TFloat32> decayedSquares(Ops tf, List<Operand<TFloat32>> reads) {
        Operand<TFloat32> l2 = null;
        for (int v = 0; v < reads.size(); v++) {
            if (DECAYED.contains(VARIABLES.get(v))) {
                int rank = reads.get(v).shape().numDimensions();
                int[] axes = new int[rank];
                for (int a = 0; a < rank; a++) {
                    axes[a] = a;
                }
                Operand<TFloat32> sq =
                        tf.reduceSum(tf.math.square(reads.get(v)), tf.constant(axes));
                l2 = l2 == null ? sq : tf.math.add(l2, sq);
            }
        }
        return l2;
    }
}
