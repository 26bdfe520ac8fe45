package io.accent.modelio;

import io.accent.tf.NamedArray;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes NumPy {@code .npy} files (format 1.0, little-endian float32, C order). */
public final class Npy {

    private Npy() {}

    /** Writes {@code a} as a {@code <f4} array of its shape. */
    public static void write(NamedArray a, OutputStream out) throws IOException {
        long[] shape = a.shape();
        StringBuilder dims = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            dims.append(shape[k]);
            if (shape.length == 1 || k < shape.length - 1) {
                dims.append(shape.length == 1 ? "," : ", ");
            }
        }
        dims.append(')');
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        pre.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        pre.putShort((short) h.length);
        out.write(pre.array());
        out.write(h);
        ByteBuffer body = ByteBuffer.allocate(4 * a.data().length).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(a.data());
        out.write(body.array());
    }
}
