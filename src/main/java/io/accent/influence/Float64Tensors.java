package io.accent.influence;

import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat64;

/** Reading the float64 tensors the influence graphs fetch (one definition for NCF and RCF). */
final class Float64Tensors {

    private Float64Tensors() {}

    /** The values of {@code t}, a {@link TFloat64}, in row-major order. */
    static double[] read(Tensor t) {
        TFloat64 f = (TFloat64) t;
        double[] out = new double[(int) f.shape().size()];
        f.asRawTensor().data().asDoubles().read(out);
        return out;
    }
}
