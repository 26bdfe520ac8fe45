package io.accent.explain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a result file {@code {algo}_{k}.csv} (docs/SPEC.md §8), in raw ids.
 *
 * @param user the user
 * @param item the recommendation; equals {@code topK.get(0)}
 * @param topK the top-k list
 * @param counterfactual the counterfactual set's items in the order written; empty when there is
 *     none
 * @param predictedScores predicted scores of {@code topK} after removal; empty when there are none
 * @param replacement the predicted replacement item, or −1 when there is none
 * @param actualScores the lists in the columns {@code actual_scores_0, actual_scores_1, ...} that
 *     the file has, in column order (an empty cell gives an empty list); empty when the file has
 *     none
 * @param actualScoresAvg the list in {@code actual_scores_avg}; empty when absent or empty
 * @param extra the file's further columns (e.g. those of {@code explain --verify}) by name, in
 *     column order, their text as written; kept when {@code evaluate} rewrites the file
 */
public record ExplanationRow(
        int user,
        int item,
        List<Integer> topK,
        List<Integer> counterfactual,
        List<Double> predictedScores,
        int replacement,
        List<List<Double>> actualScores,
        List<Double> actualScoresAvg,
        Map<String, String> extra) {

    /** A row without further columns. */
    public ExplanationRow(
            int user,
            int item,
            List<Integer> topK,
            List<Integer> counterfactual,
            List<Double> predictedScores,
            int replacement,
            List<List<Double>> actualScores,
            List<Double> actualScoresAvg) {
        this(
                user,
                item,
                topK,
                counterfactual,
                predictedScores,
                replacement,
                actualScores,
                actualScoresAvg,
                Map.of());
    }

    public ExplanationRow {
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        topK = List.copyOf(topK);
        counterfactual = List.copyOf(counterfactual);
        predictedScores = List.copyOf(predictedScores);
        actualScores = actualScores.stream().map(List::copyOf).toList();
        actualScoresAvg = List.copyOf(actualScoresAvg);
        if (topK.isEmpty() || topK.get(0) != item) {
            throw new IllegalArgumentException(
                    "user "
                            + user
                            + ": item "
                            + item
                            + " is not the first element of the top list "
                            + topK);
        }
    }

    /** Whether the row holds a counterfactual set. */
    public boolean hasCounterfactual() {
        return !counterfactual.isEmpty();
    }

    /** k, the length of the top list. */
    public int k() {
        return topK.size();
    }
}
