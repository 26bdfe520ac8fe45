package io.accent.model;

import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The NCF forward pass (GMF + MLP, MODELS.md §2.2) as TensorFlow ops, written only with ops whose
 * gradients can be differentiated again (GatherV2, MatMul, Maximum for ReLU, broadcast Add for
 * biases), so that the same code serves training (float32) and influence (float64, double backprop).
 */
public final class NcfNetwork {

    /** Variable names in the order they are stored, exported and documented. */
    public static final List<String> VARIABLES =
            List.of("P_mlp", "Q_mlp", "P_gmf", "Q_gmf", "W1", "b1", "W2", "b2", "W3", "b3");

    /** Variables under the L2 term (embedding tables and MLP weights, not biases). */
    public static final Set<String> DECAYED = Set.of("P_mlp", "Q_mlp", "P_gmf", "Q_gmf", "W1", "W2", "W3");

    static final int H1 = 16;
    static final int H2 = 8;

    private NcfNetwork() {}

    /** Shapes of the ten variables for the given sizes. */
    public static long[][] shapes(int users, int items, int e) {
        return new long[][] {
            {users, e}, {items, e}, {users, e}, {items, e},
            {2L * e, H1}, {H1}, {H1, H2}, {H2}, {H2 + e, 1}, {1}
        };
    }

    /** Dense layer weights of the MLP and the output layer. */
    public record Dense<T extends TFloating>(
            Operand<T> w1, Operand<T> b1, Operand<T> w2, Operand<T> b2, Operand<T> w3, Operand<T> b3) {}

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

    /**
     * Predicted ratings from gathered embedding rows ([B, E] each): the form influence computations
     * differentiate with respect to.
     */
    public static <T extends TFloating> Operand<T> scoreRows(
            Ops tf, Operand<T> pm, Operand<T> qm, Operand<T> pg, Operand<T> qg, Dense<T> d) {
        Operand<TInt32> axis1 = tf.constant(1);
        Operand<T> x = tf.concat(List.of(pm, qm), axis1);
        Operand<T> zero = tf.dtypes.cast(tf.constant(0f), d.b1().type());
        Operand<T> h1 = tf.math.maximum(tf.math.add(tf.linalg.matMul(x, d.w1()), d.b1()), zero);
        Operand<T> h2 = tf.math.maximum(tf.math.add(tf.linalg.matMul(h1, d.w2()), d.b2()), zero);
        Operand<T> g = tf.math.mul(pg, qg);
        Operand<T> out = tf.math.add(tf.linalg.matMul(tf.concat(List.of(h2, g), axis1), d.w3()), d.b3());
        return tf.reshape(out, tf.constant(new int[] {-1}));
    }
}
