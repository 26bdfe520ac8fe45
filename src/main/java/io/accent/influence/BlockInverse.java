package io.accent.influence;

import io.accent.core.SolverException;
import java.util.Arrays;

/**
 * Inverses of the small symmetric blocks of a block-Jacobi preconditioner (the full scope's user,
 * item and dense-layer blocks): by Cholesky factorization, with a growing ridge when a block is
 * only semidefinite (a flat direction, e.g. an undecayed bias), since a preconditioner has to be
 * positive definite, not exact.
 */
public final class BlockInverse {

    private BlockInverse() {}

    /**
     * The inverse of the m × m row-major block {@code a}, or of {@code a + ridge·I} with the
     * smallest ridge (1e-12 of the largest diagonal entry, then ten times more each try) that lets
     * it factor.
     *
     * @throws SolverException when no finite ridge does (a block with NaN or infinite entries)
     */
    public static double[] ofPositive(double[] a, int m) {
        double top = 0;
        for (int k = 0; k < m; k++) {
            top = Math.max(top, Math.abs(a[k * m + k]));
        }
        double ridge = 0;
        while (true) {
            double[] inv = ofPositive(a, m, ridge);
            if (inv != null) {
                return inv;
            }
            ridge = ridge == 0 ? 1e-12 * Math.max(top, 1e-300) : ridge * 10;
            if (!(ridge < Double.MAX_VALUE)) {
                throw new SolverException(
                        "a preconditioner block is not finite (NaN in the model's parameters?)");
            }
        }
    }

    /** The inverse of a + ridge·I, or null when its Cholesky factorization meets a pivot ≤ 0. */
    static double[] ofPositive(double[] a, int m, double ridge) {
        double[] l = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * m + j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i * m + k] * l[j * m + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i * m + i] = Math.sqrt(s);
                } else {
                    l[i * m + j] = s / l[j * m + j];
                }
            }
        }
        double[] inv = new double[m * m];
        double[] col = new double[m];
        for (int c = 0; c < m; c++) {
            Arrays.fill(col, 0);
            col[c] = 1;
            for (int i = 0; i < m; i++) {
                double s = col[i];
                for (int k = 0; k < i; k++) {
                    s -= l[i * m + k] * col[k];
                }
                col[i] = s / l[i * m + i];
            }
            for (int i = m - 1; i >= 0; i--) {
                double s = col[i];
                for (int k = i + 1; k < m; k++) {
                    s -= l[k * m + i] * col[k];
                }
                col[i] = s / l[i * m + i];
            }
            for (int i = 0; i < m; i++) {
                inv[i * m + c] = col[i];
            }
        }
        return inv;
    }
}
