package io.accent.data;

import java.util.SplittableRandom;

/**
 * The random draws the synthetic generators share. Each takes the stream it draws from, so that a
 * generator's output depends only on its seed; all math is {@link StrictMath}.
 */
final class SyntheticDraws {

    private SyntheticDraws() {}

    /** Index drawn with probability proportional to {@code weights}. */
    static int pick(SplittableRandom rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = rng.nextDouble() * total;
        for (int k = 0; k < weights.length; k++) {
            x -= weights[k];
            if (x < 0) {
                return k;
            }
        }
        return weights.length - 1;
    }

    /**
     * Standard normal by Box–Muller (one value per call, so the stream is easy to reason about).
     */
    static double gaussian(SplittableRandom rng) {
        double u1 = openDouble(rng);
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** Uniform in (0, 1). */
    static double openDouble(SplittableRandom rng) {
        double d;
        do {
            d = rng.nextDouble();
        } while (d == 0.0);
        return d;
    }
}
