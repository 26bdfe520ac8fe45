package io.accent.tf;

import io.accent.data.Ratings;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A graph's scoring of (user, item) pairs, fed through two placeholders, in chunks of at most
 * {@link #CHUNK} pairs: memory stays bounded whatever the number of pairs (a MovieLens-20M training
 * set has 16 million rows, whose activations in one call would take gigabytes).
 *
 * @param session the open session of the graph
 * @param users the placeholder of the user indices
 * @param items the placeholder of the item indices
 * @param scores the scores of the fed pairs
 */
public record PairScores(
        Session session,
        Placeholder<TInt32> users,
        Placeholder<TInt32> items,
        Operand<TFloat32> scores) {

    /** The most pairs scored in one session call. */
    public static final int CHUNK = 1 << 16;

    /** Scores of the pairs (u[b], i[b]). */
    public float[] score(int[] u, int[] i) {
        if (u.length != i.length) {
            throw new IllegalArgumentException(u.length + " users but " + i.length + " items");
        }
        float[] out = new float[u.length];
        for (int start = 0; start < u.length; start += CHUNK) {
            int end = Math.min(u.length, start + CHUNK);
            float[] part =
                    chunk(Arrays.copyOfRange(u, start, end), Arrays.copyOfRange(i, start, end));
            System.arraycopy(part, 0, out, start, part.length);
        }
        return out;
    }

    /** The mean of (score − rating)² over the rows of {@code rows}, summed in double. */
    public double meanSquaredError(Ratings rows) {
        int n = rows.size();
        double sum = 0;
        for (int start = 0; start < n; start += CHUNK) {
            int end = Math.min(n, start + CHUNK);
            int[] u = new int[end - start];
            int[] i = new int[end - start];
            for (int k = start; k < end; k++) {
                u[k - start] = rows.user(k);
                i[k - start] = rows.item(k);
            }
            float[] s = chunk(u, i);
            for (int k = start; k < end; k++) {
                double d = (double) s[k - start] - rows.rating(k);
                sum += d * d;
            }
        }
        return sum / n;
    }

    private float[] chunk(int[] u, int[] i) {
        try (TInt32 tu = TInt32.vectorOf(u);
                TInt32 ti = TInt32.vectorOf(i);
                Result r = session.runner().feed(users, tu).feed(items, ti).fetch(scores).run()) {
            float[] out = new float[u.length];
            ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
            return out;
        }
    }
}
