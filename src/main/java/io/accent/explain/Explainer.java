package io.accent.explain;

import io.accent.influence.RemovalScores;
import io.accent.influence.UserInfluence;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a counterfactual explanation for one user's recommendation from the additive influence
 * estimate {@code ŝ_k(X) = s_k − Σ_{z∈X} influence[k][z]} (docs/SPEC.md §6).
 *
 * <p>Implementations are obtained by name from {@link Explainers}. They are stateless and safe to
 * share between threads.
 */
public interface Explainer {

    /**
     * Registry name, as accepted by {@link Explainers#byName(String)} (for example {@code
     * pure-fia}).
     */
    String name();

    /**
     * Algorithm id used in the reference's result-file names {@code {fileId}_{k}.csv} (for example
     * {@code pure_fia}); see {@link ExplanationFile#fileName(Explainer, int)}.
     */
    String fileId();

    /**
     * Explains {@code in.topItems()[0]} using only the first {@code k} items of the top list (the
     * replacement is one of ranks {@code 1..k−1}).
     *
     * @return the explanation, or empty when the algorithm finds no counterfactual set
     * @throws io.accent.core.ConfigException if {@code k < 2} or {@code k > in.topK()}
     * @throws io.accent.core.DataException if a score or influence value in the first {@code k}
     *     rows is not finite
     */
    Optional<CounterfactualExplanation> explain(UserInfluence in, int k);

    /**
     * Explains for several values of k. The result iterates in the order of {@code ks}, and its
     * entry for {@code k} equals {@link #explain(UserInfluence, int) explain(in, k)}.
     *
     * @throws io.accent.core.ConfigException if {@code ks} is empty, repeats a value, or holds an
     *     invalid k
     */
    default Map<Integer, Optional<CounterfactualExplanation>> explainAll(
            UserInfluence in, int[] ks) {
        Estimates.checkKs(in, ks);
        Map<Integer, Optional<CounterfactualExplanation>> out = new LinkedHashMap<>();
        for (int k : ks) {
            out.put(k, explain(in, k));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Whether the algorithm works on real forward passes with actions removed ({@link
     * RemovalScores}) rather than on the influence estimate: the attention baselines of §6.3, which
     * need an RCF model.
     */
    default boolean needsRemovalScores() {
        return false;
    }

    /**
     * Explains with real forward passes available; algorithms that use only the influence estimate
     * ignore {@code removal}.
     */
    default Optional<CounterfactualExplanation> explain(
            UserInfluence in, RemovalScores removal, int k) {
        return explain(in, k);
    }

    /** {@link #explainAll(UserInfluence, int[])} with real forward passes available. */
    default Map<Integer, Optional<CounterfactualExplanation>> explainAll(
            UserInfluence in, RemovalScores removal, int[] ks) {
        return explainAll(in, ks);
    }
}
