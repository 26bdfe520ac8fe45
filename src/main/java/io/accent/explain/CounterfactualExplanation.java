package io.accent.explain;

import java.util.List;
import java.util.function.IntFunction;

/**
 * A counterfactual explanation for one user and one k (dense model ids).
 *
 * @param user the user
 * @param topK the first k items of the user's top list; {@code topK.get(0)} is the recommendation
 * @param removed item ids of the counterfactual set's actions, in the order the algorithm added
 *     them
 * @param replacement the item predicted to replace the recommendation; one of {@code topK(1..k−1)}
 * @param predictedScores the additive estimate {@code ŝ(X)} for each item of {@code topK}
 * @param predictedGap {@code ŝ_0(X) − ŝ_repl(X)}, negative. For ACCENT this is the residual gap
 *     accumulated from the pairwise influences δ, which equals the difference of the predicted
 *     scores up to rounding (the reference asserts agreement within 1e-3 / 1e-6)
 */
public record CounterfactualExplanation(
        int user,
        List<Integer> topK,
        List<Integer> removed,
        int replacement,
        List<Double> predictedScores,
        double predictedGap)
        implements java.io.Serializable {

    public CounterfactualExplanation {
        topK = List.copyOf(topK);
        removed = List.copyOf(removed);
        predictedScores = List.copyOf(predictedScores);
        if (topK.size() < 2) {
            throw new IllegalArgumentException(
                    "top list of user "
                            + user
                            + " has "
                            + topK.size()
                            + " items; an explanation needs at least 2");
        }
        if (removed.isEmpty()) {
            throw new IllegalArgumentException("empty counterfactual set for user " + user);
        }
        if (predictedScores.size() != topK.size()) {
            throw new IllegalArgumentException(
                    "user "
                            + user
                            + ": "
                            + predictedScores.size()
                            + " predicted scores for a top-"
                            + topK.size()
                            + " list");
        }
        int rank = topK.indexOf(replacement);
        if (rank < 0) {
            throw new IllegalArgumentException(
                    "user "
                            + user
                            + ": replacement "
                            + replacement
                            + " is not in the top list "
                            + topK);
        }
        if (rank == 0) {
            throw new IllegalArgumentException(
                    "user "
                            + user
                            + ": replacement "
                            + replacement
                            + " is the recommendation itself");
        }
        if (!(predictedGap < 0)) {
            throw new IllegalArgumentException(
                    "user " + user + ": predicted gap " + predictedGap + " is not negative");
        }
    }

    /** k, the length of the top list considered. */
    public int k() {
        return topK.size();
    }

    /** The explained recommendation, {@code topK.get(0)}. */
    public int recommendation() {
        return topK.get(0);
    }

    /** Rank of the replacement in {@link #topK()}, between 1 and k−1. */
    public int replacementRank() {
        return topK.indexOf(replacement);
    }

    /**
     * Renders the explanation as an English sentence, for example "Had you not rated A and B, you
     * would have been recommended C instead of D."; longer sets read "A, B and C".
     *
     * @param title the display name of an item id
     */
    public String sentence(IntFunction<String> title) {
        StringBuilder b = new StringBuilder("Had you not rated ");
        int n = removed.size();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(i == n - 1 ? " and " : ", ");
            }
            b.append(title.apply(removed.get(i)));
        }
        return b.append(", you would have been recommended ")
                .append(title.apply(replacement))
                .append(" instead of ")
                .append(title.apply(recommendation()))
                .append('.')
                .toString();
    }
}
