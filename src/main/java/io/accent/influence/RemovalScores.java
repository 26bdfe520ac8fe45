package io.accent.influence;

import java.util.List;

/**
 * Real forward passes for one user's top items with some of the user's actions removed from the
 * model's input and the parameters fixed (docs/SPEC.md §4.7): what the attention baselines of §6.3
 * use instead of influence estimates. Actions are indices into {@link UserInfluence#actions()}.
 */
public interface RemovalScores {

    /** The user's top items, as in the {@link UserInfluence} this belongs to. */
    int[] topItems();

    /**
     * The attention weight w(j) = Σ_t β_t Σ_{entries of j in L_t(rec)} w_k of every action for the
     * recommendation {@code topItems()[0]} with nothing removed (§6.3), aligned with the actions.
     */
    double[] attentionWeights();

    /**
     * For each set of action indices, the scores of the first {@code k} top items with those
     * actions removed, {@code [sets][k]}; all sets in few session calls.
     */
    double[][] scoresWithout(List<int[]> sets, int k);

    /**
     * Row m−1 holds the scores of the first {@code k} top items with the first m actions of {@code
     * order} removed, for m = 1..|order| ({@code [|order|][k]}); equal to {@link #scoresWithout} of
     * the prefixes.
     */
    default double[][] scoresAlongOrder(int[] order, int k) {
        List<int[]> prefixes = new java.util.ArrayList<>(order.length);
        for (int m = 1; m <= order.length; m++) {
            prefixes.add(java.util.Arrays.copyOf(order, m));
        }
        return scoresWithout(prefixes, k);
    }
}
