package io.accent.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.accent.core.SolverException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class SymmetricPseudoInverseTest {

    private static double[] flat(double[][] m) {
        int n = m.length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a, i * n, n);
        }
        return a;
    }

    @Test
    void singularIndefiniteMatrixMatchesTheReferencePseudoInverse() {
        int n = 7;
        double[][] v = PinvReference.orthogonal(n, 3);
        double[] lambda = {3.0, -2.0, 0.0, 0.5, 0.0, -0.01, 1e-19};
        double[] inverse = new double[n];
        for (int k = 0; k < n; k++) {
            // 1e-19 is below the 1e-15 relative cutoff: treated as zero, like numpy's pinv
            inverse[k] = Math.abs(lambda[k]) > 1e-15 * 3.0 ? 1 / lambda[k] : 0;
        }
        double[][] a = PinvReference.compose(v, lambda);
        double[][] want = PinvReference.compose(v, inverse);
        SymmetricPseudoInverse p = new SymmetricPseudoInverse(flat(a), n, 1e-15);
        assertEquals(4, p.rank());
        RealMatrix got = p.matrix();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(want[i][j], got.getEntry(i, j), 1e-11 * (1 + Math.abs(want[i][j])));
            }
        }
        double[] b = {1, -2, 0.5, 3, 0, 1, -1};
        double[] x = p.apply(b);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += want[i][j] * b[j];
            }
            assertEquals(s, x[i], 1e-11 * (1 + Math.abs(s)));
        }
        // Moore–Penrose conditions: A X A = A, X A X = X
        RealMatrix am = new Array2DRowRealMatrix(a);
        RealMatrix axa = am.multiply(got).multiply(am);
        RealMatrix xax = got.multiply(am).multiply(got);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(a[i][j], axa.getEntry(i, j), 1e-10);
                assertEquals(got.getEntry(i, j), xax.getEntry(i, j), 1e-9);
            }
        }
    }

    @Test
    void nonSingularMatrixGivesTheSolution() {
        int n = 5;
        double[][] v = PinvReference.orthogonal(n, 9);
        double[][] a = PinvReference.compose(v, new double[] {2, -1, 0.3, 4, -0.7});
        double[] b = {1, 2, 3, 4, 5};
        double[] x = new SymmetricPseudoInverse(flat(a), n, 1e-15).apply(b);
        double[] want = PinvReference.solve(a, b);
        for (int i = 0; i < n; i++) {
            assertEquals(want[i], x[i], 1e-12);
        }
    }

    @Test
    void nonFiniteEntriesAreASolverError() {
        assertThrows(
                SolverException.class,
                () ->
                        new SymmetricPseudoInverse(
                                new double[] {1, Double.NaN, Double.NaN, 1}, 2, 1e-15));
    }
}
