package io.accent.evaluate;

import io.accent.explain.ExplanationRow;
import java.util.ArrayList;
import java.util.List;

/** Hand-made result rows with k = 3, top list [10, 11, 12] and replacement 11. */
final class ResultRows {

    private ResultRows() {}

    static final List<Integer> TOP = List.of(10, 11, 12);

    /** A row without a counterfactual set. */
    static ExplanationRow none(int user) {
        return new ExplanationRow(user, 10, TOP, List.of(), List.of(), -1, List.of(), List.of());
    }

    /** A row with a set of {@code size} items (20, 21, ...) that was not retrained. */
    static ExplanationRow unverified(int user, int size) {
        return new ExplanationRow(
                user, 10, TOP, set(size), List.of(0.4, 0.6, 0.1), 11, List.of(), List.of());
    }

    /**
     * A verified row with a set of {@code size} items: retrained mean scores [0.3, 0.5, 0.2] when
     * it succeeds, [0.5, 0.3, 0.2] when it does not; predicted scores [0.4, 0.6, 0.1].
     */
    static ExplanationRow verified(int user, int size, boolean success) {
        List<Double> avg = success ? List.of(0.3, 0.5, 0.2) : List.of(0.5, 0.3, 0.2);
        return new ExplanationRow(
                user,
                10,
                TOP,
                set(size),
                List.of(0.4, 0.6, 0.1),
                11,
                List.of(avg, avg, avg, avg, avg),
                avg);
    }

    static List<Integer> set(int size) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            s.add(20 + i);
        }
        return s;
    }
}
