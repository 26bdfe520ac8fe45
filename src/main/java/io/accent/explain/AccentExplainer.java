package io.accent.explain;

import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ACCENT, pairwise (docs/SPEC.md §6.4). For each replacement candidate {@code c = 1..k−1} it orders
 * the actions by their influence on the gap {@code δ[z] = INF[0][z] − INF[c][z]}, largest first,
 * and adds them while {@code δ ≥ 0} (zero included) until the gap {@code s_0 − s_c − Σδ} is
 * negative. Among the successful candidates it keeps the smallest set; on equal sizes the more
 * negative residual gap; on exact ties the higher-ranked candidate (strict comparisons).
 *
 * <p>Equal δ values are taken in action order: the reference's {@code np.argsort(-δ)} is an
 * unstable quicksort whose order of equal values is not reproduced. The predicted scores subtract
 * the set's influences in ascending action order (the iteration order of a small CPython set of
 * ints); sums over large indices may therefore differ from the reference in the last bits.
 *
 * <p>{@link #explainAll} runs one pass over {@code c = 1..max(ks)−1} and snapshots the best set so
 * far when {@code c + 1 == k} (§6.6), which gives the same answers as separate calls.
 */
final class AccentExplainer implements Explainer {

    static final String NAME = "accent";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileId() {
        return "accent";
    }

    @Override
    public Optional<CounterfactualExplanation> explain(UserInfluence in, int k) {
        return explainAll(in, new int[] {k}).get(k);
    }

    @Override
    public Map<Integer, Optional<CounterfactualExplanation>> explainAll(
            UserInfluence in, int[] ks) {
        Estimates.checkKs(in, ks);
        int maxK = 0;
        for (int k : ks) {
            maxK = Math.max(maxK, k);
        }
        Estimates.checkFinite(in, maxK);
        boolean[] snapshot = new boolean[maxK + 1];
        for (int k : ks) {
            snapshot[k] = true;
        }
        Map<Integer, Optional<CounterfactualExplanation>> found = new HashMap<>();
        double[] rec = Estimates.row(in, 0);
        List<Integer> best = null;
        int bestRank = -1;
        double bestGap = Double.POSITIVE_INFINITY;
        for (int c = 1; c < maxK; c++) {
            double[] delta = new double[rec.length];
            for (int z = 0; z < delta.length; z++) {
                delta[z] = rec[z] - in.influence(c, z);
            }
            double gap = in.score(0) - in.score(c);
            List<Integer> set = new ArrayList<>();
            for (int z : Estimates.orderDescending(delta)) {
                if (delta[z] < 0) {
                    break;
                }
                set.add(z);
                gap -= delta[z];
                if (gap < 0) {
                    break;
                }
            }
            if (gap < 0
                    && !set.isEmpty()
                    && (best == null
                            || set.size() < best.size()
                            || (set.size() == best.size() && gap < bestGap))) {
                best = set;
                bestRank = c;
                bestGap = gap;
            }
            if (snapshot[c + 1]) {
                found.put(
                        c + 1,
                        best == null
                                ? Optional.empty()
                                : Optional.of(explanation(in, c + 1, best, bestRank, bestGap)));
            }
        }
        Map<Integer, Optional<CounterfactualExplanation>> out = new LinkedHashMap<>();
        for (int k : ks) {
            out.put(k, found.get(k));
        }
        return Collections.unmodifiableMap(out);
    }

    private static CounterfactualExplanation explanation(
            UserInfluence in, int k, List<Integer> set, int rank, double residual) {
        List<Integer> ascending = new ArrayList<>(set);
        Collections.sort(ascending);
        double[] predicted = Estimates.scores(in, k);
        for (int z : ascending) {
            for (int j = 0; j < k; j++) {
                predicted[j] -= in.influence(j, z);
            }
        }
        return Estimates.explanation(in, k, set, rank, predicted, residual);
    }
}
