package io.accent.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Influence estimates for one user (docs/SPEC.md §3 for NCF, §5 for RCF) in raw ids: how much
 * removing each of the user's training actions would lower the score of each target item.
 * Immutable; the matrix is copied in and out.
 *
 * @param user the user's raw id
 * @param targets raw ids of the target items in rank order (by default the user's top-20; {@code
 *     targets.get(0)} is the recommendation)
 * @param scores current predicted scores of {@code targets}
 * @param actions raw ids of the items of the user's training actions (NCF: rated items in
 *     training-file order; RCF: the training positives), the candidates for removal
 * @param influence {@code influence[k][z]}: the predicted drop of {@code scores[k]} when action
 *     {@code z} is removed; the predicted new score after removing a set X is {@code scores[k] −
 *     Σ_{z∈X} influence[k][z]}
 * @param solves the inverse-HVP solve of each target, in target order, where the family's engine
 *     solves by CG (NCF, MF); empty where it inverts its Hessians directly (RCF)
 * @param ratings the ratings of the actions, aligned with {@code actions}, where actions carry one
 *     (NCF, MF); empty for positives without a rating (RCF)
 * @param diagnostics one line on how the estimates were computed (solver, iterations, residuals,
 *     fallbacks; or the Hessians used), as {@code accent influence} prints it
 * @param settings the engine's settings that matter to the numbers (e.g. RCF's {@code hessian} and
 *     {@code damping}), by name; empty where the diagnostics carry them
 */
public record Influence(
        int user,
        List<Integer> targets,
        List<Double> scores,
        List<Integer> actions,
        double[][] influence,
        List<Solve> solves,
        List<Float> ratings,
        String diagnostics,
        Map<String, Object> settings) {

    /**
     * Diagnostics of the NCF solve for one target: the Hessian system split into its user and item
     * blocks.
     *
     * @param target raw id of the target item
     * @param n rows of the Hessian, |Z_u| + |Z_i|
     * @param userBlock the user-block solve
     * @param itemBlock the item-block solve
     */
    public record Solve(int target, int n, Block userBlock, Block itemBlock) {

        /**
         * Whether a block needed the direct fallback.
         *
         * @return true when CG did not converge in a block and the direct solve was used
         */
        public boolean fellBack() {
            return userBlock.method().contains("+") || itemBlock.method().contains("+");
        }
    }

    /**
     * Outcome of one block's solve.
     *
     * @param method the solver that produced the solution: {@code cg}, {@code direct} or {@code
     *     cg+direct} (CG did not converge and the direct solve was used)
     * @param iterations iterations used (0 for a direct solve)
     * @param relativeResidual final relative residual ‖b − Hx‖ / ‖b‖
     * @param converged whether the solver reached its tolerance
     */
    public record Block(
            String method, int iterations, double relativeResidual, boolean converged) {}

    /**
     * Copies the lists and the matrix. Each component is described on the record.
     *
     * @param user see the record
     * @param targets see the record
     * @param scores see the record
     * @param actions see the record
     * @param influence see the record
     * @param solves see the record
     * @param ratings see the record
     * @param diagnostics see the record
     * @param settings see the record
     * @throws IllegalArgumentException if the numbers of targets, scores, matrix rows or columns
     *     and actions disagree
     */
    public Influence {
        targets = List.copyOf(targets);
        scores = List.copyOf(scores);
        actions = List.copyOf(actions);
        solves = List.copyOf(solves);
        ratings = List.copyOf(ratings);
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        if (!ratings.isEmpty() && ratings.size() != actions.size()) {
            throw new IllegalArgumentException(
                    ratings.size() + " ratings for " + actions.size() + " actions");
        }
        if (influence.length != targets.size() || scores.size() != targets.size()) {
            throw new IllegalArgumentException(
                    targets.size()
                            + " targets, "
                            + scores.size()
                            + " scores and "
                            + influence.length
                            + " influence rows");
        }
        double[][] copy = new double[influence.length][];
        for (int k = 0; k < influence.length; k++) {
            if (influence[k].length != actions.size()) {
                throw new IllegalArgumentException(
                        "influence row has "
                                + influence[k].length
                                + " entries for "
                                + actions.size()
                                + " actions");
            }
            copy[k] = influence[k].clone();
        }
        influence = copy;
    }

    /**
     * The influence matrix.
     *
     * @return {@code influence[targets][actions]} (a copy)
     */
    @Override
    public double[][] influence() {
        double[][] copy = new double[influence.length][];
        for (int k = 0; k < influence.length; k++) {
            copy[k] = influence[k].clone();
        }
        return copy;
    }

    /**
     * One entry of the matrix, without copying it.
     *
     * @param k the target's index in {@link #targets()}
     * @param z the action's index in {@link #actions()}
     * @return {@code influence[k][z]}
     */
    public double influence(int k, int z) {
        return influence[k][z];
    }

    /**
     * Solves that needed the direct fallback.
     *
     * @return their number (always 0 for RCF)
     */
    public long fallbacks() {
        return solves.stream().filter(Solve::fellBack).count();
    }

    /** Equal when every component is, the matrix compared by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Influence x
                && user == x.user
                && targets.equals(x.targets)
                && scores.equals(x.scores)
                && actions.equals(x.actions)
                && Arrays.deepEquals(influence, x.influence)
                && solves.equals(x.solves)
                && ratings.equals(x.ratings)
                && diagnostics.equals(x.diagnostics)
                && settings.equals(x.settings);
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                        user, targets, scores, actions, solves, ratings, diagnostics, settings)
                + 31 * Arrays.deepHashCode(influence);
    }

    /** A short summary: user, targets and the number of actions. */
    @Override
    public String toString() {
        return "Influence[user="
                + user
                + ", targets="
                + targets
                + ", actions="
                + actions.size()
                + ", fallbacks="
                + fallbacks()
                + "]";
    }
}
