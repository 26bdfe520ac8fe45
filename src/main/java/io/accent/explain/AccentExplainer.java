package io.accent.explain;

import io.accent.influence.UserInfluence;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * far when {@code c + 1 == k} (§6.6), which gives the same answers as separate calls. The search
 * itself is {@link AccentSearch}, which can also be continued after it stops (§11.3).
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
        Map<Integer, Optional<CounterfactualExplanation>> out = new LinkedHashMap<>();
        AccentSearch.searchAll(in, ks)
                .forEach((k, s) -> out.put(k, s.map(AccentSearch::explanation)));
        return Collections.unmodifiableMap(out);
    }
}
