package io.accent.ncf;

import io.accent.core.ConfigException;
import io.accent.influence.LinearSolver;

/**
 * Settings of the NCF influence engine.
 *
 * @param damping μ added to the Hessian diagonal (docs/SPEC.md §3: 1e-6)
 * @param solver the inverse-HVP solver
 * @param directFallback solve directly when the solver does not converge (recorded in the
 *     diagnostics)
 * @param topK K, the number of top items whose influences are computed (20)
 * @param rowsPerCall training rows per Hessian session call (each row is replicated D times in it)
 * @param threads TensorFlow threads
 */
public record NcfInfluenceConfig(
        double damping,
        LinearSolver solver,
        boolean directFallback,
        int topK,
        int rowsPerCall,
        int threads) {

    public NcfInfluenceConfig {
        if (!(damping >= 0) || !Double.isFinite(damping)) {
            throw new ConfigException("damping must be >= 0, got " + damping);
        }
        if (topK < 1) {
            throw new ConfigException("top-K must be positive, got " + topK);
        }
        if (rowsPerCall < 1) {
            throw new ConfigException("rows per call must be positive, got " + rowsPerCall);
        }
    }

    /** The reference settings: damping 1e-6, CG, K = 20. */
    public static NcfInfluenceConfig defaults() {
        return new NcfInfluenceConfig(1e-6, LinearSolver.CG, true, 20, 4096, 2);
    }

    public NcfInfluenceConfig withSolver(LinearSolver s) {
        return new NcfInfluenceConfig(damping, s, directFallback, topK, rowsPerCall, threads);
    }

    public NcfInfluenceConfig withRowsPerCall(int rows) {
        return new NcfInfluenceConfig(damping, solver, directFallback, topK, rows, threads);
    }

    public NcfInfluenceConfig withThreads(int t) {
        return new NcfInfluenceConfig(damping, solver, directFallback, topK, rowsPerCall, t);
    }
}
