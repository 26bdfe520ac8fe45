package io.accent.api;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Everything {@link AccentModel#explain} found for one user: the influences it was computed from,
 * and per algorithm and k an explanation, or none where the algorithm finds no counterfactual set.
 * Immutable.
 *
 * @param user the user's raw id
 * @param influence the influence estimates the explanations were found from
 * @param byAlgorithm algorithm name → k → explanation; iteration follows the order of the
 *     algorithms and ks requested
 */
public record UserExplanations(
        int user,
        Influence influence,
        Map<String, Map<Integer, Optional<Explanation>>> byAlgorithm) {

    /**
     * Copies the maps, keeping their order. Each component is described on the record.
     *
     * @param user see the record
     * @param influence see the record
     * @param byAlgorithm see the record
     */
    public UserExplanations {
        java.util.LinkedHashMap<String, Map<Integer, Optional<Explanation>>> copy =
                new java.util.LinkedHashMap<>();
        byAlgorithm.forEach(
                (a, byK) ->
                        copy.put(
                                a,
                                java.util.Collections.unmodifiableMap(
                                        new java.util.LinkedHashMap<>(byK))));
        byAlgorithm = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * The explanation of {@code algorithm} for {@code k}; empty when the algorithm found no
     * counterfactual set.
     *
     * @param algorithm an algorithm name given to {@link AccentModel#explain(int, java.util.Set,
     *     int...)}
     * @param k a k given to it
     * @return the explanation, or empty where the algorithm found none
     * @throws NoSuchElementException if the algorithm or k was not requested
     */
    public Optional<Explanation> get(String algorithm, int k) {
        Map<Integer, Optional<Explanation>> byK = byAlgorithm.get(algorithm);
        if (byK == null || !byK.containsKey(k)) {
            throw new NoSuchElementException(
                    "no result for algorithm '" + algorithm + "' and k = " + k + " was requested");
        }
        return byK.get(k);
    }

    /**
     * The explained recommendation.
     *
     * @return its raw id: the user's top item
     */
    public int recommendation() {
        return influence.targets().get(0);
    }
}
