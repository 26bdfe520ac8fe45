package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NumpyArgsortTest {

    @Test
    void emptyAndSingleton() {
        assertArrayEquals(new int[0], NumpyArgsort.quicksort(new long[0]));
        assertArrayEquals(new int[] {0}, NumpyArgsort.quicksort(new long[] {5}));
    }

    @Test
    void shortArraysUseInsertionSortAndAreStable() {
        // up to 16 elements numpy only runs the insertion sort, which keeps ties in input order
        long[] v = {3, 1, 3, 2, 1, 3, 0, 2, 2, 1, 0, 3, 1, 2, 0, 3};
        int[] expected =
                IntStream.range(0, v.length)
                        .boxed()
                        .sorted((a, b) -> Long.compare(v[a], v[b]))
                        .mapToInt(Integer::intValue)
                        .toArray();
        assertArrayEquals(expected, NumpyArgsort.quicksort(v));
    }

    @Test
    void seventeenEqualKeysFollowTheQuicksortPartition() {
        // traced by hand from docs/SPEC.md §1.3: one partition step (pivot at 8, swaps 1<->14 ...
        // 7<->8),
        // then insertion sort of both halves; a stable sort would return the identity
        long[] v = new long[17];
        Arrays.fill(v, 879022858L);
        assertArrayEquals(
                new int[] {0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16},
                NumpyArgsort.quicksort(v));
    }

    @Test
    void seventeenKeysWithMedianOfThreeSwaps() {
        // v[lo] = 5, v[mid] = 1, v[hi] = 3: median-of-three orders them to 1, 3, 5, pivot 3.
        long[] v = {5, 3, 3, 3, 3, 3, 3, 3, 1, 3, 3, 3, 3, 3, 3, 3, 3};
        // hand trace: the median of three gives t[0]=8, t[8]=16, t[16]=0; the pivot moves to 15;
        // the
        // scan swaps (1,14) ... (6,9) and (7,8); the pivot lands at 8; both halves are
        // insertion-sorted
        assertArrayEquals(
                new int[] {8, 14, 13, 12, 11, 10, 9, 15, 16, 6, 5, 4, 3, 2, 1, 7, 0},
                NumpyArgsort.quicksort(v));
    }

    @Test
    void randomArraysWithManyTiesAreSortedPermutations() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = rng.nextInt(1, 700);
            long[] v = new long[n];
            int distinct = 1 + rng.nextInt(20);
            for (int k = 0; k < n; k++) {
                v[k] = 880_000_000L + rng.nextInt(distinct);
            }
            int[] t = NumpyArgsort.quicksort(v);
            assertSorted(v, t);
        }
    }

    @Test
    void alreadySortedAndReversedInputs() {
        long[] up = LongStreamRange.of(1000);
        assertArrayEquals(IntStream.range(0, 1000).toArray(), NumpyArgsort.quicksort(up));
        long[] down = new long[1000];
        for (int k = 0; k < down.length; k++) {
            down[k] = 1000 - k;
        }
        int[] t = NumpyArgsort.quicksort(down);
        assertSorted(down, t);
        assertArrayEquals(IntStream.range(0, 1000).map(k -> 999 - k).toArray(), t);
    }

    @Test
    void differsFromAStableSortOnTies() {
        long[] v = new long[40];
        for (int k = 0; k < v.length; k++) {
            v[k] = (k * 7919L) % 3;
        }
        int[] t = NumpyArgsort.quicksort(v);
        assertSorted(v, t);
        int[] stable =
                IntStream.range(0, v.length)
                        .boxed()
                        .sorted((a, b) -> Long.compare(v[a], v[b]))
                        .mapToInt(Integer::intValue)
                        .toArray();
        assertTrue(!Arrays.equals(stable, t), "expected an unstable order of ties");
    }

    private static void assertSorted(long[] v, int[] t) {
        assertArrayEquals(
                IntStream.range(0, v.length).toArray(),
                Arrays.stream(t).sorted().toArray(),
                "not a permutation");
        for (int k = 1; k < t.length; k++) {
            assertTrue(v[t[k - 1]] <= v[t[k]], "not sorted at " + k);
        }
    }

    private static final class LongStreamRange {
        static long[] of(int n) {
            long[] a = new long[n];
            for (int k = 0; k < n; k++) {
                a[k] = k;
            }
            return a;
        }
    }
}
