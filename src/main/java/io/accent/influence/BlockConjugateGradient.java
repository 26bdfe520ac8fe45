package io.accent.influence;

import io.accent.core.ConfigException;
import io.accent.core.SolverException;
import java.util.ArrayList;
import java.util.List;

/**
 * Preconditioned conjugate gradients for several right-hand sides of one symmetric positive
 * definite operator (or one per column, {@link BlockOperator#apply(int[], double[][],
 * double[][])}), run in lockstep: every column keeps its own recurrence (the iterates are exactly
 * those of single-vector PCG), but each iteration applies the operator to all columns still above
 * the tolerance in one {@link BlockOperator#apply} call, so that a TensorFlow operator makes one
 * session call per iteration for all of them. A column stops when its relative residual ‖b −
 * Ax‖/‖b‖ reaches the tolerance and is left out of later products.
 *
 * <p>Failure is an exception, never a silent estimate: a column that reaches the iteration cap, or
 * meets a direction p with pᵀAp ≤ 0 (the operator is not positive definite there, or NaN), raises a
 * {@link SolverException} naming the column, the iteration and the residual.
 */
public final class BlockConjugateGradient {

    private final double tolerance;
    private final int maxIterations;

    public BlockConjugateGradient(double tolerance, int maxIterations) {
        if (!(tolerance > 0) || tolerance >= 1) {
            throw new ConfigException("CG tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new ConfigException("CG iteration cap must be positive, got " + maxIterations);
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    public double tolerance() {
        return tolerance;
    }

    public int maxIterations() {
        return maxIterations;
    }

    /**
     * Solves A x_j = b_j for every column j from x_j = 0.
     *
     * @param a the operator (symmetric positive definite)
     * @param preconditioner M⁻¹, symmetric positive definite ({@link BlockOperator#identity} for
     *     none)
     * @param b the right-hand sides, each of {@code a.dimension()} values
     * @return one result per column, method {@code block-cg}; the residual is the true one,
     *     recomputed from x at the end
     * @throws SolverException when a column reaches the cap or meets non-positive curvature
     */
    public List<SolveResult> solve(BlockOperator a, BlockOperator preconditioner, double[][] b) {
        int m = b.length;
        int n = a.dimension();
        double[][] x = new double[m][n];
        double[][] r = new double[m][];
        double[][] z = new double[m][n];
        double[][] p = new double[m][n];
        double[] rz = new double[m];
        double[] rr = new double[m];
        double[] bNorm = new double[m];
        int[] iterations = new int[m];
        boolean[] active = new boolean[m];
        for (int j = 0; j < m; j++) {
            if (b[j].length != n) {
                throw new IllegalArgumentException(
                        "right-hand side " + j + " has " + b[j].length + " values, not " + n);
            }
            r[j] = b[j].clone();
            bNorm[j] = Math.sqrt(dot(b[j], b[j]));
            rr[j] = bNorm[j] * bNorm[j];
            active[j] = bNorm[j] > 0 && Double.isFinite(bNorm[j]);
            if (!Double.isFinite(bNorm[j])) {
                throw new SolverException("right-hand side " + j + " is not finite");
            }
        }
        apply(preconditioner, r, z, active);
        for (int j = 0; j < m; j++) {
            if (active[j]) {
                System.arraycopy(z[j], 0, p[j], 0, n);
                rz[j] = dot(r[j], z[j]);
            }
        }
        double[][] ap = new double[m][n];
        int it = 0;
        while (true) {
            for (int j = 0; j < m; j++) {
                if (active[j] && Math.sqrt(rr[j]) / bNorm[j] <= tolerance) {
                    active[j] = false;
                }
            }
            if (!anyActive(active)) {
                break;
            }
            if (it == maxIterations) {
                int j = firstActive(active);
                throw new SolverException(
                        String.format(
                                "conjugate gradients reached the iteration cap of %d with"
                                        + " relative residual %.3e > tolerance %.1e (right-hand"
                                        + " side %d of %d); raise --cg-max-iterations or"
                                        + " --damping, or loosen --cg-tolerance",
                                maxIterations, Math.sqrt(rr[j]) / bNorm[j], tolerance, j, m));
            }
            apply(a, p, ap, active);
            for (int j = 0; j < m; j++) {
                if (!active[j]) {
                    continue;
                }
                double pap = dot(p[j], ap[j]);
                if (!(pap > 0)) {
                    throw new SolverException(
                            String.format(
                                    "conjugate gradients met non-positive curvature pᵀAp = %.3e"
                                            + " at iteration %d (right-hand side %d of %d): the"
                                            + " curvature matrix is not positive definite; use"
                                            + " --curvature gauss-newton or raise --damping",
                                    pap, it + 1, j, m));
                }
                double alpha = rz[j] / pap;
                double[] xj = x[j];
                double[] rj = r[j];
                double[] pj = p[j];
                double[] apj = ap[j];
                for (int k = 0; k < n; k++) {
                    xj[k] += alpha * pj[k];
                    rj[k] -= alpha * apj[k];
                }
                rr[j] = dot(rj, rj);
                iterations[j] = it + 1;
            }
            apply(preconditioner, r, z, active);
            for (int j = 0; j < m; j++) {
                if (!active[j]) {
                    continue;
                }
                double rzNew = dot(r[j], z[j]);
                double beta = rzNew / rz[j];
                rz[j] = rzNew;
                double[] pj = p[j];
                double[] zj = z[j];
                for (int k = 0; k < n; k++) {
                    pj[k] = zj[k] + beta * pj[k];
                }
            }
            it++;
        }
        // the true residuals, in one more product
        boolean[] all = new boolean[m];
        for (int j = 0; j < m; j++) {
            all[j] = bNorm[j] > 0;
        }
        apply(a, x, ap, all);
        List<SolveResult> out = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            double rel = 0;
            if (bNorm[j] > 0) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    double d = b[j][k] - ap[j][k];
                    s += d * d;
                }
                rel = Math.sqrt(s) / bNorm[j];
            }
            out.add(new SolveResult(x[j], iterations[j], rel, true, "block-cg"));
        }
        return out;
    }

    /** Applies {@code op} to the active columns of {@code in}, writing them into {@code out}. */
    private static void apply(BlockOperator op, double[][] in, double[][] out, boolean[] active) {
        int count = 0;
        for (boolean on : active) {
            count += on ? 1 : 0;
        }
        if (count == 0) {
            return;
        }
        double[][] cin = new double[count][];
        double[][] cout = new double[count][];
        int[] columns = new int[count];
        int c = 0;
        for (int j = 0; j < active.length; j++) {
            if (active[j]) {
                cin[c] = in[j];
                cout[c] = out[j];
                columns[c] = j;
                c++;
            }
        }
        op.apply(columns, cin, cout);
    }

    private static boolean anyActive(boolean[] active) {
        return firstActive(active) >= 0;
    }

    private static int firstActive(boolean[] active) {
        for (int j = 0; j < active.length; j++) {
            if (active[j]) {
                return j;
            }
        }
        return -1;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
