package io.accent.influence;

import io.accent.core.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Solves H x = b for a symmetric positive definite operator H. */
public interface LinearSolver {

    /**
     * @param h the operator
     * @param b the right-hand side
     * @param x0 the starting point (warm start); ignored by direct solvers
     */
    SolveResult solve(HessianVectorProduct h, double[] b, double[] x0);

    /** The solver's name for the CLI and diagnostics ({@code cg}, {@code exact}). */
    String name();

    /** Solves from x0 = 0. */
    default SolveResult solve(HessianVectorProduct h, double[] b) {
        return solve(h, b, new double[b.length]);
    }

    /**
     * Solves with {@code solver}; a solve that does not converge is redone by the dense direct
     * solve when {@code directFallback} (its method then reads {@code cg+direct}), or is a {@link
     * io.accent.core.SolverException}.
     */
    static SolveResult solveOrFallBack(
            LinearSolver solver, boolean directFallback, HessianVectorProduct h, double[] b) {
        SolveResult r = solver.solve(h, b);
        if (r.converged()) {
            return r;
        }
        if (!directFallback) {
            throw new io.accent.core.SolverException(
                    "inverse-HVP solve did not converge: relative residual "
                            + r.residualNorm()
                            + " after "
                            + r.iterations()
                            + " iterations ("
                            + r.method()
                            + ")");
        }
        SolveResult direct = EXACT.solve(h, b);
        return new SolveResult(
                direct.x(),
                r.iterations(),
                direct.residualNorm(),
                direct.converged(),
                r.method() + "+direct");
    }

    /** Conjugate gradient with relative tolerance 1e-8 and at most 200 iterations. */
    LinearSolver CG = new ConjugateGradientSolver(1e-8, 200);

    /** Dense Cholesky (float64): the oracle and the fallback. */
    LinearSolver EXACT = new DirectSolver();

    /** Solvers by name, for the CLI. */
    Map<String, Supplier<LinearSolver>> REGISTRY = Map.of("cg", () -> CG, "exact", () -> EXACT);

    /** The solver with this name; unknown names list the valid ones. */
    static LinearSolver byName(String name) {
        Supplier<LinearSolver> s = REGISTRY.get(name);
        if (s == null) {
            throw new ConfigException(
                    "unknown solver '"
                            + name
                            + "' (valid: "
                            + List.copyOf(REGISTRY.keySet())
                            + ")");
        }
        return s.get();
    }
}
