package io.accent.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SolverTest {

    /** A random SPD matrix G Gᵀ + shift I with a wide spectrum. */
    static double[] spd(int n, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] g = new double[n * n];
        for (int k = 0; k < g.length; k++) {
            g[k] = r.nextGaussian() * Math.pow(10, -3.0 * (k % n) / n);
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += g[i * n + k] * g[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }

    static double[] rhs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            b[k] = r.nextGaussian();
        }
        return b;
    }

    @Test
    void cgAgreesWithDenseCholeskyOnRandomSystems() {
        for (long seed = 1; seed <= 20; seed++) {
            int n = 8 + (int) (seed % 5) * 14;
            DenseMatrix h = new DenseMatrix(spd(n, 0, seed), n, 1.0 / 37, 1e-3 + 1e-6);
            double[] b = rhs(n, seed + 100);
            SolveResult cg = new ConjugateGradientSolver(1e-12, 500).solve(h, b);
            SolveResult exact = LinearSolver.EXACT.solve(h, b);
            assertTrue(cg.converged(), "seed " + seed + " residual " + cg.residualNorm());
            double err = 0;
            double norm = 0;
            for (int k = 0; k < n; k++) {
                err += Math.pow(cg.x()[k] - exact.x()[k], 2);
                norm += Math.pow(exact.x()[k], 2);
            }
            assertTrue(
                    Math.sqrt(err / norm) < 1e-8,
                    "seed " + seed + " rel err " + Math.sqrt(err / norm));
            assertTrue(exact.residualNorm() < 1e-10);
        }
    }

    @Test
    void warmStartAtTheSolutionNeedsNoIteration() {
        int n = 16;
        DenseMatrix h = new DenseMatrix(spd(n, 0, 3), n, 1, 0.1);
        double[] b = rhs(n, 4);
        double[] x = LinearSolver.EXACT.solve(h, b).x();
        SolveResult warm = LinearSolver.CG.solve(h, b, x);
        assertEquals(0, warm.iterations());
        assertTrue(warm.converged());
    }

    @Test
    void iterationCapIsReportedAsNotConverged() {
        int n = 40;
        DenseMatrix h = new DenseMatrix(spd(n, 0, 5), n, 1, 1e-6);
        SolveResult r = new ConjugateGradientSolver(1e-12, 3).solve(h, rhs(n, 6));
        assertFalse(r.converged());
        assertEquals(3, r.iterations());
        assertTrue(r.residualNorm() > 1e-12);
    }

    @Test
    void indefiniteOperatorIsNotConverged() {
        double[] a = {1, 0, 0, -1};
        SolveResult r = LinearSolver.CG.solve(new DenseMatrix(a, 2, 1, 0), new double[] {0.3, 1});
        assertFalse(r.converged());
    }

    @Test
    void registryNamesTheValidSolvers() {
        ConfigException e = assertThrows(ConfigException.class, () -> LinearSolver.byName("lu"));
        assertTrue(
                e.getMessage().contains("cg") && e.getMessage().contains("exact"), e.getMessage());
        assertEquals(LinearSolver.CG, LinearSolver.byName("cg"));
    }
}
