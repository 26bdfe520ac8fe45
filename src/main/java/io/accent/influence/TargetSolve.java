package io.accent.influence;

/**
 * Diagnostics of the inverse-HVP solve for one (user, target) pair: H_μ x = ∇θ ŷ(u, i), split into
 * its exact user and item blocks.
 *
 * @param target dense item id of the target
 * @param n |Z_u| + |Z_i|, the rows of the Hessian
 * @param user the user-block solve
 * @param item the item-block solve
 */
public record TargetSolve(int target, int n, SolveResult user, SolveResult item)
        implements java.io.Serializable {

    /**
     * Whether both blocks have a solution within tolerance (possibly through the direct fallback).
     */
    public boolean converged() {
        return user.converged() && item.converged();
    }

    /** Whether a block needed the direct fallback because the iterative solver did not converge. */
    public boolean fellBack() {
        return user.method().contains("+") || item.method().contains("+");
    }

    /** Total solver iterations of both blocks. */
    public int iterations() {
        return user.iterations() + item.iterations();
    }

    /** The larger final relative residual of the two blocks. */
    public double residualNorm() {
        return Math.max(user.residualNorm(), item.residualNorm());
    }
}
