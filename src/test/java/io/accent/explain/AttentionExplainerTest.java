package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.influence.RemovalScores;
import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The attention baselines (docs/SPEC.md §6.3) on hand-made removal models. */
class AttentionExplainerTest {

    private static final Explainer PURE = Explainers.byName("pure-att");
    private static final Explainer GREEDY = Explainers.byName("attention");

    /**
     * A removal model: new score of top item k without set X = scores[k] − Σ_{j∈X} drop[k][j] +
     * pair·(|X| choose 2)·k (a non-additive term), and counts the sets it scores.
     */
    private static final class Fake implements RemovalScores {
        final double[] scores;
        final double[][] drop;
        final double[] weights;
        final double pair;
        int sets;

        Fake(double[] scores, double[][] drop, double[] weights, double pair) {
            this.scores = scores;
            this.drop = drop;
            this.weights = weights;
            this.pair = pair;
        }

        @Override
        public int[] topItems() {
            int[] t = new int[scores.length];
            for (int k = 0; k < t.length; k++) {
                t[k] = Cases.topItem(k);
            }
            return t;
        }

        @Override
        public double[] attentionWeights() {
            return weights.clone();
        }

        @Override
        public double[][] scoresWithout(List<int[]> xs, int k) {
            double[][] out = new double[xs.size()][k];
            for (int s = 0; s < xs.size(); s++) {
                int[] x = xs.get(s);
                assertEquals(
                        x.length, Arrays.stream(x).distinct().count(), "a set repeats an action");
                for (int j = 0; j < k; j++) {
                    double v = scores[j] + pair * x.length * (x.length - 1) / 2.0 * j;
                    for (int z : x) {
                        v -= drop[j][z];
                    }
                    out[s][j] = v;
                }
                sets++;
            }
            return out;
        }

        UserInfluence influence() {
            // the attention baselines read only the top list, the scores and the actions
            return Cases.of(scores, new double[scores.length][weights.length]);
        }
    }

    /** scores 10, 9, 8; weights order the actions 1, 2, 3, 0. */
    private static Fake handMade() {
        double[][] drop = {
            {0.2, 0.5, -0.5, 1.0}, // rec: action 2 raises it
            {0, 0, 0, 0},
            {0, 0, 0, -2.0}, // action 3 raises item 102 by 2
        };
        return new Fake(new double[] {10, 9, 8}, drop, new double[] {0.1, 0.4, 0.3, 0.2}, 0);
    }

    @Test
    void pureAttentionAddsInWeightOrderWithoutAnAcceptanceTest() {
        Fake f = handMade();
        Map<Integer, Optional<CounterfactualExplanation>> r =
                PURE.explainAll(f.influence(), f, new int[] {2, 3});
        // k = 3: {1}: 9.5 9 8; {1,2}: 10 9 8; {1,2,3}: 9 9 10 -> replacement 102, gap -1
        CounterfactualExplanation k3 = r.get(3).orElseThrow();
        assertEquals(List.of(201, 202, 203), k3.removed());
        assertEquals(102, k3.replacement());
        assertEquals(-1.0, k3.predictedGap(), 1e-12);
        assertEquals(List.of(9.0, 9.0, 10.0), k3.predictedScores());
        // k = 2: {1,2,3}: 9 9, gap 0 is not < 0; {1,2,3,0}: 8.8 9
        CounterfactualExplanation k2 = r.get(2).orElseThrow();
        assertEquals(List.of(201, 202, 203, 200), k2.removed());
        assertEquals(101, k2.replacement());
        assertEquals(-0.2, k2.predictedGap(), 1e-12);
        assertEquals(PURE.explain(f.influence(), f, 3), r.get(3));
    }

    @Test
    void attentionKeepsOnlyItemsThatShrinkTheGap() {
        Fake f = handMade();
        // initial gap 10 - 9 = 1; {1}: 0.5 kept; {1,2}: 1.0 put back; {1,3}: 8.5 9 10 -> kept,
        // success
        CounterfactualExplanation k3 = GREEDY.explain(f.influence(), f, 3).orElseThrow();
        assertEquals(List.of(201, 203), k3.removed());
        assertEquals(102, k3.replacement());
        assertEquals(-1.5, k3.predictedGap(), 1e-12);
        assertEquals(List.of(8.5, 9.0, 10.0), k3.predictedScores());
        CounterfactualExplanation k2 = GREEDY.explain(f.influence(), f, 2).orElseThrow();
        assertEquals(List.of(201, 203), k2.removed());
        assertEquals(101, k2.replacement());
        assertEquals(-0.5, k2.predictedGap(), 1e-12);
    }

