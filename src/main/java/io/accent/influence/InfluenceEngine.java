package io.accent.influence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.Progress;
import java.util.List;
import java.util.Optional;

/**
 * Influence of a user's training actions on the scores of target items, for one model family (NCF:
 * NCF: docs/SPEC.md §3; RCF: §5), opened through the family's {@link InfluenceSetup}. Owns native
 * resources; close it.
 */
public interface InfluenceEngine extends AutoCloseable {

    /**
     * The influences of each user's actions on the user's top-K items; batches share session calls.
     */
    List<InfluenceResult> computeUsers(int[] users, Progress progress);

    /**
     * The influences of each user's actions on chosen targets (items outside the user's training
     * actions).
     *
     * @param scores the current scores of the targets (used as {@link UserInfluence#scores()})
     */
    List<InfluenceResult> computeTargets(
            int[] users, int[][] targets, double[][] scores, Progress progress);

    /** The influences of one user's actions on the user's top-K items. */
    default InfluenceResult compute(int user) {
        return computeUsers(new int[] {user}, Progress.NONE).get(0);
    }

    /**
     * Real forward passes for {@code in}'s user with some of its actions removed and the parameters
     * fixed (SPEC §4.7), where the family supports them (RCF); the attention baselines need them.
     */
    default Optional<RemovalScores> removal(UserInfluence in) {
        return Optional.empty();
    }

    /**
     * The ratings of {@code user}'s actions, aligned with {@link UserInfluence#actions()}, where
     * the family's actions carry ratings (NCF); empty where they are positives without a rating.
     */
    default Optional<float[]> actionRatings(int user) {
        return Optional.empty();
    }

    /** One line on how {@code r} was computed (settings, solver diagnostics), for people. */
    String diagnostics(InfluenceResult r);

    /** Adds the engine's settings to a JSON report of one user's influences. */
    default void describe(ObjectNode report) {}

    /**
     * Adds to {@code target}, the JSON of the {@code k}-th target of {@code r}, how its influences
     * were computed: the number of training rows, and solver diagnostics where there are any.
     */
    default void describeTarget(ObjectNode target, InfluenceResult r, int k) {
        if (r.solves().isEmpty()) {
            target.put("n", r.influence().actionCount());
            return;
        }
        TargetSolve s = r.solves().get(k);
        target.put("n", s.n());
        target.set("user_block", solveJson(s.user()));
        target.set("item_block", solveJson(s.item()));
    }

    /** One block's solve as JSON: method, iterations, relative residual, convergence. */
    static ObjectNode solveJson(SolveResult s) {
        ObjectNode o = io.accent.core.Json.mapper().createObjectNode();
        o.put("method", s.method())
                .put("iterations", s.iterations())
                .put("relative_residual", s.residualNorm())
                .put("converged", s.converged());
        return o;
    }

    @Override
    void close();
}
