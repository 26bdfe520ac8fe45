package io.accent.tf;

import java.util.Arrays;
import org.tensorflow.types.TFloat32;

/**
 * A named float32 array with a row-major shape: one model variable, or one optimizer slot.
 *
 * @param name variable name as it appears in the graph (e.g. {@code P_mlp}, {@code P_mlp.adam_m})
 * @param shape dimensions, row-major
 * @param data values; length equals the product of {@code shape}
 */
public record NamedArray(String name, long[] shape, float[] data) {

    public NamedArray {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        name + ": negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    name
                            + ": shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + n
                            + " values, got "
                            + data.length);
        }
    }

    /** A copy of {@code tensor}'s values and shape under {@code name}. */
    public static NamedArray copyOf(String name, TFloat32 tensor) {
        float[] data = new float[(int) tensor.shape().size()];
        tensor.asRawTensor().data().asFloats().read(data);
        return new NamedArray(name, tensor.shape().asArray(), data);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of rows (first dimension; 1 for a scalar). */
    public int rows() {
        return shape.length == 0 ? 1 : (int) shape[0];
    }

    /** Product of the trailing dimensions (1 for vectors and scalars). */
    public int rowSize() {
        int n = 1;
        for (int k = 1; k < shape.length; k++) {
            n *= (int) shape[k];
        }
        return n;
    }

    /** Copy of one row (for a 2-D array). */
    public float[] row(int r) {
        int w = rowSize();
        return Arrays.copyOfRange(data, r * w, (r + 1) * w);
    }
}
