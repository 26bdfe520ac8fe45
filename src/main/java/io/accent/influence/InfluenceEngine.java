package io.accent.influence;

import io.accent.core.Progress;
import io.accent.ncf.NcfInfluenceEngine;
import io.accent.rcf.RcfInfluenceEngine;
import java.util.List;
import java.util.Optional;

/**
 * Influence of a user's training actions on the scores of target items, for one model family (NCF:
 * {@link NcfInfluenceEngine}, docs/SPEC.md §3; RCF: {@link RcfInfluenceEngine}, §5). Opened by
 * {@link InfluenceEngines#open} from the model's family. Owns native resources; close it.
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

    @Override
    void close();
}
