package io.accent.mf;

import io.accent.core.ConfigException;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.LinearSolver;
import java.util.Locale;

/**
 * Settings of the MF influence engine.
 *
 * @param damping μ added to the Hessian diagonal (1e-6, as NCF)
 * @param solver the inverse-HVP solver of each block system
 * @param directFallback solve directly when the solver does not converge (recorded in the
 *     diagnostics)
 * @param topK K, the number of top items whose influences are computed (20)
 * @param biases whether the offsets Bu[u] and Bi[i] are test parameters (true for MF; false for a
 *     model without offsets, such as Spark's ALS, whose offsets are then held at their stored
 *     values and the blocks are d×d)
 * @param regularization how the L2 term of the objective is written (docs/SPEC.md §11.1)
 */
public record MfInfluenceConfig(
        double damping,
        LinearSolver solver,
        boolean directFallback,
        int topK,
        boolean biases,
        Regularization regularization) {

    /** How the training objective penalizes the factors, per training row z = (u, j, r). */
    public enum Regularization {
        /**
         * MF's: every row carries λ·½(‖P‖² + ‖Q‖²) over the whole tables (the batch mean of the
         * squared error plus that term), so the Hessian gets λ on each factor coordinate and each
         * row's gradient λθ on both blocks.
         */
        UNIFORM,
        /**
         * ALS-WR, as Spark's explicit ALS (numExplicits·regParam): row (u, j) carries λ(‖P[u]‖² +
         * ‖Q[j]‖²), so the objective is Σ(ŷ − r)² + λ(Σ_u n_u‖P[u]‖² + Σ_i n_i‖Q[i]‖²) over its
         * mean; the Hessian gets 2λn_u/n on the user block and 2λn_i/n on the item block, and a row
         * of u has the gradient 2λP[u] on the user block only.
         */
        RATING_COUNT;

        /** The name in lower case with hyphens ({@code uniform}, {@code rating-count}). */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public MfInfluenceConfig {
        if (!(damping >= 0) || !Double.isFinite(damping)) {
            throw new ConfigException("damping must be >= 0, got " + damping);
        }
        if (topK < 1) {
            throw new ConfigException("top-K must be positive, got " + topK);
        }
        if (solver == null || regularization == null) {
            throw new ConfigException("MF influence settings need a solver and a regularization");
        }
    }

    /** MF's objective: offsets as test parameters, the uniform L2 term. */
    public MfInfluenceConfig(
            double damping, LinearSolver solver, boolean directFallback, int topK) {
        this(damping, solver, directFallback, topK, true, Regularization.UNIFORM);
    }

    /** The reference settings: damping 1e-6, CG (tolerance 1e-8, 200 iterations), K = 20. */
    public static MfInfluenceConfig defaults() {
        return new MfInfluenceConfig(1e-6, LinearSolver.CG, true, 20);
    }

    /**
     * {@code defaults()} with another solver and iteration cap, and fallback on or off.
     *
     * @throws ConfigException for an unknown solver name
     */
    public static MfInfluenceConfig of(String solverName, int cgMaxIterations, boolean fallback) {
        LinearSolver ls = LinearSolver.byName(solverName);
        if (ls instanceof ConjugateGradientSolver cg && cgMaxIterations != cg.maxIterations()) {
            ls = new ConjugateGradientSolver(cg.tolerance(), cgMaxIterations);
        }
        MfInfluenceConfig base = defaults();
        return new MfInfluenceConfig(base.damping(), ls, fallback, base.topK());
    }

    public MfInfluenceConfig withSolver(LinearSolver s) {
        return new MfInfluenceConfig(damping, s, directFallback, topK, biases, regularization);
    }

    /** These settings for another objective: offsets on or off, and how L2 is weighted. */
    public MfInfluenceConfig withObjective(boolean withBiases, Regularization weighting) {
        return new MfInfluenceConfig(damping, solver, directFallback, topK, withBiases, weighting);
    }
}
