package io.accent.evaluate;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;

/**
 * How well the predicted score gap between the recommendation and its replacement matches the gap
 * measured after retraining (docs/SPEC.md §7.6), over the rows that have a counterfactual set,
 * predicted scores and retrained scores (successful or not).
 *
 * @param count the number of such rows
 * @param rmse {@code √(mean((predicted − actual)²))}; NaN when there are no rows
 * @param actualStd the population standard deviation (divisor n, numpy's default) of the actual
 *     gaps; NaN when there are no rows
 * @param pearson Pearson's correlation of predicted and actual gaps; NaN with fewer than two rows
 *     or when either side is constant
 * @param gaps the rows' gaps, in row order
 */
public record GapAgreement(
        int count, double rmse, double actualStd, double pearson, List<Gap> gaps) {

    /**
     * One row's gaps: {@code pred[0] − pred[repl]} and {@code avg[0] − avg[repl]}.
     *
     * @param user the user (raw id)
     * @param predicted the predicted gap
     * @param actual the gap after retraining
     */
    public record Gap(int user, double predicted, double actual) {}

    public GapAgreement {
        gaps = List.copyOf(gaps);
        if (count != gaps.size()) {
            throw new IllegalArgumentException("count " + count + " for " + gaps.size() + " gaps");
        }
    }

    /** The agreement over the rows that have both gaps. */
    public static GapAgreement of(List<RowOutcome> outcomes) {
        List<Gap> gaps = new ArrayList<>();
        for (RowOutcome o : outcomes) {
            if (o.hasCounterfactual()
                    && o.verified()
                    && o.predictedGap().isPresent()
                    && o.actualGap().isPresent()) {
                gaps.add(
                        new Gap(
                                o.user(),
                                o.predictedGap().getAsDouble(),
                                o.actualGap().getAsDouble()));
            }
        }
        int n = gaps.size();
        if (n == 0) {
            return new GapAgreement(0, Double.NaN, Double.NaN, Double.NaN, gaps);
        }
        double[] p = new double[n];
        double[] a = new double[n];
        double sq = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = gaps.get(i).predicted();
            a[i] = gaps.get(i).actual();
            double d = p[i] - a[i];
            sq += d * d;
            sum += a[i];
        }
        double mean = sum / n;
        double var = 0;
        for (double v : a) {
            var += (v - mean) * (v - mean);
        }
        double pearson = n < 2 ? Double.NaN : new PearsonsCorrelation().correlation(p, a);
        return new GapAgreement(n, Math.sqrt(sq / n), Math.sqrt(var / n), pearson, gaps);
    }

    /** The gaps as {@code {predicted, actual}} points, for {@link Charts#scatter}. */
    public List<double[]> points() {
        return gaps.stream().map(g -> new double[] {g.predicted(), g.actual()}).toList();
    }
}
