package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invariants and rendering of {@link CounterfactualExplanation}. */
class CounterfactualExplanationTest {

    private static final Map<Integer, String> TITLES =
            Map.of(1, "Heat", 2, "Alien", 3, "Fargo", 4, "Babe", 10, "Toy Story", 11, "Casino");

    private static CounterfactualExplanation of(List<Integer> removed) {
        return new CounterfactualExplanation(
                7, List.of(10, 11), removed, 11, List.of(0.25, 0.5), -0.25);
    }

    @Test
    void sentence() {
        assertEquals(
                "Had you not rated Heat, you would have been recommended Casino instead of Toy"
                        + " Story.",
                of(List.of(1)).sentence(TITLES::get));
        assertEquals(
                "Had you not rated Heat and Alien, you would have been recommended Casino instead"
                        + " of Toy Story.",
                of(List.of(1, 2)).sentence(TITLES::get));
        assertEquals(
                "Had you not rated Heat, Alien, Fargo and Babe, you would have been recommended"
                        + " Casino instead of Toy Story.",
                of(List.of(1, 2, 3, 4)).sentence(TITLES::get));
    }

    @Test
    void derivedValues() {
        CounterfactualExplanation e = of(List.of(2, 1));
        assertEquals(2, e.k());
        assertEquals(10, e.recommendation());
        assertEquals(1, e.replacementRank());
    }

    @Test
    void copiesItsLists() {
        List<Integer> removed = new ArrayList<>(List.of(1, 2));
        CounterfactualExplanation e = of(removed);
        removed.add(3);
        assertEquals(List.of(1, 2), e.removed());
        assertThrows(UnsupportedOperationException.class, () -> e.removed().add(4));
    }

    @Test
    void checksInvariants() {
        List<Integer> top = List.of(10, 11);
        List<Double> scores = List.of(0.25, 0.5);
        assertThrows(
                IllegalArgumentException.class,
                () -> new CounterfactualExplanation(7, top, List.of(), 11, scores, -0.25));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CounterfactualExplanation(7, top, List.of(1), 10, scores, -0.25));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CounterfactualExplanation(7, top, List.of(1), 12, scores, -0.25));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CounterfactualExplanation(7, top, List.of(1), 11, List.of(0.25), -0.25));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CounterfactualExplanation(7, top, List.of(1), 11, scores, 0.0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CounterfactualExplanation(7, top, List.of(1), 11, scores, Double.NaN));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new CounterfactualExplanation(
                                7, List.of(10), List.of(1), 11, List.of(0.25), -0.25));
        assertThrows(
                NullPointerException.class,
                () -> new CounterfactualExplanation(7, top, null, 11, scores, -0.25));
    }
}
