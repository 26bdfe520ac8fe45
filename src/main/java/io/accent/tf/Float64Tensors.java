package io.accent.tf;

import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The float64 side of the influence graphs (one definition for NCF and RCF): weights enter as
 * float64 constants and results are read back as doubles.
 */
public final class Float64Tensors {

    private Float64Tensors() {}

    /** A float64 constant holding the (float32) values of {@code a}, in its shape. */
    public static Operand<TFloat64> constant(Ops tf, NamedArray a) {
        float[] f = a.data();
        double[] v = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            v[k] = f[k];
        }
        return tf.constant(Shape.of(a.shape()), DataBuffers.of(v, true, false));
    }

    /** The values of {@code t}, a {@link TFloat64}, in row-major order. */
    public static double[] read(Tensor t) {
        TFloat64 f = (TFloat64) t;
        double[] out = new double[(int) f.shape().size()];
        f.asRawTensor().data().asDoubles().read(out);
        return out;
    }
}
