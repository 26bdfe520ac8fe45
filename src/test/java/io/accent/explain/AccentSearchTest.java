package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ACCENT's search as a resumable state (SPEC §6.4, §11.3): its explanations are ACCENT's, and
 * {@link AccentSearch#resume} is the §6.4 loop continued over the same order, checked against a
 * plain re-implementation of that loop on seeded random cases.
 */
class AccentSearchTest {

    @Test
    void theStoppedSearchGivesAccentsExplanations() {
        SplittableRandom rnd = new SplittableRandom(11);
        Explainer accent = Explainers.byName("accent");
        for (int t = 0; t < 200; t++) {
            UserInfluence in = random(rnd, 8, 12);
            int[] ks = {3, 5, 8};
            Map<Integer, Optional<AccentSearch>> s = AccentSearch.searchAll(in, ks);
            Map<Integer, Optional<CounterfactualExplanation>> e = accent.explainAll(in, ks);
            for (int k : ks) {
                assertEquals(e.get(k), s.get(k).map(AccentSearch::explanation), "case " + t);
                s.get(k).ifPresent(x -> assertEquals(k, x.k()));
            }
        }
    }

    @Test
    void resumingContinuesTheLoopOverTheNextActions() {
        SplittableRandom rnd = new SplittableRandom(12);
        int resumed = 0;
        int exhausted = 0;
        for (int t = 0; t < 300; t++) {
            UserInfluence in = random(rnd, 6, 15);
            Optional<AccentSearch> s = AccentSearch.searchAll(in, new int[] {6}).get(6);
            if (s.isEmpty()) {
                continue;
            }
            AccentSearch a = s.get();
            double gap = rnd.nextDouble() * 0.5;
            // the loop of §6.4 written out: the same order, from the first action not taken
            int c = a.replacementRank();
            List<Integer> order = new ArrayList<>();
            for (int z : Estimates.orderDescending(delta(in, c))) {
                order.add(z);
            }
            List<Integer> want = new ArrayList<>(order.subList(0, a.taken()));
            assertEquals(want, a.actions());
            double g = gap;
            boolean closed = false;
            for (int z : order.subList(a.taken(), order.size())) {
                double d = in.influence(0, z) - in.influence(c, z);
                if (d < 0) {
                    break;
                }
                want.add(z);
                g -= d;
                if (g < 0) {
                    closed = true;
                    break;
                }
            }
            Optional<AccentSearch> r = a.resume(gap);
            assertEquals(closed, r.isPresent(), "case " + t);
            if (closed) {
                resumed++;
                assertEquals(want, r.get().actions(), "case " + t);
                assertEquals(c, r.get().replacementRank());
                // the residual stays the additive estimate over the whole set
                double est = in.score(0) - in.score(c);
                for (int z : want) {
                    est -= in.influence(0, z) - in.influence(c, z);
                }
                assertEquals(est, r.get().residual(), 1e-12);
                CounterfactualExplanation e = r.get().explanation();
                assertEquals(want.size(), e.removed().size());
                assertTrue(e.predictedGap() < 0);
            } else {
                exhausted++;
            }
        }
        assertTrue(resumed > 20 && exhausted > 20, resumed + " resumed, " + exhausted);
    }

    @Test
    void resumingNeedsAGapThatDidNotClose() {
        UserInfluence in =
                new UserInfluence(
                        1,
                        new int[] {5, 6},
                        new double[] {1.0, 0.9},
                        new int[] {7, 8},
                        new double[][] {{0.2, 0.05}, {0, 0}});
        AccentSearch s = AccentSearch.searchAll(in, new int[] {2}).get(2).orElseThrow();
        assertEquals(List.of(0), s.actions());
        assertTrue(s.canGrow());
        assertThrows(IllegalArgumentException.class, () -> s.resume(-0.1));
        assertThrows(IllegalArgumentException.class, () -> s.resume(Double.NaN));
        assertEquals(List.of(0, 1), s.resume(0.0).orElseThrow().actions());
        assertFalse(s.resume(0.0).orElseThrow().canGrow());
        assertTrue(s.resume(0.06).isEmpty());
    }

    private static double[] delta(UserInfluence in, int c) {
        double[] d = new double[in.actionCount()];
        for (int z = 0; z < d.length; z++) {
            d[z] = in.influence(0, z) - in.influence(c, z);
        }
        return d;
    }

    /** Scores descending from 1 with random steps; influences around 0, some of them tied. */
    private static UserInfluence random(SplittableRandom rnd, int k, int actions) {
        double[] scores = new double[k];
        double s = 1;
        for (int j = 0; j < k; j++) {
            scores[j] = s;
            s -= rnd.nextDouble() * 0.1;
        }
        double[][] inf = new double[k][actions];
        for (int j = 0; j < k; j++) {
            for (int z = 0; z < actions; z++) {
                inf[j][z] = rnd.nextInt(10) == 0 ? 0 : rnd.nextDouble(-0.05, 0.1);
            }
        }
        int[] top = new int[k];
        for (int j = 0; j < k; j++) {
            top[j] = 100 + j;
        }
        int[] act = new int[actions];
        for (int z = 0; z < actions; z++) {
            act[z] = 200 + z;
        }
        return new UserInfluence(3, top, scores, act, inf);
    }
}
