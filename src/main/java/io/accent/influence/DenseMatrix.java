package io.accent.influence;

/**
 * A small dense symmetric matrix used as an operator: {@code scale·A + shift·I}. This is how a
 * Hessian block assembled from autodiff Hessian-vector products is applied inside CG.
 */
public final class DenseMatrix implements HessianVectorProduct {

    private final double[] a;
    private final int n;
    private final double scale;
    private final double shift;

    /**
     * @param a row-major n×n matrix (not copied; the caller must not change it)
     * @param scale factor on A
     * @param shift added to the diagonal (damping, L2)
     */
    public DenseMatrix(double[] a, int n, double scale, double shift) {
        if (a.length != n * n) {
            throw new IllegalArgumentException(
                    "matrix has " + a.length + " entries, expected " + n * n);
        }
        this.a = a;
        this.n = n;
        this.scale = scale;
        this.shift = shift;
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public void apply(double[] p, double[] out) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                s += a[row + j] * p[j];
            }
            out[i] = scale * s + shift * p[i];
        }
    }

    /** The operator's matrix, built from n products with unit vectors. */
    static double[][] materialize(HessianVectorProduct h) {
        int n = h.dimension();
        double[][] m = new double[n][n];
        double[] e = new double[n];
        double[] col = new double[n];
        for (int j = 0; j < n; j++) {
            e[j] = 1;
            h.apply(e, col);
            e[j] = 0;
            for (int i = 0; i < n; i++) {
                m[i][j] = col[i];
            }
        }
        return m;
    }
}
