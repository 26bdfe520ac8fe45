package io.accent.influence;

import io.accent.core.ConfigException;

/**
 * Conjugate gradient for symmetric positive definite operators. Stops when the relative residual ‖b
 * − Hx‖/‖b‖ falls to {@code tolerance} or after {@code maxIterations}; the result says which. It
 * never forms an inverse; each iteration costs one product with H.
 */
public final class ConjugateGradientSolver implements LinearSolver {

    private final double tolerance;
    private final int maxIterations;

    public ConjugateGradientSolver(double tolerance, int maxIterations) {
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

    @Override
    public SolveResult solve(HessianVectorProduct h, double[] b, double[] x0) {
        int n = b.length;
        double[] x = x0.clone();
        double[] r = new double[n];
        double[] p = new double[n];
        double[] hp = new double[n];
        double bNorm = Math.sqrt(dot(b, b));
        if (bNorm == 0) {
            return new SolveResult(new double[n], 0, 0, true, "cg");
        }
        h.apply(x, hp);
        for (int k = 0; k < n; k++) {
            r[k] = b[k] - hp[k];
            p[k] = r[k];
        }
        double rr = dot(r, r);
        int it = 0;
        while (Math.sqrt(rr) / bNorm > tolerance && it < maxIterations) {
            h.apply(p, hp);
            double php = dot(p, hp);
            if (!(php > 0)) {
                // not positive definite along p (or NaN): stop and report non-convergence
                break;
            }
            double alpha = rr / php;
            for (int k = 0; k < n; k++) {
                x[k] += alpha * p[k];
                r[k] -= alpha * hp[k];
            }
            double rrNew = dot(r, r);
            double beta = rrNew / rr;
            for (int k = 0; k < n; k++) {
                p[k] = r[k] + beta * p[k];
            }
            rr = rrNew;
            it++;
        }
        // report the true residual, not the recursively updated one
        h.apply(x, hp);
        double res = 0;
        for (int k = 0; k < n; k++) {
            double d = b[k] - hp[k];
            res += d * d;
        }
        double rel = Math.sqrt(res) / bNorm;
        // converged: the recursive residual reached the tolerance and the true one agrees (no
        // drift)
        boolean ok = Math.sqrt(rr) / bNorm <= tolerance && rel <= 10 * tolerance;
        return new SolveResult(x, it, rel, ok, "cg");
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    @Override
    public String name() {
        return "cg";
    }
}
