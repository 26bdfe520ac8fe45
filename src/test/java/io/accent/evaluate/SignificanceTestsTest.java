package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class SignificanceTestsTest {

    /** min(1, 2 · Σ_{i ≤ min} C(n, i) / 2^n) / 2, exactly, in BigDecimal. */
    private static double exactHalf(int c01, int c10) {
        int n = c01 + c10;
        int m = Math.min(c01, c10);
        BigInteger sum = BigInteger.ZERO;
        BigInteger binom = BigInteger.ONE; // C(n, 0)
        for (int i = 0; i <= m; i++) {
            sum = sum.add(binom);
            binom = binom.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        BigDecimal twoSided =
                new BigDecimal(sum.shiftLeft(1))
                        .divide(
                                new BigDecimal(BigInteger.ONE.shiftLeft(n)),
                                MathContext.DECIMAL128);
        return twoSided.min(BigDecimal.ONE).doubleValue() / 2;
    }

    private static void assertRel(double expected, double actual, double rel) {
        assertEquals(expected, actual, Math.abs(expected) * rel, () -> "expected " + expected);
    }

    @Test
    void mcNemarMatchesExactBinomialSums() {
        int[][] cases = {
            {5, 1},
            {1, 5},
            {19, 13},
            {0, 10},
            {2, 40},
            {0, 60},
            {25, 40},
            {120, 150},
            {7, 8},
            {0, 1},
            {300, 260}
        };
        for (int[] c : cases) {
            assertRel(exactHalf(c[0], c[1]), SignificanceTests.mcNemarExactHalf(c[0], c[1]), 1e-12);
        }
    }

    @Test
    void mcNemarMatchesScipy() {
        // Produced with scipy 1.17.1 (statsmodels' formula):
        //   min(1.0, stats.binom.cdf(min(c01, c10), c01 + c10, 0.5) * 2) / 2
        assertRel(0.109375, SignificanceTests.mcNemarExactHalf(5, 1), 1e-14);
        assertRel(0.18854279373772442, SignificanceTests.mcNemarExactHalf(19, 13), 1e-12);
        assertRel(0.0009765625, SignificanceTests.mcNemarExactHalf(0, 10), 1e-14);
        assertRel(2.0554580260068178e-10, SignificanceTests.mcNemarExactHalf(2, 40), 1e-12);
        assertRel(8.673617379884035e-19, SignificanceTests.mcNemarExactHalf(0, 60), 1e-12);
        assertRel(0.040840766970770014, SignificanceTests.mcNemarExactHalf(25, 40), 1e-12);
        assertRel(0.038694699490109244, SignificanceTests.mcNemarExactHalf(120, 150), 1e-11);
    }

    @Test
    void mcNemarEdgeCases() {
        // statsmodels: binom.cdf(0, 0, 0.5) == 1 → p = 1 → halved 0.5
        assertEquals(0.5, SignificanceTests.mcNemarExactHalf(0, 0));
        // equal counts: 2·CDF > 1, clipped to 1
        assertEquals(0.5, SignificanceTests.mcNemarExactHalf(3, 3));
        assertEquals(0.5, SignificanceTests.mcNemarExactHalf(0, 1)); // 2 · 0.5 = 1
        assertEquals(
                SignificanceTests.mcNemarExactHalf(4, 17),
                SignificanceTests.mcNemarExactHalf(17, 4));
        assertThrows(
                IllegalArgumentException.class, () -> SignificanceTests.mcNemarExactHalf(-1, 2));
    }

    @Test
    void pairedTTestClosedFormForTwoDegreesOfFreedom() {
        // d = a − b = [0.5, 1.25, 0.5]: mean 0.75, sample variance 0.1875, se = √(0.1875/3) = 0.25,
        // t = 3. With 2 degrees of freedom the t CDF is 1/2 + t / (2√(2 + t²)), so the two-sided p
        // is 1 − |t| / √(2 + t²) = 1 − 3/√11.
        SignificanceTests.PairedTTest r =
                SignificanceTests.pairedTTestHalf(
                        new double[] {1.5, 2.25, 3.0}, new double[] {1.0, 1.0, 2.5});
        assertEquals(3.0, r.statistic(), 1e-12);
        assertRel((1 - 3 / Math.sqrt(11)) / 2, r.halfPValue(), 1e-10);
        assertEquals(3, r.pairs());
        // scipy 1.17.1: ttest_rel([1.5, 2.25, 3.0], [1.0, 1.0, 2.5]).pvalue / 2
        assertRel(0.04773298313335456, r.halfPValue(), 1e-10);
    }

    @Test
    void pairedTTestMatchesScipy() {
        // Produced with scipy 1.17.1: r = stats.ttest_rel(a, b); r.statistic, r.pvalue / 2
        SignificanceTests.PairedTTest r =
                SignificanceTests.pairedTTestHalf(
                        new double[] {3, 5, 4, 7, 6, 8}, new double[] {2, 5, 3, 5, 7, 4});
        assertRel(1.6591591209899206, r.statistic(), 1e-12);
        assertRel(0.07898972541172825, r.halfPValue(), 1e-10);

        SignificanceTests.PairedTTest s =
                SignificanceTests.pairedTTestHalf(
                        new double[] {4, 2, 6, 3, 5, 3, 2, 7, 4, 3, 5, 2},
                        new double[] {6, 5, 6, 4, 8, 3, 5, 9, 4, 6, 7, 5});
        assertRel(-5.0113079677036225, s.statistic(), 1e-12);
        assertRel(0.00019770946378643985, s.halfPValue(), 1e-9);
        assertEquals(12, s.pairs());
    }

    @Test
    void pairedTTestDegenerateCasesFollowScipy() {
        // scipy: ttest_rel([1, 2, 3], [1, 2, 3]) → (nan, nan)
        SignificanceTests.PairedTTest zero =
                SignificanceTests.pairedTTestHalf(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertTrue(Double.isNaN(zero.statistic()) && Double.isNaN(zero.halfPValue()));
        // scipy: ttest_rel([2, 3, 4], [1, 2, 3]) → (inf, 0.0)
        SignificanceTests.PairedTTest constant =
                SignificanceTests.pairedTTestHalf(new double[] {2, 3, 4}, new double[] {1, 2, 3});
        assertEquals(Double.POSITIVE_INFINITY, constant.statistic());
        assertEquals(0.0, constant.halfPValue());
        assertEquals(
                Double.NEGATIVE_INFINITY,
                SignificanceTests.pairedTTestHalf(new double[] {1, 2}, new double[] {2, 3})
                        .statistic());
        // scipy: one pair or none → (nan, nan)
        assertTrue(
                Double.isNaN(
                        SignificanceTests.pairedTTestHalf(new double[] {1}, new double[] {2})
                                .halfPValue()));
        SignificanceTests.PairedTTest empty =
                SignificanceTests.pairedTTestHalf(new double[0], new double[0]);
        assertTrue(Double.isNaN(empty.statistic()) && Double.isNaN(empty.halfPValue()));
        assertEquals(0, empty.pairs());
        assertThrows(
                IllegalArgumentException.class,
                () -> SignificanceTests.pairedTTestHalf(new double[2], new double[3]));
    }
}
