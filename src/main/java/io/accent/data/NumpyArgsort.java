package io.accent.data;

/**
 * Emulates numpy 1.19 {@code argsort(kind='quicksort')} on an int64 array: an unstable introsort
 * (median-of-three quicksort, insertion sort below 16 elements, heapsort when the depth budget is
 * spent). pandas {@code sort_values} used it to order each user's ratings by time, and ties are
 * frequent, so only this exact procedure reproduces the reference split (docs/SPEC.md §1.3).
 */
final class NumpyArgsort {

    private static final int SMALL_QUICKSORT = 15;

    private NumpyArgsort() {}

    /**
     * Returns the permutation {@code t} such that {@code v[t[0]] <= v[t[1]] <= ...}, as numpy does.
     */
    static int[] quicksort(long[] v) {
        int n = v.length;
        int[] t = new int[n];
        for (int k = 0; k < n; k++) {
            t[k] = k;
        }
        if (n <= 1) {
            return t;
        }
        // the stack never holds more than 2*log2(n) partitions plus the depth fallback margin
        int[] stackLo = new int[128];
        int[] stackHi = new int[128];
        int[] stackDepth = new int[128];
        int sp = 0;
        int lo = 0;
        int hi = n - 1;
        int depth = 2 * (31 - Integer.numberOfLeadingZeros(n));
        while (true) {
            if (depth < 0) {
                heapsort(v, t, lo, hi - lo + 1);
            } else {
                while (hi - lo > SMALL_QUICKSORT) {
                    int mid = lo + ((hi - lo) >> 1);
                    if (v[t[mid]] < v[t[lo]]) {
                        swap(t, mid, lo);
                    }
                    if (v[t[hi]] < v[t[mid]]) {
                        swap(t, hi, mid);
                    }
                    if (v[t[mid]] < v[t[lo]]) {
                        swap(t, mid, lo);
                    }
                    long pivot = v[t[mid]];
                    int i = lo;
                    int j = hi - 1;
                    swap(t, mid, j);
                    while (true) {
                        do {
                            i++;
                        } while (v[t[i]] < pivot);
                        do {
                            j--;
                        } while (pivot < v[t[j]]);
                        if (i >= j) {
                            break;
                        }
                        swap(t, i, j);
                    }
                    swap(t, i, hi - 1);
                    depth--;
                    if (i - lo < hi - i) {
                        stackLo[sp] = i + 1;
                        stackHi[sp] = hi;
                        stackDepth[sp] = depth;
                        sp++;
                        hi = i - 1;
                    } else {
                        stackLo[sp] = lo;
                        stackHi[sp] = i - 1;
                        stackDepth[sp] = depth;
                        sp++;
                        lo = i + 1;
                    }
                }
                insertionSort(v, t, lo, hi);
            }
            if (sp == 0) {
                return t;
            }
            sp--;
            lo = stackLo[sp];
            hi = stackHi[sp];
            depth = stackDepth[sp];
        }
    }

    private static void insertionSort(long[] v, int[] t, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            int ti = t[i];
            long vi = v[ti];
            int j = i;
            while (j > lo && vi < v[t[j - 1]]) {
                t[j] = t[j - 1];
                j--;
            }
            t[j] = ti;
        }
    }

    /** numpy's index heapsort on {@code t[from .. from+n-1]} (1-based heap indexing). */
    private static void heapsort(long[] v, int[] t, int from, int n) {
        int base = from - 1; // a[k] == t[base + k]
        for (int l = n >> 1; l > 0; l--) {
            int tmp = t[base + l];
            int i = l;
            int j = l << 1;
            while (j <= n) {
                if (j < n && v[t[base + j]] < v[t[base + j + 1]]) {
                    j++;
                }
                if (v[tmp] < v[t[base + j]]) {
                    t[base + i] = t[base + j];
                    i = j;
                    j += j;
                } else {
                    break;
                }
            }
            t[base + i] = tmp;
        }
        while (n > 1) {
            int tmp = t[base + n];
            t[base + n] = t[base + 1];
            n--;
            int i = 1;
            int j = 2;
            while (j <= n) {
                if (j < n && v[t[base + j]] < v[t[base + j + 1]]) {
                    j++;
                }
                if (v[tmp] < v[t[base + j]]) {
                    t[base + i] = t[base + j];
                    i = j;
                    j += j;
                } else {
                    break;
                }
            }
            t[base + i] = tmp;
        }
    }

    private static void swap(int[] t, int a, int b) {
        int x = t[a];
        t[a] = t[b];
        t[b] = x;
    }
}
