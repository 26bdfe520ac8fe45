package io.accent.influence;

/** Plain-Java float64 references for the pseudo-inverse tests. */
public final class PinvReference {

    private PinvReference() {}

    /** Solves A x = b for a non-singular A by Gaussian elimination with partial pivoting. */
    public static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            double tb = b[c];
            b[c] = b[piv];
            b[piv] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= a[i][k] * x[k];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }

    /**
     * A random orthogonal n×n matrix (Gram–Schmidt of seeded Gaussian columns), columns = vectors.
     */
    static double[][] orthogonal(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[][] q = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += v[i] * q[i][p];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= d * q[i][p];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][c] = v[i] / norm;
            }
        }
        return q;
    }

    /** V diag(d) Vᵀ. */
    static double[][] compose(double[][] v, double[] d) {
        int n = d.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[i][k] * d[k] * v[j][k];
                }
                m[i][j] = s;
            }
        }
        return m;
    }
}
