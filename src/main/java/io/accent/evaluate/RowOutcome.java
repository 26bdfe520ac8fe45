package io.accent.evaluate;

import io.accent.core.DataException;
import io.accent.explain.ExplanationRow;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What one result row says once it has been verified by retraining (docs/SPEC.md §7.4, §7.6).
 *
 * @param user the user (raw id)
 * @param k the length of the row's top list
 * @param hasCounterfactual whether the explainer found a counterfactual set
 * @param verified whether the row carries retrained scores ({@code actual_scores_avg} is present)
 * @param success a counterfactual set exists, it was verified, and the retrained mean score of the
 *     predicted replacement is strictly above that of the original recommendation: {@code
 *     avg[topK.indexOf(replacement)] > avg[0]}. Whether the replacement became the global top item
 *     is not checked, as in the reference.
 * @param counterfactualSize the number of items in the set, 0 when there is none
 * @param predictedGap {@code pred[0] − pred[repl]} over the predicted scores after removal; empty
 *     without a set or predicted scores
 * @param actualGap {@code avg[0] − avg[repl]} over the retrained mean scores; empty without a set
 *     or retrained scores
 */
public record RowOutcome(
        int user,
        int k,
        boolean hasCounterfactual,
        boolean verified,
        boolean success,
        int counterfactualSize,
        OptionalDouble predictedGap,
        OptionalDouble actualGap) {

    public RowOutcome {
        if (success && !(hasCounterfactual && verified)) {
            throw new IllegalArgumentException(
                    "user " + user + ": a success needs a verified counterfactual set");
        }
        if (counterfactualSize < 0 || hasCounterfactual != (counterfactualSize > 0)) {
            throw new IllegalArgumentException(
                    "user "
                            + user
                            + ": counterfactual size "
                            + counterfactualSize
                            + " contradicts hasCounterfactual = "
                            + hasCounterfactual);
        }
    }

    /**
     * The outcome of each row, in order.
     *
     * @throws DataException if a row's {@code actual_scores_avg} does not hold one score per top-k
     *     item (the message names the user)
     */
    public static List<RowOutcome> of(List<ExplanationRow> rows) {
        List<RowOutcome> out = new ArrayList<>(rows.size());
        for (ExplanationRow r : rows) {
            out.add(of(r));
        }
        return List.copyOf(out);
    }

    /**
     * The test of §7.4: whether the replacement at {@code replacementRank} has a higher mean
     * retrained score than the recommendation, {@code avg[rank] > avg[0]}.
     */
    public static boolean overtakes(List<Double> avg, int replacementRank) {
        return avg.get(replacementRank) > avg.get(0);
    }

    /** The outcome of one row; see {@link #of(List)}. */
    public static RowOutcome of(ExplanationRow r) {
        List<Double> avg = r.actualScoresAvg();
        boolean verified = !avg.isEmpty();
        if (verified && avg.size() != r.k()) {
            throw new DataException(
                    "user "
                            + r.user()
                            + ": actual_scores_avg has "
                            + avg.size()
                            + " scores for a top list of "
                            + r.k()
                            + " items");
        }
        if (!r.hasCounterfactual()) {
            return new RowOutcome(
                    r.user(),
                    r.k(),
                    false,
                    verified,
                    false,
                    0,
                    OptionalDouble.empty(),
                    OptionalDouble.empty());
        }
        // ExplanationFile.read guarantees the replacement is in the top list when a set exists
        int repl = r.topK().indexOf(r.replacement());
        if (repl < 0) {
            throw new DataException(
                    "user "
                            + r.user()
                            + ": replacement "
                            + r.replacement()
                            + " is not in the top list "
                            + r.topK());
        }
        List<Double> pred = r.predictedScores();
        OptionalDouble predictedGap =
                pred.isEmpty()
                        ? OptionalDouble.empty()
                        : OptionalDouble.of(pred.get(0) - pred.get(repl));
        OptionalDouble actualGap =
                verified ? OptionalDouble.of(avg.get(0) - avg.get(repl)) : OptionalDouble.empty();
        boolean success = verified && overtakes(avg, repl);
        return new RowOutcome(
                r.user(),
                r.k(),
                true,
                verified,
                success,
                r.counterfactual().size(),
                predictedGap,
                actualGap);
    }
}
