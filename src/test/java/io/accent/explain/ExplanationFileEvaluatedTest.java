package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files rewritten with the evaluation columns (docs/SPEC.md §8): text and round trip. */
class ExplanationFileEvaluatedTest {

    @TempDir Path dir;

    @Test
    void evaluationColumnsAreWrittenAndReadBack() throws IOException {
        ExplanationRow found =
                new ExplanationRow(
                        7,
                        10,
                        List.of(10, 20),
                        List.of(40, 30),
                        List.of(1.5, 0.25),
                        20,
                        List.of(List.of(1.0, 0.5), List.of(0.75, 0.25)),
                        List.of(0.875, 0.375));
        // no set; one retrain only (the second column stays empty); no average
        ExplanationRow none =
                new ExplanationRow(
                        8,
                        11,
                        List.of(11, 12),
                        List.of(),
                        List.of(),
                        -1,
                        List.of(List.of(2.0, 1.0)),
                        List.of());
        Path f = dir.resolve("accent_2.csv");
        ExplanationFile.writeEvaluated(f, List.of(found, none), 2);
        List<String> lines = Files.readAllLines(f);
        assertEquals(
                "user,item,topk,counterfactual,predicted_scores,replacement,"
                        + "actual_scores_0,actual_scores_1,actual_scores_avg",
                lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(
                lines.get(1)
                        .startsWith(
                                "7,10,\"[10, 20]\",\"{40, 30}\",\"[1.5, 0.25]\",20,\"[1.0, 0.5]\","
                                        + "\"[0.75, 0.25]\",\"[0.875, 0.375]\""),
                lines.get(1));
        assertTrue(
                lines.get(2).startsWith("8,11,\"[11, 12]\",,,-1,\"[2.0, 1.0]\",,"), lines.get(2));
        List<ExplanationRow> back = ExplanationFile.read(f);
        assertEquals(
                List.of(
                        found,
                        new ExplanationRow(
                                8,
                                11,
                                List.of(11, 12),
                                List.of(),
                                List.of(),
                                -1,
                                List.of(List.of(2.0, 1.0), List.of()),
                                List.of())),
                back);
    }
}
