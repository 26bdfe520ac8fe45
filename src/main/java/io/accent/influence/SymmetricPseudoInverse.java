package io.accent.influence;

import io.accent.core.SolverException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The Moore–Penrose pseudo-inverse of a symmetric matrix applied to vectors, in float64, from its
 * symmetric eigendecomposition A = V Λ Vᵀ (commons-math3 {@link EigenDecomposition}): A⁺ = V Λ⁺ Vᵀ
 * with Λ⁺ = 1/λ for |λ| > cutoff · max|λ| and 0 otherwise. The singular values of a symmetric
 * matrix are |λ|, so this is numpy's {@code pinv(A, rcond=cutoff)} for symmetric A. The matrix may
 * be indefinite (the RCF Hessian is, docs/SPEC.md §9.15) or singular.
 */
public final class SymmetricPseudoInverse {

    private final double[][] v; // eigenvectors as columns: v[row][col]
    private final double[] inv; // 1/λ or 0
    private final int n;
    private final int rank;

    /**
     * @param a row-major n×n matrix, symmetrized as (A + Aᵀ)/2 (round-off asymmetry of autodiff)
     * @param cutoff relative eigenvalue cutoff
     */
    public SymmetricPseudoInverse(double[] a, int n, double cutoff) {
        if (a.length != n * n) {
            throw new IllegalArgumentException(
                    "matrix has " + a.length + " entries, expected " + n * n);
        }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0.5 * (a[i * n + j] + a[j * n + i]);
                if (!Double.isFinite(x)) {
                    throw new SolverException("Hessian entry (" + i + ", " + j + ") is " + x);
                }
                m[i][j] = x;
            }
        }
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(m, false));
        double[] lambda = e.getRealEigenvalues();
        double max = 0;
        for (double l : lambda) {
            max = Math.max(max, Math.abs(l));
        }
        this.n = n;
        this.inv = new double[n];
        this.v = new double[n][n];
        int r = 0;
        for (int k = 0; k < n; k++) {
            RealVector col = e.getEigenvector(k);
            for (int i = 0; i < n; i++) {
                v[i][k] = col.getEntry(i);
            }
            if (Math.abs(lambda[k]) > cutoff * max && lambda[k] != 0) {
                inv[k] = 1 / lambda[k];
                r++;
            }
        }
        this.rank = r;
    }

    /** The number of eigenvalues kept. */
    int rank() {
        return rank;
    }

    /** A⁺ b. */
    public double[] apply(double[] b) {
        double[] c = new double[n];
        for (int k = 0; k < n; k++) {
            if (inv[k] == 0) {
                continue;
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += v[i][k] * b[i];
            }
            c[k] = s * inv[k];
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += v[i][k] * c[k];
            }
            out[i] = s;
        }
        return out;
    }

    /** A⁺ as a dense matrix (tests). */
    RealMatrix matrix() {
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += v[i][k] * inv[k] * v[j][k];
                }
                p[i][j] = s;
            }
        }
        return new Array2DRowRealMatrix(p, false);
    }
}
