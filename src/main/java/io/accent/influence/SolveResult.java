package io.accent.influence;

/**
 * Outcome of solving H x = b.
 *
 * @param x the solution estimate
 * @param iterations iterations used (0 for a direct solve)
 * @param residualNorm final relative residual ‖b − Hx‖ / ‖b‖
 * @param converged whether the solver reached its tolerance
 * @param method the solver that produced {@code x} ({@code cg}, {@code direct}, {@code cg+direct})
 */
public record SolveResult(
        double[] x, int iterations, double residualNorm, boolean converged, String method)
        implements java.io.Serializable {

    public SolveResult {
        x = x.clone();
    }

    @Override
    public double[] x() {
        return x.clone();
    }
}
