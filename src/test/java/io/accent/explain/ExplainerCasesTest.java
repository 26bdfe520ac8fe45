package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.influence.UserInfluence;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed answers for each algorithm. All numbers are dyadic (multiples of 1/8), so every sum
 * below is exact in double arithmetic and the expected values are compared exactly.
 */
class ExplainerCasesTest {

    private static final Explainer ACCENT = Explainers.byName("accent");
    private static final Explainer FIA = Explainers.byName("fia");
    private static final Explainer PURE_FIA = Explainers.byName("pure-fia");
    private static final Explainer OVA = Explainers.byName("accent-ova");

    private static void assertFound(
            Optional<CounterfactualExplanation> got,
            List<Integer> removed,
            int replacement,
            List<Double> predicted,
            double gap) {
        assertTrue(got.isPresent(), "expected an explanation");
        CounterfactualExplanation e = got.get();
        assertEquals(Cases.USER, e.user());
        assertEquals(removed, e.removed(), "removed");
        assertEquals(replacement, e.replacement(), "replacement");
        assertEquals(predicted, e.predictedScores(), "predicted scores");
        assertEquals(gap, e.predictedGap(), "predicted gap");
        assertEquals(predicted.size(), e.topK().size());
        for (int j = 0; j < predicted.size(); j++) {
            assertEquals(Cases.topItem(j), e.topK().get(j));
        }
    }

    /**
     * Gap 0.5 between rank 0 and rank 1; the best action (z1, 0.375) alone leaves 0.125, the second
     * (z0, 0.25) makes it −0.125. Every algorithm needs both.
     */
    @Test
    void gapThatNeedsTwoActions() {
        UserInfluence in =
                Cases.of(new double[] {1.0, 0.5}, new double[][] {{0.25, 0.375, 0.125}, {0, 0, 0}});
        for (Explainer e : List.of(ACCENT, FIA, PURE_FIA, OVA)) {
            assertFound(e.explain(in, 2), List.of(201, 200), 101, List.of(0.375, 0.5), -0.125);
        }
    }

    /**
     * δ = INF[0] − INF[1] = [0.25, −0.5]: after z0 the gap is 0.25, and ACCENT stops at the
     * negative δ of z1 (adding it would only widen the gap), so it fails.
     */
    @Test
    void accentStopsAtNegativeDelta() {
        UserInfluence in =
                Cases.of(new double[] {1.0, 0.5}, new double[][] {{0.25, 0.0}, {0.0, 0.5}});
        assertEquals(Optional.empty(), ACCENT.explain(in, 2));
        // with a third item: candidate 1 (gap 0.125, δ = [0.0625, −0.5]) stops at the negative δ
        // and fails; candidate 2 (gap 0.375, δ = [0.5, 0]) succeeds with z0 alone
        UserInfluence three =
                Cases.of(
                        new double[] {1.0, 0.875, 0.625},
                        new double[][] {{0.0625, 0.0}, {0.0, 0.5}, {-0.4375, 0.0}});
        assertFound(
                ACCENT.explain(three, 3),
                List.of(200),
                102,
                List.of(0.9375, 0.875, 1.0625),
                -0.125);
        assertEquals(Optional.empty(), ACCENT.explain(three, 2));
    }

    /**
     * Order by INF[0]: z0 (0.5), z2 (0.375), z1 (0.25), z3 (0.125). z0 also lowers rank 1 by 0.625,
     * so the gap grows to 0.625: FIA rejects it and succeeds with z2, z1. Pure FIA keeps z0 and
     * needs all four actions: gaps 0.625, 0.25, 0, −0.125.
     */
    @Test
    void fiaRejectsWhatPureFiaAccepts() {
        UserInfluence in =
                Cases.of(
                        new double[] {1.0, 0.5},
                        new double[][] {{0.5, 0.25, 0.375, 0.125}, {0.625, 0, 0, 0}});
        assertFound(FIA.explain(in, 2), List.of(202, 201), 101, List.of(0.375, 0.5), -0.125);
        assertFound(
                PURE_FIA.explain(in, 2),
                List.of(200, 202, 201, 203),
                101,
                List.of(-0.25, -0.125),
                -0.125);
        // ACCENT: δ = [−0.125, 0.25, 0.375, 0.125] → z2, z1
        assertFound(ACCENT.explain(in, 2), List.of(202, 201), 101, List.of(0.375, 0.5), -0.125);
        // one-vs-all: g after z0..z3 = 0.625, 0.25, 0.125, 0.375 → z2; then 0.25, −0.125, 0 → z1
        assertFound(OVA.explain(in, 2), List.of(202, 201), 101, List.of(0.375, 0.5), -0.125);
    }

    /**
     * FIA compares against the best other item at each step: here rank 2 overtakes once z0 is
     * removed although rank 1 is closer initially.
     */
    @Test
    void fiaRechoosesTheCompetitor() {
        UserInfluence in =
                Cases.of(new double[] {1.0, 0.875, 0.75}, new double[][] {{0.5}, {0.5}, {0.0}});
        assertFound(FIA.explain(in, 3), List.of(200), 102, List.of(0.5, 0.375, 0.75), -0.25);
        assertFound(PURE_FIA.explain(in, 3), List.of(200), 102, List.of(0.5, 0.375, 0.75), -0.25);
        assertEquals(Optional.empty(), FIA.explain(in, 2));
    }

