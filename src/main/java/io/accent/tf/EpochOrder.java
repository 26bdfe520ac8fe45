package io.accent.tf;

import java.util.SplittableRandom;

/**
 * Row orders of training (docs/SPEC.md §2.4): the first epoch walks the rows in order, every later
 * epoch is a seeded Fisher–Yates shuffle, drawn in Java. The trainers of every family use it (NCF's
 * batched retrainer makes its orders on the device instead, the same protocol with another stream).
 */
public final class EpochOrder {

    private final SplittableRandom random;

    /** The shuffle stream of a training run with this seed. */
    public EpochOrder(long seed) {
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** 0, 1, ..., n−1. */
    public static int[] identity(int n) {
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = k;
        }
        return a;
    }

    /** Shuffles {@code a} in place with the next draws of this stream. */
    public void shuffle(int[] a) {
        for (int k = a.length - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = a[k];
            a[k] = a[j];
            a[j] = t;
        }
    }
}
