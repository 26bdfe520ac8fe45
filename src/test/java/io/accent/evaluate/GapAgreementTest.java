package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GapAgreementTest {

    private static RowOutcome gaps(int user, double predicted, double actual) {
        return new RowOutcome(
                user,
                3,
                true,
                true,
                actual < 0,
                2,
                OptionalDouble.of(predicted),
                OptionalDouble.of(actual));
    }

    @Test
    void handComputedValues() {
        List<RowOutcome> rows = new ArrayList<>();
        rows.add(gaps(1, 1, 2));
        rows.add(RowOutcome.of(ResultRows.none(2))); // no set: skipped
        rows.add(gaps(3, 2, 2));
        rows.add(RowOutcome.of(ResultRows.unverified(4, 3))); // not retrained: skipped
        rows.add(gaps(5, 3, 5));
        rows.add(
                new RowOutcome(
                        6,
                        3,
                        true,
                        true,
                        false,
                        1,
                        OptionalDouble.empty(),
                        OptionalDouble.of(1))); // no predicted scores: skipped
        rows.add(gaps(7, -1, 0));
        GapAgreement g = GapAgreement.of(rows);
        assertEquals(4, g.count());
        // differences −1, 0, −2, −1 → mean square 6/4
        assertEquals(Math.sqrt(1.5), g.rmse(), 1e-14);
        // actual 2, 2, 5, 0: mean 2.25, Σ(dev²) = 12.75, population variance 12.75 / 4
        assertEquals(Math.sqrt(12.75 / 4), g.actualStd(), 1e-14);
        // predicted mean 1.25: Σ dev_p·dev_a = 9.75, Σ dev_p² = 8.75
        assertEquals(9.75 / Math.sqrt(8.75 * 12.75), g.pearson(), 1e-14);
        assertEquals(List.of(1, 3, 5, 7), g.gaps().stream().map(GapAgreement.Gap::user).toList());
        assertArrayEquals(new double[] {3, 5}, g.points().get(2));
    }

    @Test
    void degenerateInputs() {
        GapAgreement empty = GapAgreement.of(List.of(RowOutcome.of(ResultRows.none(1))));
        assertEquals(0, empty.count());
        assertTrue(Double.isNaN(empty.rmse()) && Double.isNaN(empty.actualStd()));
        assertTrue(Double.isNaN(empty.pearson()));

        GapAgreement one = GapAgreement.of(List.of(gaps(1, 1, 4)));
        assertEquals(3.0, one.rmse());
        assertEquals(0.0, one.actualStd());
        assertTrue(Double.isNaN(one.pearson()));

        GapAgreement constant = GapAgreement.of(List.of(gaps(1, 1, 4), gaps(2, 2, 4)));
        assertTrue(Double.isNaN(constant.pearson()));
    }

    @Test
    void fromResultRows() {
        GapAgreement g =
                GapAgreement.of(
                        RowOutcome.of(
                                List.of(
                                        ResultRows.verified(1, 2, true),
                                        ResultRows.verified(2, 2, false))));
        assertEquals(2, g.count());
        // predicted gap 0.4 − 0.6 for both; actual −0.2 and +0.2
        assertEquals(Math.sqrt((0 + 0.4 * 0.4) / 2), g.rmse(), 1e-12);
    }
}
