package io.accent.tf;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Gradients that TensorFlow's C++ registry lacks and that differentiating twice through gathers and
 * segment sums needs: the gradient of {@code UnsortedSegmentSum} is a (version 1) {@code Gather},
 * whose own gradient is not registered. Registered once per process, before graphs that need them
 * are differentiated.
 *
 * <p>{@code Gather(params, indices)}: ∂/∂params = UnsortedSegmentSum(grad, indices, rows(params)),
 * with grad flattened to one row per index; the indices get zeros (integers carry no gradient).
 */
public final class SecondOrderGradients {

    private static boolean registered;

    private SecondOrderGradients() {}

    /** Registers the missing gradients (idempotent). */
    public static synchronized void ensureRegistered() {
        if (registered) {
            return;
        }
        if (!TensorFlow.registerCustomGradient("Gather", SecondOrderGradients::gather)) {
            throw new IllegalStateException("TensorFlow refused a gradient for Gather");
        }
        registered = true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Operand<?>> gather(Ops tf, GraphOperation op, List<Output<?>> grads) {
        Output params = op.input(0);
        Output<? extends TNumber> indices = (Output<? extends TNumber>) op.input(1);
        Operand<TInt32> shape = tf.shape(params);
        Operand<TInt32> rows =
                tf.reshape(
                        tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                        tf.constant(new int[0]));
        Operand<TInt32> inner =
                tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {-1}));
        Operand<TType> g = (Operand<TType>) grads.get(0);
        Operand<TType> flat =
                tf.reshape(
                        g, tf.concat(List.of(tf.constant(new int[] {-1}), inner), tf.constant(0)));
        Operand<? extends TNumber> ids = tf.reshape(indices, tf.constant(new int[] {-1}));
        Operand<?> dParams = tf.math.unsortedSegmentSum((Operand) flat, ids, rows);
        return Arrays.asList(dParams, tf.zerosLike(indices));
    }
}
