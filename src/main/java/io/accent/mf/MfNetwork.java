package io.accent.mf;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The MF score (docs/SPEC.md §11.1) as TensorFlow ops: ŷ(u, i) = P[u]·Q[i] + Bu[u] + Bi[i] + mu. P,
 * Q, Bu and Bi are trained; mu, the mean training rating, is stored with them but never changes.
 */
public final class MfNetwork {

    /** Variable names in the order they are stored, exported and documented. */
    public static final List<String> VARIABLES = List.of("P", "Q", "Bu", "Bi", "mu");

    /** The variables Adam updates (every one but mu), each with two moment slots. */
    public static final List<String> TRAINED = List.of("P", "Q", "Bu", "Bi");

    /** Index of the factor tables under the L2 term, in {@link #TRAINED}. */
    static final int P = 0;

    static final int Q = 1;
    static final int BU = 2;
    static final int BI = 3;

    private MfNetwork() {}

    /**
     * Shapes of the five variables for the given sizes. The biases are one-column tables ([users,
     * 1], [items, 1], as a Keras {@code Embedding(n, 1)} stores them), so that every table with a
     * row per user or item is a matrix; mu is a scalar.
     */
    public static long[][] shapes(int users, int items, int d) {
        return new long[][] {{users, d}, {items, d}, {users, 1}, {items, 1}, {}};
    }

    /** Predicted ratings of the pairs (users[b], items[b]). */
    public static <T extends TFloating> Operand<T> score(
            Ops tf,
            Operand<T> p,
            Operand<T> q,
            Operand<T> bu,
            Operand<T> bi,
            Operand<T> mu,
            Operand<TInt32> users,
            Operand<TInt32> items) {
        Operand<TInt32> axis0 = tf.constant(0);
        Operand<T> dot =
                tf.reduceSum(
                        tf.math.mul(tf.gather(p, users, axis0), tf.gather(q, items, axis0)),
                        tf.constant(1));
        Operand<T> bias =
                tf.reshape(
                        tf.math.add(tf.gather(bu, users, axis0), tf.gather(bi, items, axis0)),
                        tf.constant(new long[] {-1}));
        return tf.math.add(tf.math.add(dot, bias), mu);
    }

    /** The score from variable reads by name: the one body of loading, export and import. */
    public static Operand<TFloat32> score(
            Ops tf, Map<String, Operand<TFloat32>> r, Operand<TInt32> user, Operand<TInt32> item) {
        return score(tf, r.get("P"), r.get("Q"), r.get("Bu"), r.get("Bi"), r.get("mu"), user, item);
    }
}
