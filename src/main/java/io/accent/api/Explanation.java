package io.accent.api;

import java.util.List;

/**
 * A counterfactual explanation of one user's recommendation for one algorithm and one k: "had the
 * user not rated {@link #removed()}, {@link #replacement()} would have been recommended instead of
 * {@link #recommendation()}". Item ids are raw ids. Immutable.
 *
 * @param algorithm the explainer's name ({@code accent}, {@code fia}, ...)
 * @param k the number of top items considered
 * @param user the user's raw id
 * @param topK raw ids of the user's first k recommendations; {@code topK.get(0)} is the explained
 *     recommendation
 * @param removed raw ids of the items whose ratings form the counterfactual set, in the order the
 *     algorithm added them
 * @param replacement raw id of the item predicted to replace the recommendation, one of {@code
 *     topK(1..k−1)}
 * @param predictedScores the estimated score of each item of {@code topK} once the ratings of
 *     {@code removed} are taken out of the training data
 * @param predictedGap estimated score of the recommendation minus that of the replacement after the
 *     removal; negative
 * @param sentence the explanation as an English sentence with quoted titles, as {@code accent
 *     explain} prints it
 */
public record Explanation(
        String algorithm,
        int k,
        int user,
        List<Integer> topK,
        List<Integer> removed,
        int replacement,
        List<Double> predictedScores,
        double predictedGap,
        String sentence) {

    /**
     * Copies the lists. Each component is described on the record.
     *
     * @param algorithm see the record
     * @param k see the record
     * @param user see the record
     * @param topK see the record
     * @param removed see the record
     * @param replacement see the record
     * @param predictedScores see the record
     * @param predictedGap see the record
     * @param sentence see the record
     */
    public Explanation {
        topK = List.copyOf(topK);
        removed = List.copyOf(removed);
        predictedScores = List.copyOf(predictedScores);
    }

    /**
     * The explained recommendation.
     *
     * @return its raw id, {@code topK().get(0)}
     */
    public int recommendation() {
        return topK.get(0);
    }

    /**
     * Where the replacement stands in the user's top list.
     *
     * @return its index in {@link #topK()}, between 1 and k−1 (0 is the recommendation)
     */
    public int replacementRank() {
        return topK.indexOf(replacement);
    }
}
