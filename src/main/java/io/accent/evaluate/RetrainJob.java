package io.accent.evaluate;

import java.util.Set;

/**
 * One retrain of the evaluation, for every family: the model retrained without some of one user's
 * training actions.
 *
 * @param user dense user index
 * @param removed dense item indices of the removed actions
 * @param seed the family's seed of this retrain ({@link Retraining#seed})
 */
public record RetrainJob(int user, Set<Integer> removed, long seed) {
    public RetrainJob {
        removed = Set.copyOf(removed);
    }
}
