package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The introsort depth fallback of numpy's argsort (heapsort once 2·floor(log2 n) partitions have
 * been spent on one chain), driven by a median-of-three adversary.
 *
 * <p>The adversary follows docs/SPEC.md §1.3 step by step with values chosen lazily, as in
 * McIlroy's "A killer adversary for quicksort": on a range {@code [lo, hi]} it gives the smallest
 * free value to the slot at {@code lo} and the next one to the slot at {@code mid}, so the median
 * of three is the second smallest element, the partition splits off one element, and the larger
 * side {@code [lo+2, hi]} is pushed with one less depth. After {@code 2·floor(log2 n) + 1} such
 * partitions the popped range has depth −1 and numpy heapsorts it. The values of that last range
 * are chosen by the test; {@link Killer#entry} is the order of its slots when the heapsort starts.
 */
class NumpyArgsortHeapsortTest {

    /** Values for {@code n} slots and the slot order of the heapsorted tail at entry. */
    record Killer(long[] values, int[] entry, int partitions) {}

    static Killer killer(int n, long[] tail) {
        int depth = 2 * (31 - Integer.numberOfLeadingZeros(n));
        int partitions = depth + 1;
        long[] v = new long[n];
        Arrays.fill(v, -1);
        int[] t = IntStream.range(0, n).toArray();
        int lo = 0;
        int hi = n - 1;
        for (int p = 0; p < partitions; p++) {
            assertTrue(hi - lo > 15, "range too short for a partition");
            int mid = lo + ((hi - lo) >> 1);
            v[t[lo]] = 2L * p;
            v[t[mid]] = 2L * p + 1;
            swap(t, mid, hi - 1); // pivot to hi-1
            swap(t, lo + 1, hi - 1); // the scan stops at lo+1 and lo; pivot to lo+1
            lo += 2;
        }
        int[] entry = Arrays.copyOfRange(t, lo, n);
        assertEquals(tail.length, entry.length);
        for (int k = 0; k < entry.length; k++) {
            assertTrue(tail[k] > 2L * partitions, "tail values must exceed the partition values");
            v[entry[k]] = tail[k];
        }
        return new Killer(v, entry, partitions);
    }

    static void swap(int[] t, int a, int b) {
        int x = t[a];
        t[a] = t[b];
        t[b] = x;
    }

    /** The unique argsort for distinct keys (a stable sort). */
    static int[] stable(long[] v) {
        return IntStream.range(0, v.length)
                .boxed()
                .sorted((a, b) -> Long.compare(v[a], v[b]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    static int tailLength(int n) {
        return n - 2 * (2 * (31 - Integer.numberOfLeadingZeros(n)) + 1);
    }

    @Test
    void equalKeysInTheHeapsortedRangeComeOutRotatedByOne() {
        // numpy's heapsort on equal keys never sifts: each step swaps a[1] with a[n] and shrinks n,
        // so x1..xm ends as x2, x3, ..., xm, x1 (worked by hand for m = 3: x3 x2 x1, then x2 x3
        // x1).
        // The insertion sort would keep x1..xm, and a further quicksort partition would reorder
        // them
        // differently.
        int n = 40; // depth 10, 11 partitions, heapsort on the last 18 slots
        long[] tail = new long[tailLength(n)];
        Arrays.fill(tail, 1_000);
        Killer k = killer(n, tail);
        assertEquals(18, k.entry().length);
        int[] t = NumpyArgsort.quicksort(k.values());
        int head = 2 * k.partitions();
        // the first 22 positions: the values 0..21 in order (one slot each)
        for (int p = 0; p < head; p++) {
            assertEquals(p, k.values()[t[p]]);
        }
        int m = k.entry().length;
        for (int j = 0; j < m; j++) {
            assertEquals(k.entry()[(j + 1) % m], t[head + j], "position " + (head + j));
        }
    }

    @Test
    void distinctKeysInTheHeapsortedRangeGiveTheUniqueOrder() {
        SplittableRandom rng = new SplittableRandom(19);
        for (int n : new int[] {40, 41, 64, 100, 257}) {
            for (int trial = 0; trial < 20; trial++) {
                int m = tailLength(n);
                long[] tail = new long[m];
                for (int k = 0; k < m; k++) {
                    tail[k] = 1_000 + 7L * k; // distinct
                }
                for (int k = m - 1; k > 0; k--) { // shuffled
                    int r = rng.nextInt(k + 1);
                    long x = tail[k];
                    tail[k] = tail[r];
                    tail[r] = x;
                }
                Killer killer = killer(n, tail);
                assertArrayEquals(
                        stable(killer.values()), NumpyArgsort.quicksort(killer.values()), "n=" + n);
            }
        }
    }

    @Test
    void keysWithTiesInTheHeapsortedRangeAreASortedPermutation() {
        SplittableRandom rng = new SplittableRandom(23);
        for (int n : new int[] {40, 64, 100}) {
            for (int trial = 0; trial < 30; trial++) {
                int m = tailLength(n);
                long[] tail = new long[m];
                for (int k = 0; k < m; k++) {
                    tail[k] = 1_000 + rng.nextInt(1 + trial % 5);
                }
                long[] v = killer(n, tail).values();
                int[] t = NumpyArgsort.quicksort(v);
                assertArrayEquals(
                        IntStream.range(0, n).toArray(), Arrays.stream(t).sorted().toArray());
                for (int k = 1; k < n; k++) {
                    assertTrue(v[t[k - 1]] <= v[t[k]], "not sorted at " + k);
                }
            }
        }
    }

    @Test
    void twoValuesInAHandWorkedHeapsortedRange() {
        // n = 40: the last 18 slots enter the heapsort as e0..e17 (heap a1..a18). Keys: 2000 at e0
        // and e5 (a1, a6), 1000 elsewhere. Worked by hand from numpy's aheapsort:
        // build: only l = 3 moves (a6 = e5 rises to a3, e2 drops to a6); a1 = e0 stays.
        // n=18: a18 = e0; e17 sifts from the root, e5 rises to a1, e17 ends at a3.
        // n=17: a17 = e5; e16 to the root, no move. The 16 equal keys a1..a16 =
        // e16 e1 e17 e3 e4 e2 e6 .. e15 then rotate by one (each step swaps a1 and a[n]).
        long[] tail = new long[18];
        Arrays.fill(tail, 1_000);
        tail[0] = 2_000;
        tail[5] = 2_000;
        Killer k = killer(40, tail);
        int[] t = NumpyArgsort.quicksort(k.values());
        int[] order = {1, 17, 3, 4, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 5, 0};
        for (int j = 0; j < order.length; j++) {
            assertEquals(k.entry()[order[j]], t[22 + j], "position " + (22 + j));
        }
    }
}
