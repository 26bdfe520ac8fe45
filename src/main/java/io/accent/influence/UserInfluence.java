package io.accent.influence;

import java.util.Arrays;

/**
 * Influence estimates for one user (docs/SPEC.md §3): what every explainer needs. Ids are dense
 * model ids.
 *
 * @param user the user
 * @param topItems the user's top-K items in rank order ({@code topItems[0]} is the recommendation)
 * @param scores current predicted scores of {@code topItems}
 * @param actions candidate actions: the items of the user's training rows, in training-file order
 * @param influence {@code influence[k][z]} = I(z, ŷ(u, topItems[k])), the predicted <em>drop</em>
 *     of {@code scores[k]} when action {@code z} is removed from the training data; the predicted
 *     new score after removing a set X is {@code scores[k] − Σ_{z∈X} influence[k][z]}
 */
public record UserInfluence(
        int user, int[] topItems, double[] scores, int[] actions, double[][] influence)
        implements java.io.Serializable {

    public UserInfluence {
        if (topItems.length != scores.length || topItems.length != influence.length) {
            throw new IllegalArgumentException(
                    "top-K has "
                            + topItems.length
                            + " items, "
                            + scores.length
                            + " scores and "
                            + influence.length
                            + " influence rows");
        }
        for (double[] row : influence) {
            if (row.length != actions.length) {
                throw new IllegalArgumentException(
                        "influence row has "
                                + row.length
                                + " entries for "
                                + actions.length
                                + " actions");
            }
        }
        topItems = topItems.clone();
        scores = scores.clone();
        actions = actions.clone();
        double[][] copy = new double[influence.length][];
        for (int k = 0; k < influence.length; k++) {
            copy[k] = influence[k].clone();
        }
        influence = copy;
    }

    /** K, the length of the top list. */
    public int topK() {
        return topItems.length;
    }

    @Override
    public int[] topItems() {
        return topItems.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    @Override
    public int[] actions() {
        return actions.clone();
    }

    @Override
    public double[][] influence() {
        double[][] copy = new double[influence.length][];
        for (int k = 0; k < influence.length; k++) {
            copy[k] = influence[k].clone();
        }
        return copy;
    }

    /** {@code influence[k][z]} without copying. */
    public double influence(int k, int z) {
        return influence[k][z];
    }

    /** {@code scores[k]} without copying. */
    public double score(int k) {
        return scores[k];
    }

    /** {@code topItems[k]} without copying. */
    public int topItem(int k) {
        return topItems[k];
    }

    /** {@code actions[z]} without copying. */
    public int action(int z) {
        return actions[z];
    }

    /** Number of candidate actions. */
    public int actionCount() {
        return actions.length;
    }

    @Override
    public String toString() {
        return "UserInfluence[user="
                + user
                + ", top="
                + Arrays.toString(topItems)
                + ", actions="
                + actions.length
                + "]";
    }
}
