package io.accent.mf;

import io.accent.core.ConfigException;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.LinearSolver;

/**
 * Settings of the MF influence engine.
 *
 * @param damping μ added to the Hessian diagonal (1e-6, as NCF)
 * @param solver the inverse-HVP solver of each block system
 * @param directFallback solve directly when the solver does not converge (recorded in the
 *     diagnostics)
 * @param topK K, the number of top items whose influences are computed (20)
 */
public record MfInfluenceConfig(
        double damping, LinearSolver solver, boolean directFallback, int topK) {

    public MfInfluenceConfig {
        if (!(damping >= 0) || !Double.isFinite(damping)) {
            throw new ConfigException("damping must be >= 0, got " + damping);
        }
        if (topK < 1) {
            throw new ConfigException("top-K must be positive, got " + topK);
        }
    }

    /** The reference settings: damping 1e-6, CG (tolerance 1e-8, 200 iterations), K = 20. */
    public static MfInfluenceConfig defaults() {
        return new MfInfluenceConfig(1e-6, LinearSolver.CG, true, 20);
    }

    /** {@code defaults()} with another solver and iteration cap, and fallback on or off. */
    static MfInfluenceConfig of(String solverName, int cgMaxIterations, boolean fallback) {
        LinearSolver ls = LinearSolver.byName(solverName);
        if (ls instanceof ConjugateGradientSolver cg && cgMaxIterations != cg.maxIterations()) {
            ls = new ConjugateGradientSolver(cg.tolerance(), cgMaxIterations);
        }
        MfInfluenceConfig base = defaults();
        return new MfInfluenceConfig(base.damping(), ls, fallback, base.topK());
    }

    public MfInfluenceConfig withSolver(LinearSolver s) {
        return new MfInfluenceConfig(damping, s, directFallback, topK);
    }
}
