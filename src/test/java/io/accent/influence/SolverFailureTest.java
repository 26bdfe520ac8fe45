package io.accent.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.SolverException;
import org.junit.jupiter.api.Test;

/**
 * Solver failure paths on small dense systems: an ill-conditioned system that CG cannot solve
 * within its cap, honest residuals (recomputed here), the settings' bounds, and the direct solver's
 * pivots.
 */
class SolverFailureTest {

    static HessianVectorProduct dense(double[][] a) {
        return new HessianVectorProduct() {
            @Override
            public int dimension() {
                return a.length;
            }

            @Override
            public void apply(double[] v, double[] out) {
                for (int i = 0; i < a.length; i++) {
                    double s = 0;
                    for (int j = 0; j < a.length; j++) {
                        s += a[i][j] * v[j];
                    }
                    out[i] = s;
                }
            }
        };
    }

    /** The n×n Hilbert matrix: SPD, condition number about 1e13 at n = 10. */
    static double[][] hilbert(int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = 1.0 / (i + j + 1);
            }
        }
        return a;
    }

    static double relResidual(double[][] a, double[] x, double[] b) {
        double res = 0;
        double bn = 0;
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < a.length; j++) {
                s += a[i][j] * x[j];
            }
            res += (b[i] - s) * (b[i] - s);
            bn += b[i] * b[i];
        }
        return Math.sqrt(res / bn);
    }

    static double[] ones(int n) {
        double[] b = new double[n];
        java.util.Arrays.fill(b, 1.0);
        return b;
    }

    @Test
    void anIllConditionedSystemDoesNotConvergeWithinTheCapAndSaysSo() {
        double[][] a = hilbert(10);
        double[] b = ones(10);
        SolveResult r = new ConjugateGradientSolver(1e-8, 3).solve(dense(a), b);
        assertFalse(r.converged());
        assertEquals(3, r.iterations());
        assertEquals("cg", r.method());
        // the reported residual is the true one, recomputed here
        assertEquals(relResidual(a, r.x(), b), r.residualNorm(), 1e-12);
        assertTrue(r.residualNorm() > 1e-6);
        // with no useful cap CG on this system still stops short of 1e-8 or reaches it honestly
        SolveResult more = new ConjugateGradientSolver(1e-8, 200).solve(dense(a), b);
        assertEquals(relResidual(a, more.x(), b), more.residualNorm(), 1e-12);
        assertTrue(
                !more.converged() || more.residualNorm() <= 1e-7,
                "converged only within 10x the tolerance");
    }

    @Test
    void theCgSettingsAreBounded() {
        assertThrows(ConfigException.class, () -> new ConjugateGradientSolver(0, 10));
        assertThrows(ConfigException.class, () -> new ConjugateGradientSolver(1, 10));
        assertThrows(ConfigException.class, () -> new ConjugateGradientSolver(1e-8, 0));
        ConjugateGradientSolver s = new ConjugateGradientSolver(0.999, 1);
        assertEquals(0.999, s.tolerance());
        assertEquals(1, s.maxIterations());
        assertEquals(1e-8, ((ConjugateGradientSolver) LinearSolver.CG).tolerance());
        assertEquals(200, ((ConjugateGradientSolver) LinearSolver.CG).maxIterations());
    }

    @Test
    void oneIterationOnAWellConditionedSystemIsReportedFaithfully() {
        // diag(1, 2): one CG step from 0 along b = (1, 1) cannot solve it exactly
        double[][] a = {{1, 0}, {0, 2}};
        double[] b = {1, 1};
        SolveResult r = new ConjugateGradientSolver(1e-8, 1).solve(dense(a), b);
        // x1 = alpha b with alpha = b.b / b.Ab = 2/3
        assertArrayEquals(new double[] {2.0 / 3, 2.0 / 3}, r.x(), 1e-15);
        assertEquals(1, r.iterations());
        assertEquals(relResidual(a, r.x(), b), r.residualNorm(), 1e-15);
        assertFalse(r.converged());
        SolveResult two = new ConjugateGradientSolver(1e-8, 2).solve(dense(a), b);
        assertArrayEquals(new double[] {1, 0.5}, two.x(), 1e-14);
        assertTrue(two.converged());
        assertEquals(2, two.iterations());
    }

    @Test
    void aLooseToleranceStopsEarlyAndCountsAsConverged() {
        double[][] a = {{1, 0}, {0, 2}};
        double[] b = {1, 1};
        // after one step the relative residual is |(1/3, -1/3)| / |(1, 1)| = 1/3
        SolveResult r = new ConjugateGradientSolver(0.34, 50).solve(dense(a), b);
        assertEquals(1, r.iterations());
        assertTrue(r.converged());
        assertEquals(1.0 / 3, r.residualNorm(), 1e-15);
        // a tolerance just below 1/3 needs the second step
        assertEquals(2, new ConjugateGradientSolver(0.333, 50).solve(dense(a), b).iterations());
    }

    @Test
    void theDirectSolveReportsTheResidualOfTheOperatorItWasGiven() {
        // a non-symmetric operator: the Cholesky solve uses its symmetric part, so the residual is
        // not 0
        double[][] a = {{4, 1}, {0, 3}};
        double[] b = {1, 2};
        SolveResult r = LinearSolver.EXACT.solve(dense(a), b);
        double[][] sym = {{4, 0.5}, {0.5, 3}};
        // the symmetric part's solution, by Cramer's rule
        double det = 4 * 3 - 0.25;
        assertArrayEquals(
                new double[] {(1 * 3 - 0.5 * 2) / det, (4 * 2 - 0.5 * 1) / det}, r.x(), 1e-15);
        assertEquals(relResidual(a, r.x(), b), r.residualNorm(), 1e-15);
        assertTrue(r.residualNorm() > 0.01);
        assertEquals(relResidual(sym, r.x(), b), 0, 1e-15);
        assertEquals(0, r.iterations());
        assertEquals("direct", r.method());
        assertTrue(r.converged());
    }

    @Test
    void aZeroRightHandSideIsSolvedByZero() {
        double[][] a = {{2, 0}, {0, 3}};
        SolveResult d = LinearSolver.EXACT.solve(dense(a), new double[2]);
        assertArrayEquals(new double[2], d.x());
        assertEquals(0, d.residualNorm());
        assertTrue(d.converged());
        SolveResult c = LinearSolver.CG.solve(dense(a), new double[2], new double[] {5, 5});
        assertArrayEquals(new double[2], c.x());
        assertTrue(c.converged());
        assertEquals(0, c.iterations());
    }

    @Test
    void aSingularOrIndefiniteMatrixHasNoCholeskyFactor() {
        // positive semidefinite with an exactly zero second pivot
        assertThrows(
                SolverException.class,
                () -> LinearSolver.EXACT.solve(dense(new double[][] {{1, 1}, {1, 1}}), ones(2)));
        assertThrows(
                SolverException.class,
                () -> LinearSolver.EXACT.solve(dense(new double[][] {{0, 0}, {0, 1}}), ones(2)));
        assertThrows(
                SolverException.class,
                () -> LinearSolver.EXACT.solve(dense(new double[][] {{1, 0}, {0, -1}}), ones(2)));
        // a 3x3 whose solve needs every forward and back substitution term
        double[][] a = {{4, 2, 1}, {2, 5, 3}, {1, 3, 6}};
        double[] b = {1, 2, 3};
        SolveResult r = LinearSolver.EXACT.solve(dense(a), b);
        assertTrue(relResidual(a, r.x(), b) < 1e-15);
    }
}
