package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Ratings#rowsOf} against a scan of the user column. */
class RatingsIndexTest {

    @Test
    void rowsOfEveryUserAreThoseOfAScanInRowOrder() {
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 5_000;
        int[] u = new int[n];
        int[] i = new int[n];
        for (int k = 0; k < n; k++) {
            u[k] = rnd.nextInt(300) * 2; // odd users have no rows
            i[k] = rnd.nextInt(50);
        }
        Ratings r = Ratings.of(u, i, new float[n], new long[n]);
        for (int user = -1; user <= 602; user++) {
            IntList scan = new IntList();
            for (int k = 0; k < n; k++) {
                if (u[k] == user) {
                    scan.add(k);
                }
            }
            assertArrayEquals(scan.toArray(), r.rowsOf(user), "user " + user);
        }
        assertEquals(
                0, Ratings.of(new int[0], new int[0], new float[0], new long[0]).rowsOf(0).length);
    }
}
