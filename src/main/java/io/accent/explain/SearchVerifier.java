package io.accent.explain;

import io.accent.influence.UserInfluence;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks ACCENT's explanations once its search stops, and may continue the search (ACCENT+ verify
 * and resume, docs/SPEC.md §11.3). {@link ExplanationRun} hands it every stopped search and writes
 * what it returns: the final set, its retrained scores as {@code actual_scores_0..R−1} and {@code
 * actual_scores_avg} (the columns {@code evaluate} writes), then the verifier's own {@link
 * #columns()}. Implemented outside this package, by retraining ({@code io.accent.evaluate}).
 */
public interface SearchVerifier {

    /** R, retrains per set: the rows get {@code actual_scores_0..R−1} and their mean. */
    int retrains();

    /** The columns written after {@code actual_scores_avg}, in order. */
    List<String> columns();

    /**
     * Called for each result file before any row is appended to it.
     *
     * @param hasRows whether the file already holds rows (of an interrupted earlier run)
     * @throws io.accent.core.RecsysException if the file's rows were verified otherwise
     */
    void claim(Path file, boolean hasRows);

    /**
     * Verifies the set of {@code search} for the user of {@code in} and top-k length {@code k}, and
     * continues the search while verification refutes it.
     *
     * @param search the stopped search, or empty when ACCENT found no set
     */
    Verified verify(UserInfluence in, int k, Optional<AccentSearch> search);

    /**
     * What a row records.
     *
     * @param explanation the final set (the last one verified), or empty when there is none
     * @param actualScores the final set's retrained scores of the top-k items, one list per
     *     retrain; empty without a set
     * @param fields the values of {@link #columns()}
     */
    record Verified(
            Optional<CounterfactualExplanation> explanation,
            List<List<Double>> actualScores,
            List<String> fields) {
        public Verified {
            actualScores = actualScores.stream().map(List::copyOf).toList();
            fields = List.copyOf(fields);
            if (explanation.isPresent() == actualScores.isEmpty()) {
                throw new IllegalArgumentException(
                        "a verified row has retrained scores exactly when it has a set");
            }
        }
    }
}
