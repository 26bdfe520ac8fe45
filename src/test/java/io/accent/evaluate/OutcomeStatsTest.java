package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.explain.ExplanationRow;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class OutcomeStatsTest {

    @Test
    void rowOutcomes() {
        RowOutcome none = RowOutcome.of(ResultRows.none(1));
        assertFalse(none.hasCounterfactual() || none.verified() || none.success());
        assertEquals(0, none.counterfactualSize());
        assertTrue(none.predictedGap().isEmpty() && none.actualGap().isEmpty());
        assertEquals(3, none.k());

        RowOutcome unverified = RowOutcome.of(ResultRows.unverified(2, 4));
        assertTrue(unverified.hasCounterfactual());
        assertFalse(unverified.verified() || unverified.success());
        assertEquals(4, unverified.counterfactualSize());
        assertEquals(0.4 - 0.6, unverified.predictedGap().getAsDouble(), 1e-15);
        assertTrue(unverified.actualGap().isEmpty());

        RowOutcome ok = RowOutcome.of(ResultRows.verified(3, 2, true));
        assertTrue(ok.success() && ok.verified());
        assertEquals(0.3 - 0.5, ok.actualGap().getAsDouble(), 1e-15);
        RowOutcome fail = RowOutcome.of(ResultRows.verified(4, 2, false));
        assertTrue(fail.verified() && !fail.success());
        assertEquals(0.5 - 0.3, fail.actualGap().getAsDouble(), 1e-15);
    }

    @Test
    void successNeedsAStrictlyHigherReplacementAndLooksOnlyAtIt() {
        // a tie is no success
        List<Double> tie = List.of(0.5, 0.5, 0.1);
        ExplanationRow tied =
                new ExplanationRow(
                        1, 10, ResultRows.TOP, List.of(7), List.of(), 11, List.of(tie), tie);
        assertFalse(RowOutcome.of(tied).success());
        assertTrue(RowOutcome.of(tied).predictedGap().isEmpty());
        // the replacement beats the recommendation, although item 12 is now the global top
        List<Double> avg = List.of(0.5, 0.6, 0.9);
        ExplanationRow row =
                new ExplanationRow(
                        1, 10, ResultRows.TOP, List.of(7), List.of(), 11, List.of(avg), avg);
        assertTrue(RowOutcome.of(row).success());
    }

    @Test
    void wrongNumberOfActualScoresIsADataError() {
        List<Double> avg = List.of(0.5, 0.6);
        ExplanationRow row =
                new ExplanationRow(
                        9, 10, ResultRows.TOP, List.of(7), List.of(), 11, List.of(avg), avg);
        DataException e = assertThrows(DataException.class, () -> RowOutcome.of(List.of(row)));
        assertTrue(e.getMessage().contains("user 9"), e.getMessage());
    }

    @Test
    void percentageOverAllRowsAndSizeOverSuccesses() {
        List<ExplanationRow> rows =
                List.of(
                        ResultRows.none(1),
                        ResultRows.unverified(2, 9),
                        ResultRows.verified(3, 2, true),
                        ResultRows.verified(4, 7, false),
                        ResultRows.verified(5, 5, true));
        OutcomeStats s = OutcomeStats.ofRows(rows);
        assertEquals(new OutcomeStats(5, 4, 3, 2, 40.0, 3.5), s);
        assertEquals(s, OutcomeStats.of(RowOutcome.of(rows)));
    }

    @Test
    void noSuccessesGiveNaNSize() {
        OutcomeStats s = OutcomeStats.ofRows(List.of(ResultRows.none(1)));
        assertEquals(0.0, s.cfPercentage());
        assertTrue(Double.isNaN(s.meanSize()));
        assertTrue(Double.isNaN(OutcomeStats.of(List.of()).cfPercentage()));
    }

    @Test
    void invariantsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new OutcomeStats(2, 3, 0, 0, 0, 0));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new RowOutcome(
                                1,
                                3,
                                false,
                                true,
                                true,
                                0,
                                OptionalDouble.empty(),
                                OptionalDouble.empty()));
    }
}
