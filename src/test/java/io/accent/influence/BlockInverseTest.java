package io.accent.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.SolverException;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** The preconditioner blocks' inverse against a dense LU inverse, its ridge and its failure. */
class BlockInverseTest {

    /** B·Bᵀ (+ shift·I) of a seeded m × r matrix B, row-major. */
    private static double[] gram(int m, int r, double shift, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] b = new double[m][r];
        for (double[] row : b) {
            for (int j = 0; j < r; j++) {
                row[j] = rnd.nextDouble(-1, 1);
            }
        }
        double[] a = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = i == j ? shift : 0;
                for (int k = 0; k < r; k++) {
                    s += b[i][k] * b[j][k];
                }
                a[i * m + j] = s;
            }
        }
        return a;
    }

    @Test
    void aPositiveDefiniteBlockIsInvertedExactly() {
        int m = 7;
        double[] a = gram(m, m, 0.1, 3);
        double[] inv = BlockInverse.ofPositive(a, m);
        double[][] dense = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                dense[i][j] = a[i * m + j];
            }
        }
        RealMatrix oracle =
                new LUDecomposition(new Array2DRowRealMatrix(dense)).getSolver().getInverse();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(
                        oracle.getEntry(i, j),
                        inv[i * m + j],
                        1e-9 * Math.abs(oracle.getEntry(i, j)) + 1e-12);
            }
        }
    }

    @Test
    void aSemidefiniteBlockGetsTheSmallestRidgeThatFactors() {
        int m = 6;
        double[] a = gram(m, 3, 0, 5); // rank 3
        assertEquals(null, BlockInverse.ofPositive(a, m, 0));
        double[] inv = BlockInverse.ofPositive(a, m);
        for (double v : inv) {
            assertTrue(Double.isFinite(v));
        }
        // the inverse is of a + ridge·I for a tiny ridge: a·inv is the identity on a's range
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                x[i] += a[i * m + k];
            }
        }
        double[] y = new double[m]; // inv · (a·1) ≈ the projection of 1 onto a's range
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                y[i] += inv[i * m + k] * x[k];
            }
        }
        double[] back = new double[m]; // a · y ≈ a · 1
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < m; k++) {
                back[i] += a[i * m + k] * y[k];
            }
            assertEquals(x[i], back[i], 1e-4 * (1 + Math.abs(x[i])));
        }
    }

    @Test
    void aBlockWithNaNIsASolverError() {
        double[] a = {1, 0, 0, Double.NaN};
        assertThrows(SolverException.class, () -> BlockInverse.ofPositive(a, 2));
    }
}
