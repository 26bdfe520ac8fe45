package io.accent.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.SolverException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Block CG against a dense Cholesky solve, and its failure paths. */
class BlockConjugateGradientTest {

    /** A random symmetric positive definite matrix BᵀB/n + shift·I with a wide spectrum. */
    static double[][] spd(int n, long seed, double shift) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] b = new double[n][n];
        for (int i = 0; i < n; i++) {
            double scale = Math.pow(10, 2.0 * i / n); // row scales 1..100: ill-conditioned
            for (int j = 0; j < n; j++) {
                b[i][j] = rnd.nextGaussian() * scale;
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += b[k][i] * b[k][j];
                }
                a[i][j] = s / n + (i == j ? shift : 0);
            }
        }
        return a;
    }

    /** Counts its calls; applies {@code a} to every column. */
    static final class Counting implements BlockOperator {
        final double[][] a;
        int calls;
        int columns;

        Counting(double[][] a) {
            this.a = a;
        }

        @Override
        public int dimension() {
            return a.length;
        }

        @Override
        public void apply(double[][] in, double[][] out) {
            calls++;
            columns += in.length;
            for (int j = 0; j < in.length; j++) {
                for (int r = 0; r < a.length; r++) {
                    double s = 0;
                    for (int c = 0; c < a.length; c++) {
                        s += a[r][c] * in[j][c];
                    }
                    out[j][r] = s;
                }
            }
        }
    }

    /** The inverse of A's diagonal. */
    static BlockOperator jacobi(double[][] a) {
        return new BlockOperator() {
            @Override
            public int dimension() {
                return a.length;
            }

            @Override
            public void apply(double[][] in, double[][] out) {
                for (int j = 0; j < in.length; j++) {
                    for (int k = 0; k < a.length; k++) {
                        out[j][k] = in[j][k] / a[k][k];
                    }
                }
            }
        };
    }

    @Test
    void everyColumnEqualsTheDenseSolveWithAndWithoutPreconditioner() {
        int n = 60;
        double[][] a = spd(n, 3, 0.01);
        SplittableRandom rnd = new SplittableRandom(4);
        double[][] b = new double[5][n];
        for (double[] col : b) {
            for (int k = 0; k < n; k++) {
                col[k] = rnd.nextGaussian();
            }
        }
        b[2] = new double[n]; // a zero right-hand side gives x = 0 without iterating
        for (BlockOperator m : List.of(BlockOperator.identity(n), jacobi(a))) {
            Counting op = new Counting(a);
            List<SolveResult> xs = new BlockConjugateGradient(1e-12, 10_000).solve(op, m, b);
            for (int j = 0; j < b.length; j++) {
                double[] exact = DirectSolver.choleskySolve(a, b[j]);
                double scale = 0;
                for (double v : exact) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int k = 0; k < n; k++) {
                    assertEquals(exact[k], xs.get(j).x()[k], 1e-8 * (scale + 1e-300));
                }
                assertTrue(xs.get(j).converged());
                assertTrue(xs.get(j).residualNorm() <= 1e-10, "" + xs.get(j).residualNorm());
            }
            assertEquals(0, xs.get(2).iterations());
            // one call per iteration for all columns, plus the final residual
            int most = xs.stream().mapToInt(SolveResult::iterations).max().orElseThrow();
            assertEquals(most + 1, op.calls);
            assertTrue(op.columns < b.length * (most + 1), "converged columns are left out");
        }
    }

    @Test
    void jacobiPreconditioningCutsIterationsOnABadlyScaledMatrix() {
        int n = 80;
        double[][] a = spd(n, 8, 0.001);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] *= Math.pow(10, 3.0 * (i + j) / (2.0 * n));
            }
        }
        double[][] b = {new double[n]};
        java.util.Arrays.fill(b[0], 1);
        BlockConjugateGradient cg = new BlockConjugateGradient(1e-8, 100_000);
        int plain = cg.solve(new Counting(a), BlockOperator.identity(n), b).get(0).iterations();
        int jac = cg.solve(new Counting(a), jacobi(a), b).get(0).iterations();
        assertTrue(jac < plain, "jacobi " + jac + " vs plain " + plain);
    }

    @Test
    void theCapIsASolverErrorNamingItsResidual() {
        int n = 40;
        double[][] a = spd(n, 5, 1e-4);
        double[][] b = {new double[n]};
        java.util.Arrays.fill(b[0], 1);
        SolverException e =
                assertThrows(
                        SolverException.class,
                        () ->
                                new BlockConjugateGradient(1e-12, 3)
                                        .solve(new Counting(a), BlockOperator.identity(n), b));
        assertTrue(e.getMessage().contains("iteration cap of 3"), e.getMessage());
        assertTrue(e.getMessage().contains("relative residual"), e.getMessage());
        assertEquals(5, e.exitCode());
    }

    @Test
    void negativeCurvatureIsASolverError() {
        int n = 10;
        double[][] a = spd(n, 6, 0.1);
        for (int k = 0; k < n; k++) {
            a[k][k] -= 1e3; // indefinite
        }
        double[][] b = {new double[n]};
        java.util.Arrays.fill(b[0], 1);
        SolverException e =
                assertThrows(
                        SolverException.class,
                        () ->
                                new BlockConjugateGradient(1e-8, 100)
                                        .solve(new Counting(a), BlockOperator.identity(n), b));
        assertTrue(e.getMessage().contains("non-positive curvature"), e.getMessage());
    }

    @Test
    void aNanProductIsASolverError() {
        BlockOperator nan =
                new BlockOperator() {
                    @Override
                    public int dimension() {
                        return 3;
                    }

                    @Override
                    public void apply(double[][] in, double[][] out) {
                        for (double[] o : out) {
                            java.util.Arrays.fill(o, Double.NaN);
                        }
                    }
                };
        assertThrows(
                SolverException.class,
                () ->
                        new BlockConjugateGradient(1e-8, 10)
                                .solve(nan, BlockOperator.identity(3), new double[][] {{1, 2, 3}}));
    }

    @Test
    void badSettingsAreConfigurationErrors() {
        assertThrows(ConfigException.class, () -> new BlockConjugateGradient(0, 10));
        assertThrows(ConfigException.class, () -> new BlockConjugateGradient(1, 10));
        assertThrows(ConfigException.class, () -> new BlockConjugateGradient(1e-6, 0));
    }
}
