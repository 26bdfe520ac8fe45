package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.explain.ExplanationRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonTest {

    @TempDir Path tmp;

    static List<ExplanationRow> first() {
        return List.of(
                ResultRows.verified(1, 2, true),
                ResultRows.verified(2, 3, true),
                ResultRows.verified(3, 1, true),
                ResultRows.verified(4, 5, true),
                ResultRows.verified(5, 2, true),
                ResultRows.none(6),
                ResultRows.unverified(7, 3),
                ResultRows.verified(8, 4, true));
    }

    static List<ExplanationRow> second() {
        List<ExplanationRow> rows =
                new ArrayList<>(
                        List.of(
                                ResultRows.verified(1, 4, true),
                                ResultRows.verified(2, 3, true),
                                ResultRows.verified(3, 4, true),
                                ResultRows.none(4),
                                ResultRows.verified(5, 2, false),
                                ResultRows.verified(6, 6, true),
                                ResultRows.none(7),
                                ResultRows.unverified(8, 2)));
        Collections.reverse(rows); // rows are paired by user, not by position
        return rows;
    }

    /** Checks the hand-computed numbers of {@link #first()} against {@link #second()}. */
    static void assertHandComputed(Comparison c) {
        assertEquals(3, c.k());
        assertEquals(8, c.users());
        assertEquals(new Comparison.Contingency(3, 3, 1, 1), c.contingency());
        assertEquals(3, c.contingency().get(0, 1));
        assertEquals(1, c.contingency().get(1, 0));
        // 2 · CDF(1; 4, ½) = 2 · 5/16, halved
        assertEquals(5.0 / 16, c.mcNemarHalfP(), 1e-15);
        assertEquals(new OutcomeStats(8, 7, 6, 6, 75.0, 17.0 / 6), c.first());
        assertEquals(new OutcomeStats(8, 6, 5, 4, 50.0, 17.0 / 4), c.second());
        assertEquals(2.0, c.firstJointMeanSize(), 1e-15);
        assertEquals(11.0 / 3, c.secondJointMeanSize(), 1e-15);
        // sizes where both succeed: (2, 4), (3, 3), (1, 4): d = [−2, 0, −3], mean −5/3, sample
        // variance 7/3, t = −5/√7; with 2 degrees of freedom p = 1 − |t|/√(2 + t²) = 1 − 5/√39
        assertEquals(3, c.sizeTest().pairs());
        assertEquals(-5 / Math.sqrt(7), c.sizeTest().statistic(), 1e-12);
        assertEquals((1 - 5 / Math.sqrt(39)) / 2, c.sizeTest().halfPValue(), 1e-10);
    }

    @Test
    void handComputedComparison() {
        assertHandComputed(Comparison.of("a", first(), "b", second()));
    }

    @Test
    void fromFiles() throws IOException {
        Path a = tmp.resolve("accent_3.csv");
        Path b = tmp.resolve("fia_3.csv");
        Files.writeString(a, ResultCsv.text(first()));
        Files.writeString(b, ResultCsv.text(second()));
        assertHandComputed(Comparison.of(a, b));
    }

    @Test
    void mismatchedUsersNameBothFilesAndTheDifference() {
        List<ExplanationRow> fewer = first().subList(0, 6);
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> Comparison.of("one.csv", fewer, "two.csv", second()));
        assertTrue(
                e.getMessage().contains("one.csv") && e.getMessage().contains("two.csv"),
                e.getMessage());
        assertTrue(e.getMessage().contains("only in the second: [7, 8]"), e.getMessage());
    }

    @Test
    void mismatchedKIsADataError() {
        List<Integer> top5 = List.of(10, 11, 12, 13, 14);
        List<ExplanationRow> k5 = new ArrayList<>();
        for (ExplanationRow r : first()) {
            k5.add(
                    new ExplanationRow(
                            r.user(), 10, top5, List.of(), List.of(), -1, List.of(), List.of()));
        }
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> Comparison.of("x_3.csv", first(), "x_5.csv", k5));
        assertTrue(e.getMessage().contains("x_3.csv (k = 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("x_5.csv (k = 5)"), e.getMessage());
    }

    @Test
    void duplicateUsersAndEmptyFilesAreDataErrors() {
        List<ExplanationRow> dup = new ArrayList<>(first());
        dup.add(ResultRows.none(1));
        assertThrows(DataException.class, () -> Comparison.of("d", dup, "s", second()));
        assertThrows(DataException.class, () -> Comparison.of("e", List.of(), "s", second()));
    }

    @Test
    void aFileThatWasNeverEvaluatedIsRefused() {
        List<ExplanationRow> never =
                List.of(
                        ResultRows.unverified(1, 2),
                        ResultRows.none(2),
                        ResultRows.unverified(3, 1));
        List<ExplanationRow> other =
                List.of(
                        ResultRows.verified(1, 2, true),
                        ResultRows.none(2),
                        ResultRows.verified(3, 1, false));
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> Comparison.of("never.csv", never, "b.csv", other));
        assertTrue(e.getMessage().contains("never.csv was never evaluated"), e.getMessage());
    }
}
