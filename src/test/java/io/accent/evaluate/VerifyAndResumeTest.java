package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.explain.AccentSearch;
import io.accent.explain.CounterfactualExplanation;
import io.accent.explain.ExplanationRow;
import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verify-and-resume loop (SPEC §11.3) on a planted case: hand-made influences, and a "true"
 * model whose retrained scores are the additive estimate scaled by a known factor {@code f}, so
 * that every round's set, measured gap and outcome can be worked out by hand. Each of the R = 2
 * retrains adds ±1e-3 of noise, which cancels in the mean.
 */
class VerifyAndResumeTest {

    /** Top items 10, 11, 12 with scores 1.0, 0.9, 0.5; actions on items 100..105. */
    static final double[] SCORES = {1.0, 0.9, 0.5};

    /**
     * INF[0] (the recommendation) is positive for the first five actions, the others are 0, so for
     * the replacement at rank 1, δ = INF[0] and the gap is 0.1; rank 2's gap 0.5 is never closed.
     */
    static final double[][] INF = {
        {0.06, 0.05, 0.04, 0.03, 0.02, -0.01},
        {0, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0}
    };

    static UserInfluence influence() {
        return new UserInfluence(
                3, new int[] {10, 11, 12}, SCORES, new int[] {100, 101, 102, 103, 104, 105}, INF);
    }

    /** Retrains without the set of a search: {@code s_j − f·Σ INF[j][z]} ± 1e-3; records sets. */
    static final class TrueModel implements VerifyAndResume.Retrained {
        final double factor;
        final List<List<Integer>> retrained = new ArrayList<>();

        TrueModel(double factor) {
            this.factor = factor;
        }

