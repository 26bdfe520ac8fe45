package io.accent.evaluate;

import io.accent.explain.ExplanationRow;
import java.util.List;

/**
 * Table 1's numbers for one result file (docs/SPEC.md §7.4).
 *
 * @param rows all rows, including those without a counterfactual set (452 in the paper)
 * @param found rows with a counterfactual set
 * @param verified rows with retrained scores
 * @param successes rows whose set is counterfactual after retraining ({@link RowOutcome#success()})
 * @param cfPercentage {@code successes / rows · 100}; NaN when there are no rows
 * @param meanSize mean counterfactual set size over the successful rows only; NaN when there are
 *     none
 */
public record OutcomeStats(
        int rows, int found, int verified, int successes, double cfPercentage, double meanSize) {

    public OutcomeStats {
        if (rows < 0
                || found < 0
                || verified < 0
                || successes < 0
                || found > rows
                || verified > rows
                || successes > Math.min(found, verified)) {
            throw new IllegalArgumentException(
                    "inconsistent counts: rows "
                            + rows
                            + ", found "
                            + found
                            + ", verified "
                            + verified
                            + ", successes "
                            + successes);
        }
    }

    /** The statistics of a list of row outcomes. */
    public static OutcomeStats of(List<RowOutcome> outcomes) {
        int found = 0;
        int verified = 0;
        int successes = 0;
        long sizeSum = 0;
        for (RowOutcome o : outcomes) {
            found += o.hasCounterfactual() ? 1 : 0;
            verified += o.verified() ? 1 : 0;
            if (o.success()) {
                successes++;
                sizeSum += o.counterfactualSize();
            }
        }
        int rows = outcomes.size();
        double pct = rows == 0 ? Double.NaN : 100.0 * successes / rows;
        double mean = successes == 0 ? Double.NaN : (double) sizeSum / successes;
        return new OutcomeStats(rows, found, verified, successes, pct, mean);
    }

    /** The statistics of the rows of a result file. */
    public static OutcomeStats ofRows(List<ExplanationRow> rows) {
        return of(RowOutcome.of(rows));
    }
}
