package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.influence.UserInfluence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry and the argument checks every explainer shares. */
class ExplainersTest {

    @Test
    void namesAndFileIds() {
        assertEquals(
                List.of("accent", "fia", "pure-fia", "accent-ova", "pure-att", "attention"),
                Explainers.names());
        List<String> ids =
                List.of("accent", "fia", "pure_fia", "accent_ova", "pure_att", "attention");
        for (int i = 0; i < ids.size(); i++) {
            Explainer e = Explainers.byName(Explainers.names().get(i));
            assertEquals(Explainers.names().get(i), e.name());
            assertEquals(ids.get(i), e.fileId());
            assertEquals(ids.get(i) + "_10.csv", ExplanationFile.fileName(e, 10));
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> Explainers.byName("gap_red"));
        assertTrue(e.getMessage().contains("'gap_red'"), e.getMessage());
        assertTrue(
                e.getMessage().contains("accent, fia, pure-fia, accent-ova, pure-att, attention"),
                e.getMessage());
    }

    @Test
    void rejectsBadK() {
        UserInfluence in =
                Cases.of(new double[] {1.0, 0.5, 0.25}, new double[][] {{0.5}, {0}, {0}});
        for (String name : Explainers.names()) {
            Explainer e = Explainers.byName(name);
            assertThrows(ConfigException.class, () -> e.explain(in, 1), name);
            assertThrows(ConfigException.class, () -> e.explain(in, 4), name);
            assertThrows(ConfigException.class, () -> e.explainAll(in, new int[] {2, 2}), name);
            assertThrows(ConfigException.class, () -> e.explainAll(in, new int[0]), name);
            assertThrows(ConfigException.class, () -> e.explainAll(in, new int[] {2, 5}), name);
        }
    }

    @Test
    void rejectsNonFiniteInputs() {
        UserInfluence nan =
                Cases.of(new double[] {1.0, 0.5, 0.25}, new double[][] {{0.5}, {Double.NaN}, {0}});
        for (String name : Explainers.names()) {
            Explainer e = Explainers.byName(name);
            if (e.needsRemovalScores()) {
                continue; // the attention baselines read no influences
            }
            DataException x = assertThrows(DataException.class, () -> e.explain(nan, 3), name);
            assertTrue(x.getMessage().contains("user 7"), x.getMessage());
            // rows beyond k are not used and not checked
            e.explain(
                    Cases.of(
                            new double[] {1.0, 0.5, Double.NaN}, new double[][] {{0.75}, {0}, {0}}),
                    2);
        }
    }
}
