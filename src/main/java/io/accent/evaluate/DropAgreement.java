package io.accent.evaluate;

import java.util.List;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;

/**
 * Estimated against actual influence of a counterfactual set on the scores of the top-k items: per
 * (row, item), the predicted drop {@code s − pred} (the additive influence estimate) against the
 * drop after retraining {@code s − avg}, where s is the model's score before removal. This is the
 * comparison behind the paper's RMSE and correlation figures (docs/SPEC.md §7.6, per-item variant).
 *
 * @param count (row, item) pairs
 * @param rmse root mean squared difference of estimated and actual drops
 * @param actualStd population standard deviation of the actual drops
 * @param pearson correlation of estimated and actual drops (NaN with fewer than two points)
 * @param points {estimated, actual} pairs
 */
public record DropAgreement(
        int count, double rmse, double actualStd, double pearson, List<double[]> points) {

    public DropAgreement {
        points = List.copyOf(points);
    }

    /** The agreement of the given {estimated, actual} points. */
    public static DropAgreement of(List<double[]> points) {
        int n = points.size();
        if (n == 0) {
            return new DropAgreement(0, Double.NaN, Double.NaN, Double.NaN, points);
        }
        double se = 0;
        double mean = 0;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
            se += (x[i] - y[i]) * (x[i] - y[i]);
            mean += y[i];
        }
        mean /= n;
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean);
        }
        double rho = n < 2 ? Double.NaN : new PearsonsCorrelation().correlation(x, y);
        return new DropAgreement(n, Math.sqrt(se / n), Math.sqrt(var / n), rho, points);
    }
}
