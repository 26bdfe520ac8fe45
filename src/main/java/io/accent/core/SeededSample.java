package io.accent.core;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded sample of ids: the same ids, count and seed give the same sample on every machine (a
 * Fisher–Yates shuffle of the ids in ascending order with {@link SplittableRandom}, the first
 * {@code n} taken).
 */
public final class SeededSample {

    private SeededSample() {}

    /**
     * {@code n} of {@code ids} (all of them when there are fewer), in ascending order.
     *
     * @param ids distinct ids, in any order
     */
    public static int[] of(int[] ids, int n, long seed) {
        int[] all = ids.clone();
        Arrays.sort(all);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = all.length - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int t = all[k];
            all[k] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, Math.min(n, all.length));
        Arrays.sort(out);
        return out;
    }
}
