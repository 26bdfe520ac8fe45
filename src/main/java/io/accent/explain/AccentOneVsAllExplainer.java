package io.accent.explain;

import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One-vs-all ACCENT (docs/SPEC.md §6.5, a definition inferred there since the reference has none):
 * greedily adds, among the actions not yet added, the one whose removal gives the smallest {@code
 * g(X) = ŝ_0(X) − max_{k≥1} ŝ_k(X)} (equal values: the lower action index), and stops as soon as
 * {@code g < 0}; the replacement is the first maximal item among ranks 1..k−1.
 *
 * <p>Stopping rule for failure (this class's choice): the search fails when no remaining action
 * strictly decreases g, or when every action has been added.
 */
final class AccentOneVsAllExplainer implements Explainer {

    static final String NAME = "accent-ova";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileId() {
        return "accent_ova";
    }

    @Override
    public Optional<CounterfactualExplanation> explain(UserInfluence in, int k) {
        Estimates.checkK(in, k);
        Estimates.checkFinite(in, k);
        int n = in.actionCount();
        double[] cur = Estimates.scores(in, k);
        double g = cur[0] - cur[Estimates.argmaxFromOne(cur)];
        boolean[] used = new boolean[n];
        List<Integer> added = new ArrayList<>();
        while (added.size() < n) {
            int bestZ = -1;
            double bestG = Double.POSITIVE_INFINITY;
            for (int z = 0; z < n; z++) {
                if (!used[z]) {
                    double nextG = gapWithout(in, cur, z);
                    if (bestZ < 0 || nextG < bestG) {
                        bestZ = z;
                        bestG = nextG;
                    }
                }
            }
            if (!(bestG < g)) {
                return Optional.empty(); // no remaining action decreases g
            }
            used[bestZ] = true;
            added.add(bestZ);
            cur = Estimates.minusAction(in, cur, bestZ);
            g = bestG;
            if (g < 0) {
                int repl = Estimates.argmaxFromOne(cur);
                return Optional.of(
                        Estimates.explanation(in, k, added, repl, cur, cur[0] - cur[repl]));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code g} after also removing action {@code z}: the same arithmetic as on the score vector.
     */
    private static double gapWithout(UserInfluence in, double[] cur, int z) {
        double best = cur[1] - in.influence(1, z);
        for (int j = 2; j < cur.length; j++) {
            double s = cur[j] - in.influence(j, z);
            if (s > best) {
                best = s;
            }
        }
        return (cur[0] - in.influence(0, z)) - best;
    }
}
