package io.accent.model;

import io.accent.data.Ratings;
import java.util.SplittableRandom;

/** Seeded toy rating data from a low-rank model, for fast model tests. */
public final class SmallData {

    private SmallData() {}

    public static Ratings ratings(int users, int items, int perUser, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] pu = new double[users][3];
        double[][] qi = new double[items][3];
        for (double[] v : pu) {
            for (int k = 0; k < 3; k++) {
                v[k] = r.nextGaussian();
            }
        }
        for (double[] v : qi) {
            for (int k = 0; k < 3; k++) {
                v[k] = r.nextGaussian();
            }
        }
        int n = users * perUser;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] y = new float[n];
        long[] t = new long[n];
        int row = 0;
        for (int a = 0; a < users; a++) {
            for (int c = 0; c < perUser; c++) {
                int b = (a * 7 + c * 13) % items;
                double s =
                        3
                                + pu[a][0] * qi[b][0]
                                + 0.7 * pu[a][1] * qi[b][1]
                                + 0.3 * r.nextGaussian();
                u[row] = a;
                i[row] = b;
                y[row] = (float) Math.max(1, Math.min(5, Math.round(s)));
                t[row] = row;
                row++;
            }
        }
        return Ratings.of(u, i, y, t);
    }
}
