package io.accent.influence;

import io.accent.core.SolverException;

/**
 * Dense Cholesky solve in float64. It materializes H column by column from the operator (n
 * products) and never forms an inverse. Used as the test oracle and as the fallback when CG does
 * not converge.
 */
public final class DirectSolver implements LinearSolver {

    @Override
    public SolveResult solve(HessianVectorProduct h, double[] b, double[] x0) {
        double[][] a = DenseMatrix.materialize(h);
        double[] x = choleskySolve(a, b);
        double[] hx = new double[b.length];
        h.apply(x, hx);
        double res = 0;
        double bn = 0;
        for (int k = 0; k < b.length; k++) {
            res += (b[k] - hx[k]) * (b[k] - hx[k]);
            bn += b[k] * b[k];
        }
        double rel = bn == 0 ? 0 : Math.sqrt(res / bn);
        return new SolveResult(x, 0, rel, Double.isFinite(rel), "direct");
    }

    /** Solves A x = b for symmetric positive definite A (A is not modified). */
    public static double[] choleskySolve(double[][] a, double[] b) {
        int n = b.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0.5 * (a[i][j] + a[j][i]);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new SolverException(
                                "matrix is not positive definite (pivot " + i + " is " + s + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    @Override
    public String name() {
        return "exact";
    }
}