    /**
     * Candidate 1 (gap 0.25) needs z0 and z1 (δ 0.1875, 0.125 → residual −0.0625); candidate 2 (gap
     * 0.5) needs only z2 (δ 0.625 → residual −0.125). ACCENT takes the smaller set although
     * candidate 1 ranks higher; with k = 2 only candidate 1 exists.
     */
    @Test
    void accentPrefersTheSmallerSet() {
        UserInfluence in =
                Cases.of(
                        new double[] {1.0, 0.75, 0.5},
                        new double[][] {{0.1875, 0.125, 0.0}, {0, 0, 0}, {0.1875, 0.125, -0.625}});
        assertFound(ACCENT.explain(in, 3), List.of(202), 102, List.of(1.0, 0.75, 1.125), -0.125);
        assertFound(ACCENT.explain(in, 2), List.of(200, 201), 101, List.of(0.6875, 0.75), -0.0625);
    }

    /** Both candidates need one action; candidate 2 wins by the larger margin (−0.25 vs −0.125). */
    @Test
    void accentPrefersTheLargerMarginOnEqualSizes() {
        UserInfluence in =
                Cases.of(
                        new double[] {1.0, 0.75, 0.5},
                        new double[][] {{0, 0}, {-0.375, 0}, {0, -0.75}});
        assertFound(ACCENT.explain(in, 3), List.of(201), 102, List.of(1.0, 0.75, 1.25), -0.25);
        // and the other way round: candidate 1's margin is larger, so it is kept
        UserInfluence other =
                Cases.of(
                        new double[] {1.0, 0.75, 0.5},
                        new double[][] {{0, 0}, {-0.5, 0}, {0, -0.625}});
        assertFound(ACCENT.explain(other, 3), List.of(200), 101, List.of(1.0, 1.25, 0.5), -0.25);
    }

    /** Equal sizes and exactly equal residuals (−0.25): the higher-ranked candidate wins. */
    @Test
    void accentTieGoesToTheHigherRankedCandidate() {
        UserInfluence in =
                Cases.of(
                        new double[] {1.0, 0.75, 0.5},
                        new double[][] {{0, 0}, {-0.5, 0}, {0, -0.75}});
        assertFound(ACCENT.explain(in, 3), List.of(200), 101, List.of(1.0, 1.25, 0.5), -0.25);
    }

    /** Equal δ values are taken in action order (lower index first). */
    @Test
    void equalInfluencesAreTakenInActionOrder() {
        UserInfluence in =
                Cases.of(
                        new double[] {1.0, 0.5}, new double[][] {{0.375, 0.375, 0.375}, {0, 0, 0}});
        for (Explainer e : List.of(ACCENT, FIA, PURE_FIA, OVA)) {
            assertFound(e.explain(in, 2), List.of(200, 201), 101, List.of(0.25, 0.5), -0.25);
        }
    }

    /** Nothing can close the gap, or there are no actions at all: every algorithm answers empty. */
    @Test
    void noSetFound() {
        UserInfluence weak =
                Cases.of(
                        new double[] {1.0, 0.5, 0.25},
                        new double[][] {{0.125, -0.25}, {0, 0}, {0, 0}});
        UserInfluence none =
                new UserInfluence(
                        Cases.USER,
                        new int[] {100, 101},
                        new double[] {1.0, 0.5},
                        new int[0],
                        new double[][] {{}, {}});
        UserInfluence zero = Cases.of(new double[] {1.0, 0.5}, new double[][] {{0, 0}, {0, 0}});
        for (Explainer e : List.of(ACCENT, FIA, PURE_FIA, OVA)) {
            assertEquals(Optional.empty(), e.explain(weak, 3), e.name());
            assertEquals(Optional.empty(), e.explain(none, 2), e.name());
            assertEquals(Optional.empty(), e.explain(zero, 2), e.name());
        }
    }

    /**
     * One-vs-all stops when no remaining action decreases g: z0 lowers g from 0.5 to 0.25, and z1
     * would raise it.
     */
    @Test
    void oneVsAllFailsWhenNothingDecreasesTheGap() {
        UserInfluence in =
                Cases.of(new double[] {1.0, 0.5}, new double[][] {{0.25, -0.125}, {0, 0}});
        assertEquals(Optional.empty(), OVA.explain(in, 2));
    }

    /**
     * One-vs-all picks the action with the largest decrease of g first, not the largest influence
     * on the recommendation: z0 (INF[0] = 0.5) also lowers rank 1, z1 (0.375) does not.
     */
    @Test
    void oneVsAllPicksTheLargestDecrease() {
        UserInfluence in =
                Cases.of(new double[] {1.0, 0.75}, new double[][] {{0.5, 0.375}, {0.375, 0.0}});
        // g after z0 = 0.125, after z1 = −0.125
        assertFound(OVA.explain(in, 2), List.of(201), 101, List.of(0.625, 0.75), -0.125);
        // pure FIA takes z0 first: gap 0.125, then z1: −0.25
        assertFound(PURE_FIA.explain(in, 2), List.of(200, 201), 101, List.of(0.125, 0.375), -0.25);
    }

    /** The multi-k result of one ACCENT pass equals separate runs, in the order of ks. */
    @Test
    void accentMultiKEqualsSeparateRuns() {
        UserInfluence in =
                Cases.of(
                        new double[] {1.0, 0.75, 0.5},
                        new double[][] {{0.1875, 0.125, 0.0}, {0, 0, 0}, {0.1875, 0.125, -0.625}});
        var all = ACCENT.explainAll(in, new int[] {3, 2});
        assertEquals(List.of(3, 2), List.copyOf(all.keySet()));
        assertEquals(ACCENT.explain(in, 3), all.get(3));
        assertEquals(ACCENT.explain(in, 2), all.get(2));
    }
}
