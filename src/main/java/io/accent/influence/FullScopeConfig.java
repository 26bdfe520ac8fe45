package io.accent.influence;

import io.accent.core.ConfigException;

/**
 * Settings of a full-scope influence solve (docs/SPEC.md §11.3).
 *
 * @param curvature the exact Hessian or its Gauss-Newton part
 * @param damping μ added to the curvature's diagonal
 * @param tolerance relative residual ‖b − Ax‖/‖b‖ at which a column's conjugate-gradient solve
 *     stops
 * @param maxIterations the iteration cap; a column still above the tolerance there fails
 */
public record FullScopeConfig(
        Curvature curvature, double damping, double tolerance, int maxIterations) {

    /**
     * Gauss-Newton curvature, damping 0.01, tolerance 1e-2, at most 500 iterations. On MovieLens
     * 100K the influences at tolerance 1e-2 and 1e-3 agree to a correlation above 0.9999 (see
     * benchmarks/RESULTS.md); a tighter tolerance costs iterations without moving the estimates.
     */
    public static final FullScopeConfig DEFAULTS =
            new FullScopeConfig(Curvature.GAUSS_NEWTON, 1e-2, 1e-2, 500);

    public FullScopeConfig {
        if (!(damping >= 0) || !Double.isFinite(damping)) {
            throw new ConfigException("--damping must be a number >= 0, got " + damping);
        }
        if (!(tolerance > 0) || tolerance >= 1) {
            throw new ConfigException("--cg-tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new ConfigException("--cg-max-iterations must be positive, got " + maxIterations);
        }
    }

    /** The block solver with this tolerance and cap. */
    public BlockConjugateGradient solver() {
        return new BlockConjugateGradient(tolerance, maxIterations);
    }

    /** The one-line diagnostics of a full-scope solve over {@code parameters} parameters. */
    public String diagnostics(int parameters, InfluenceResult r) {
        int maxIt = r.solves().stream().mapToInt(TargetSolve::iterations).max().orElse(0);
        double maxRes = r.solves().stream().mapToDouble(TargetSolve::residualNorm).max().orElse(0);
        return String.format(
                "scope full: %d parameters, %s curvature, damping %.1e; block CG with %d"
                        + " right-hand sides, at most %d iterations, largest relative residual"
                        + " %.2e",
                parameters, curvature().label(), damping(), r.solves().size(), maxIt, maxRes);
    }

    /** These settings over {@code parameters} parameters, in {@code influence}'s JSON report. */
    public void describe(com.fasterxml.jackson.databind.node.ObjectNode report, int parameters) {
        report.put("scope", "full")
                .put("parameters", parameters)
                .put("curvature", curvature().label())
                .put("damping", damping())
                .put("cg_tolerance", tolerance())
                .put("cg_max_iterations", maxIterations());
    }
}