    @Test
    void noSetWhenEveryRemovalRaisesTheRecommendation() {
        double[][] drop = {{-1, -1, -1}, {0, 0, 0}};
        Fake f = new Fake(new double[] {5, 4}, drop, new double[] {1, 2, 3}, 0);
        assertTrue(PURE.explain(f.influence(), f, 2).isEmpty());
        assertTrue(GREEDY.explain(f.influence(), f, 2).isEmpty());
    }

    @Test
    void theyNeedRealForwardPasses() {
        Fake f = handMade();
        assertTrue(PURE.needsRemovalScores());
        assertTrue(GREEDY.needsRemovalScores());
        assertThrows(ConfigException.class, () -> PURE.explain(f.influence(), 3));
        assertThrows(ConfigException.class, () -> GREEDY.explainAll(f.influence(), new int[] {3}));
    }

    /**
     * The batched attention loop equals the one-at-a-time loop of §6.3 on random removal models.
     */
    @Test
    void batchedAttentionEqualsTheOneAtATimeLoop() {
        Random r = new Random(5);
        for (int trial = 0; trial < 300; trial++) {
            int k = 2 + r.nextInt(5);
            int n = 1 + r.nextInt(30);
            double[] scores = new double[k];
            double s = 10;
            for (int j = 0; j < k; j++) {
                s -= r.nextDouble();
                scores[j] = s;
            }
            double[][] drop = new double[k][n];
            for (double[] row : drop) {
                for (int z = 0; z < n; z++) {
                    row[z] = r.nextGaussian() * 0.4;
                }
            }
            double[] w = new double[n];
            for (int z = 0; z < n; z++) {
                w[z] = r.nextInt(4); // ties are ordered by action index
            }
            Fake f = new Fake(scores, drop, w, r.nextGaussian() * 0.01);
            Optional<CounterfactualExplanation> got = GREEDY.explain(f.influence(), f, k);
            Optional<CounterfactualExplanation> want = oneAtATime(f, k);
            assertEquals(
                    want.map(CounterfactualExplanation::removed),
                    got.map(CounterfactualExplanation::removed),
                    "trial " + trial);
            assertEquals(
                    want.map(CounterfactualExplanation::replacement),
                    got.map(CounterfactualExplanation::replacement),
                    "trial " + trial);
        }
    }

    private static Optional<CounterfactualExplanation> oneAtATime(Fake f, int k) {
        int n = f.weights.length;
        Integer[] order = new Integer[n];
        for (int z = 0; z < n; z++) {
            order[z] = z;
        }
        Arrays.sort(
                order,
                (a, b) ->
                        f.weights[a] != f.weights[b]
                                ? Double.compare(f.weights[b], f.weights[a])
                                : Integer.compare(a, b));
        List<Integer> x = new ArrayList<>();
        double gap = f.scores[0] - f.scores[1];
        double[] best = null;
        int repl = -1;
        for (int z : order) {
            List<Integer> t = new ArrayList<>(x);
            t.add(z);
            double[] now =
                    f.scoresWithout(List.of(t.stream().mapToInt(Integer::intValue).toArray()), k)[
                            0];
            int rr = 1;
            for (int j = 2; j < k; j++) {
                if (now[j] > now[rr]) {
                    rr = j;
                }
            }
            double g = now[0] - now[rr];
            if (g < gap) {
                x = t;
                gap = g;
                best = now;
                repl = rr;
                if (gap < 0) {
                    break;
                }
            }
        }
        if (!(gap < 0)) {
            return Optional.empty();
        }
        List<Double> ps = new ArrayList<>();
        for (double v : best) {
            ps.add(v);
        }
        List<Integer> top = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            top.add(Cases.topItem(j));
        }
        return Optional.of(
                new CounterfactualExplanation(
                        Cases.USER,
                        top,
                        x.stream().map(Cases::actionItem).toList(),
                        Cases.topItem(repl),
                        ps,
                        gap));
    }
}
