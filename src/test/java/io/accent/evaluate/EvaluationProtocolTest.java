package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.explain.ExplanationRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol record beside evaluated result files, without a model. */
class EvaluationProtocolTest {

    @TempDir Path tmp;

    static final EvaluationProtocol P =
            new EvaluationProtocol("ncf", "ab".repeat(32), 5, "steps", 100);
    static final EvaluationProtocol Q =
            new EvaluationProtocol("ncf", "ab".repeat(32), 5, "steps", 10);

    @Test
    void describesAndRecordsBesideTheFile() {
        Path f = tmp.resolve("accent_5.csv");
        assertEquals(tmp.resolve("accent_5.protocol.json"), EvaluationProtocol.sidecar(f));
        assertEquals("ncf model abababababababab, 5 retrains of 100 steps", P.describe());
        assertEquals(
                "rcf model abababababababab, 1 retrain of 50 epochs",
                new EvaluationProtocol("rcf", "ab".repeat(32), 1, "epochs", 50).describe());
        assertEquals(Optional.empty(), EvaluationProtocol.recorded(f));
        P.record(List.of(f));
        assertEquals(Optional.of(P), EvaluationProtocol.recorded(f));
    }

    @Test
    void eachUnitIsReadBackAsRecorded() {
        for (String unit : List.of("steps", "epochs", "iterations")) {
            Path f = tmp.resolve("accent_" + unit + ".csv");
            EvaluationProtocol p = new EvaluationProtocol("als", "cd".repeat(32), 2, unit, 10);
            p.record(List.of(f));
            assertEquals(Optional.of(p), EvaluationProtocol.recorded(f));
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> new EvaluationProtocol("x", "cd".repeat(32), 1, "hours", 1));
    }

    @Test
    void onlyAPartialRunOnRowsOfAnotherOrAnUnknownProtocolIsRefused() {
        Path f = tmp.resolve("accent_5.csv");
        Map<Path, List<ExplanationRow>> evaluated =
                Map.of(f, List.of(ResultRows.verified(1, 2, true), ResultRows.none(2)));
        Map<Path, List<ExplanationRow>> fresh =
                Map.of(f, List.of(ResultRows.unverified(1, 2), ResultRows.none(2)));
        // unknown protocol
        ConfigException unknown =
                assertThrows(ConfigException.class, () -> P.requireCompatible(evaluated, false));
        assertTrue(unknown.getMessage().contains("unknown protocol"), unknown.getMessage());
        P.requireCompatible(evaluated, true);
        P.requireCompatible(fresh, false);
        // another protocol
        P.record(List.of(f));
        ConfigException other =
                assertThrows(ConfigException.class, () -> Q.requireCompatible(evaluated, false));
        assertTrue(
                other.getMessage().contains(P.describe())
                        && other.getMessage().contains(Q.describe()),
                other.getMessage());
        Q.requireCompatible(evaluated, true);
        Q.requireCompatible(fresh, false);
        P.requireCompatible(evaluated, false);
    }

    @Test
    void aRecordOfAnotherProtocolIsRemovedBeforeTheFileIsRewritten() throws Exception {
        Path f = tmp.resolve("accent_5.csv");
        Path g = tmp.resolve("fia_5.csv");
        P.record(List.of(f, g));
        assertEquals(List.of(), P.unrecord(List.of(f, g)));
        assertTrue(Files.exists(EvaluationProtocol.sidecar(f)));
        // a run of Q killed after unrecord leaves no record, i.e. an unknown protocol
        assertEquals(List.of(f, g), Q.unrecord(List.of(f, g)));
        assertFalse(Files.exists(EvaluationProtocol.sidecar(f)));
        assertFalse(Files.exists(EvaluationProtocol.sidecar(g)));
        Q.record(List.of(f, g));
        assertEquals(Optional.of(Q), EvaluationProtocol.recorded(g));
    }

    @Test
    void aMalformedRecordIsADataErrorNamingIt() throws Exception {
        Path f = tmp.resolve("accent_5.csv");
        Files.writeString(EvaluationProtocol.sidecar(f), "{\"format\": 1, \"family\": \"ncf\"}");
        DataException e = assertThrows(DataException.class, () -> EvaluationProtocol.recorded(f));
        assertTrue(
                e.getMessage().startsWith(EvaluationProtocol.sidecar(f).toString()),
                e.getMessage());
        // a run that rewrites the file replaces it
        assertEquals(List.of(f), P.unrecord(List.of(f)));
        P.record(List.of(f));
        assertEquals(Optional.of(P), EvaluationProtocol.recorded(f));
    }
}
