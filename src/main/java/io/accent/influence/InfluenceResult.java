package io.accent.influence;

import java.util.List;

/**
 * Influence estimates for one user plus the diagnostics of every solve behind them.
 *
 * @param influence the K × |Z_u| influence matrix and its context
 * @param solves one entry per target, in top-K order
 */
public record InfluenceResult(UserInfluence influence, List<TargetSolve> solves)
        implements java.io.Serializable {

    public InfluenceResult {
        solves = List.copyOf(solves);
    }

    /** Number of solves that needed the direct fallback. */
    public long fallbacks() {
        return solves.stream().filter(TargetSolve::fellBack).count();
    }
}