        @Override
        public List<List<Double>> scores(AccentSearch s) {
            retrained.add(s.actions());
            List<List<Double>> out = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                List<Double> row = new ArrayList<>();
                for (int j = 0; j < SCORES.length; j++) {
                    double drop = 0;
                    for (int z : s.actions()) {
                        drop += INF[j][z];
                    }
                    row.add(SCORES[j] - factor * drop + (r == 0 ? 1e-3 : -1e-3));
                }
                out.add(row);
            }
            return out;
        }
    }

    static Optional<AccentSearch> first() {
        return AccentSearch.searchAll(influence(), new int[] {3}).get(3);
    }

    @Test
    void theFirstSetIsWhatAccentFinds() {
        AccentSearch s = first().orElseThrow();
        // gap 0.1: 0.06 leaves 0.04, 0.05 closes it (−0.01)
        assertEquals(List.of(0, 1), s.actions());
        assertEquals(1, s.replacementRank());
        assertEquals(-0.01, s.residual(), 1e-12);
    }

    @Test
    void aRefutedSetIsResumedUntilTheRetrainedReplacementOvertakes() {
        // f = 0.7. Round 1, {0, 1}: rec 1 − 0.7·0.11 = 0.923 > 0.9, measured gap 0.023; the search
        // continues from it: 0.04 closes it (−0.017). Round 2, {0, 1, 2}: rec 1 − 0.7·0.15 = 0.895
        // < 0.9: verified.
        TrueModel m = new TrueModel(0.7);
        VerifyAndResume.Result r = VerifyAndResume.run(first(), 3, m);
        assertEquals(VerifyAndResume.Outcome.VERIFIED, r.outcome());
        assertEquals(List.of(List.of(0, 1), List.of(0, 1, 2)), m.retrained);
        assertEquals(2, r.rounds().size());
        assertEquals(2, r.rounds().get(0).size());
        assertEquals(0.023, r.rounds().get(0).gap(), 1e-12);
        assertEquals(3, r.rounds().get(1).size());
        assertEquals(-0.005, r.rounds().get(1).gap(), 1e-12);
        assertEquals(4, r.retrainsUsed());
        CounterfactualExplanation e = r.search().orElseThrow().explanation();
        assertEquals(List.of(100, 101, 102), e.removed());
        assertEquals(11, e.replacement());
        // the estimate over the whole set, from the original influences
        assertEquals(1.0 - 0.15, e.predictedScores().get(0), 1e-12);
        assertEquals(0.9, e.predictedScores().get(1), 1e-12);
        assertEquals(0.5, e.predictedScores().get(2), 1e-12);
        assertEquals(-0.05, e.predictedGap(), 1e-12);
        assertEquals(2, r.actualScores().size());
        assertEquals(1 - 0.7 * 0.15 + 1e-3, r.actualScores().get(0).get(0), 1e-12);
        assertEquals(List.of("2", "4", "verified", "[2, 3]"), r.fields().subList(0, 4));
    }

    @Test
    void aSetThatOvertakesAtOnceTakesOneRound() {
        TrueModel m = new TrueModel(1.0);
        VerifyAndResume.Result r = VerifyAndResume.run(first(), 3, m);
        assertEquals(VerifyAndResume.Outcome.VERIFIED, r.outcome());
        assertEquals(1, r.rounds().size());
        assertEquals(List.of(List.of(0, 1)), m.retrained);
    }

    @Test
    void theSearchStopsAtTheRoundLimit() {
        // f = 0.1: round 1 {0, 1} measures 0.089; round 2 adds 0.04, 0.03, 0.02 (−0.001) and
        // measures 1 − 0.1·0.2 − 0.9 = 0.08: refuted, and the limit of 2 rounds is reached
        TrueModel m = new TrueModel(0.1);
        VerifyAndResume.Result r = VerifyAndResume.run(first(), 2, m);
        assertEquals(VerifyAndResume.Outcome.ROUND_LIMIT, r.outcome());
        assertEquals(List.of(List.of(0, 1), List.of(0, 1, 2, 3, 4)), m.retrained);
        assertEquals(List.of(0, 1, 2, 3, 4), r.search().orElseThrow().actions());
        assertEquals(4, r.retrainsUsed());
        assertEquals("round-limit", r.fields().get(2));
    }

    @Test
    void aRefutedSetWhoseSearchCannotContinueIsExhausted() {
        // with more rounds allowed, after {0..4} only action 5 is left, and its δ is negative
        TrueModel m = new TrueModel(0.1);
        VerifyAndResume.Result r = VerifyAndResume.run(first(), 10, m);
        assertEquals(VerifyAndResume.Outcome.EXHAUSTED, r.outcome());
        assertEquals(2, r.rounds().size());
        assertEquals(5, r.search().orElseThrow().taken());
    }

    @Test
    void oneRoundOnlyVerifiesTheFirstSet() {
        TrueModel m = new TrueModel(0.7);
        VerifyAndResume.Result r = VerifyAndResume.run(first(), 1, m);
        assertEquals(VerifyAndResume.Outcome.ROUND_LIMIT, r.outcome());
        assertEquals(List.of(List.of(0, 1)), m.retrained);
    }

    @Test
    void noSetMeansNoRetrain() {
        TrueModel m = new TrueModel(0.7);
        VerifyAndResume.Result r = VerifyAndResume.run(Optional.empty(), 3, m);
        assertEquals(VerifyAndResume.Outcome.NONE, r.outcome());
        assertTrue(m.retrained.isEmpty());
        assertEquals(List.of("0", "0", "none", "[]", "[]"), r.fields());
    }

    @Test
    void aNonFiniteRetrainedScoreIsAnError() {
        DataException e =
                assertThrows(
                        DataException.class,
                        () ->
                                VerifyAndResume.run(
                                        first(), 3, s -> List.of(List.of(Double.NaN, 0.9, 0.5))));
        assertTrue(e.getMessage().contains("user 3"), e.getMessage());
    }

    @Test
    void statsCountTheRowsOfAVerifiedFile() {
        List<ExplanationRow> rows = new ArrayList<>();
        rows.add(row(1, List.of(5), "2", "4", "verified"));
        rows.add(row(2, List.of(5, 6), "3", "6", "round-limit"));
        rows.add(row(3, List.of(), "0", "0", "none"));
        rows.add(row(4, List.of(7), "1", "2", "exhausted"));
        VerifyAndResume.Stats s = VerifyAndResume.Stats.of(rows);
        assertEquals(new VerifyAndResume.Stats(4, 3, 1, 1, 1, 6, 12), s);
        assertEquals(4.0, s.retrainsPerFound(), 1e-12);
        assertEquals(25.0, s.verifiedPercentage(), 1e-12);
        assertThrows(
                DataException.class,
                () ->
                        VerifyAndResume.Stats.of(
                                List.of(
                                        new ExplanationRow(
                                                1,
                                                10,
                                                List.of(10, 11),
                                                List.of(),
                                                List.of(),
                                                -1,
                                                List.of(),
                                                List.of()))));
    }

    private static ExplanationRow row(
            int user, List<Integer> set, String rounds, String retrains, String outcome) {
        return new ExplanationRow(
                user,
                10,
                List.of(10, 11),
                set,
                List.of(),
                set.isEmpty() ? -1 : 11,
                List.of(),
                List.of(),
                Map.of(
                        "verify_rounds", rounds,
                        "verify_retrains", retrains,
                        "verify_outcome", outcome,
                        "verify_sizes", "[]",
                        "verify_gaps", "[]"));
    }
}
