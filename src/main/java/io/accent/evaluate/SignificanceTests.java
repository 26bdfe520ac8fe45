package io.accent.evaluate;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The two significance tests of the reference's {@code compare.py} (docs/SPEC.md §7.5), with the
 * p-values halved as the reference reports them. Neither halving checks the direction of the
 * effect; callers that want a one-sided test in a given direction must check the sign themselves
 * (the sign of {@link PairedTTest#statistic()}, or which discordant count is larger).
 */
public final class SignificanceTests {

    private SignificanceTests() {}

    /**
     * A paired t-test.
     *
     * @param statistic {@code mean(a − b) / (sd(a − b) / √n)} with the sample standard deviation (n
     *     − 1 degrees of freedom); NaN for fewer than two pairs or when all differences are 0, ±∞
     *     when the differences are all the same non-zero value (scipy's values in these cases)
     * @param halfPValue the two-sided p-value divided by 2; NaN when the statistic is NaN, 0 when
     *     it is infinite
     * @param pairs the number of pairs n
     */
    public record PairedTTest(double statistic, double halfPValue, int pairs) {
        public PairedTTest {
            if (pairs < 0) {
                throw new IllegalArgumentException("negative number of pairs " + pairs);
            }
        }
    }

    /**
     * The exact McNemar test of statsmodels ({@code mcnemar(table, exact=True)}), halved: {@code
     * min(1, 2 · BinomCDF(min(c01, c10); c01 + c10, 0.5)) / 2}.
     *
     * <p>With no discordant pairs ({@code c01 + c10 == 0}) statsmodels computes {@code binom.cdf(0,
     * 0, 0.5) = 1}, so its p-value is 1 and the halved value is 0.5; this method returns the same.
     *
     * <p>The CDF is the sum of the binomial probabilities of 0..min(c01, c10) (commons-math's
     * {@link BinomialDistribution#probability}) rather than {@link
     * BinomialDistribution#cumulativeProbability}, which computes {@code 1 − I(…)} and loses all
     * relative precision below about 1e-16; the sum keeps tiny p-values (such as {@code 2 ·
     * 0.5^60}) accurate to about 1e-14 relative, like scipy's {@code binom.cdf}.
     *
     * @param c01 pairs where the first method succeeds and the second fails
     * @param c10 pairs where the second succeeds and the first fails
     * @throws IllegalArgumentException if a count is negative
     */
    public static double mcNemarExactHalf(int c01, int c10) {
        if (c01 < 0 || c10 < 0) {
            throw new IllegalArgumentException(
                    "negative discordant count: c01 = " + c01 + ", c10 = " + c10);
        }
        int n = c01 + c10;
        int m = Math.min(c01, c10);
        // only the probability mass function is used; no sampling, hence no random generator
        BinomialDistribution binom = new BinomialDistribution(null, n, 0.5);
        double cdf = 0;
        for (int i = 0; i <= m; i++) {
            cdf += binom.probability(i);
        }
        return Math.min(1.0, 2.0 * cdf) / 2.0;
    }

    /**
     * scipy's {@code ttest_rel(a, b)} (two-sided), with the p-value halved. The statistic is
     * positive when {@code a} is larger on average.
     *
     * <p>Degenerate inputs give what scipy gives: fewer than two pairs → statistic and p NaN; all
     * differences zero → NaN and NaN; all differences equal and non-zero → ±∞ and p = 0. Otherwise
     * the result is commons-math's {@link TTest#pairedT} and {@link TTest#pairedTTest}.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static PairedTTest pairedTTestHalf(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "paired samples differ in length: " + a.length + " and " + b.length);
        }
        int n = a.length;
        if (n < 2) {
            return new PairedTTest(Double.NaN, Double.NaN, n);
        }
        double first = a[0] - b[0];
        boolean constant = true;
        for (int i = 1; i < n && constant; i++) {
            constant = a[i] - b[i] == first;
        }
        if (constant) {
            if (first == 0 || Double.isNaN(first)) {
                return new PairedTTest(Double.NaN, Double.NaN, n);
            }
            return new PairedTTest(Math.copySign(Double.POSITIVE_INFINITY, first), 0.0, n);
        }
        TTest test = new TTest();
        return new PairedTTest(test.pairedT(a, b), test.pairedTTest(a, b) / 2.0, n);
    }
}
