package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files: exact text, round trip, resume after a crash, header and row errors. */
class ExplanationFileTest {

    private static final IntUnaryOperator RAW_USER = u -> u + 1000;
    private static final IntUnaryOperator RAW_ITEM = i -> 10 * i;
    private static final String HEADER =
            "user,item,topk,counterfactual,predicted_scores,replacement\n";

    @TempDir Path dir;

    /** Users 0..4: even users have an explanation, odd users none. */
    private static Optional<CounterfactualExplanation> explanation(int user) {
        if (user % 2 == 1) {
            return Optional.empty();
        }
        List<Integer> removed = user == 0 ? List.of(50) : List.of(50 + user, 40, 41);
        return Optional.of(
                new CounterfactualExplanation(
                        user,
                        top(user),
                        removed,
                        top(user).get(2),
                        List.of(0.375, 0.5, 1.0 / 3 + user),
                        -0.125));
    }

    private static List<Integer> top(int user) {
        return List.of(user + 1, user + 2, user + 3);
    }

    private static void writeUsers(ExplanationFileWriter w, int from, int to) {
        for (int u = from; u < to; u++) {
            if (!w.contains(u)) {
                w.append(u, top(u), explanation(u));
            }
        }
    }

    @Test
    void writesTheReferenceFormat() throws IOException {
        Path f = dir.resolve(ExplanationFile.fileName("accent", 3));
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
            assertEquals(Set.of(), w.writtenUsers());
            writeUsers(w, 0, 3);
        }
        assertEquals(
                HEADER
                        + "1000,10,\"[10, 20, 30]\",{500},\"[0.375, 0.5, 0.3333333333333333]\",30\n"
                        + "1001,20,\"[20, 30, 40]\",,,-1\n"
                        + "1002,30,\"[30, 40, 50]\",\"{520, 400, 410}\",\"[0.375, 0.5,"
                        + " 2.3333333333333335]\",50\n",
                Files.readString(f));
    }

    @Test
    void roundTrip() {
        Path f = dir.resolve("fia_3.csv");
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
            writeUsers(w, 0, 5);
        }
        List<ExplanationRow> rows = ExplanationFile.read(f);
        assertEquals(5, rows.size());
        for (int u = 0; u < 5; u++) {
            ExplanationRow r = rows.get(u);
            assertEquals(RAW_USER.applyAsInt(u), r.user());
            assertEquals(top(u).stream().map(i -> 10 * i).toList(), r.topK());
            assertEquals(r.topK().get(0), r.item());
            Optional<CounterfactualExplanation> e = explanation(u);
            assertEquals(e.isPresent(), r.hasCounterfactual());
            if (e.isPresent()) {
                assertEquals(
                        e.get().removed().stream().map(i -> 10 * i).toList(), r.counterfactual());
                assertEquals(e.get().predictedScores(), r.predictedScores()); // bit-exact
                assertEquals(10 * e.get().replacement(), r.replacement());
            } else {
                assertEquals(List.of(), r.counterfactual());
                assertEquals(List.of(), r.predictedScores());
                assertEquals(-1, r.replacement());
            }
            assertEquals(List.of(), r.actualScores());
            assertEquals(List.of(), r.actualScoresAvg());
        }
    }

    @Test
    void resumeAfterACrashGivesTheRowsOfAnUninterruptedRun() throws IOException {
        Path whole = dir.resolve("whole.csv");
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(whole, RAW_USER, RAW_ITEM)) {
            writeUsers(w, 0, 5);
        }
        byte[] expected = Files.readAllBytes(whole);
        String row3 = Files.readAllLines(whole).get(4) + "\n";

        for (int cut = 0; cut < row3.length(); cut++) {
            Path f = dir.resolve("crash" + cut + ".csv");
            try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
                writeUsers(w, 0, 3);
            }
            // the run is killed while row 3 is being written: only its first `cut` bytes reach the
            // disk
            Files.write(
                    f,
                    row3.substring(0, cut).getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.APPEND);
            try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
                assertEquals(Set.of(1000, 1001, 1002), w.writtenUsers());
                assertTrue(w.contains(2));
                assertFalse(w.contains(3));
                writeUsers(w, 0, 5);
            }
            assertArrayEquals(expected, Files.readAllBytes(f), "cut after " + cut + " bytes");
            // and a rerun with nothing left to do changes nothing
            try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
                assertEquals(5, w.writtenUsers().size());
                writeUsers(w, 0, 5);
            }
            assertArrayEquals(expected, Files.readAllBytes(f));
        }
    }

    @Test
    void resumeAfterACrashInTheHeader() throws IOException {
        Path f = dir.resolve("h.csv");
        Files.writeString(f, HEADER.substring(0, 12));
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
            writeUsers(w, 0, 1);
        }
        assertEquals(1, ExplanationFile.read(f).size());
        assertTrue(Files.readString(f).startsWith(HEADER));
    }

    @Test
    void readerRejectsAPartialLastRow() throws IOException {
        Path f = dir.resolve("p.csv");
        Files.writeString(f, HEADER + "1000,10,\"[10, 20]\",,,-1\n1001,20,\"[20, 3");
        DataException e = assertThrows(DataException.class, () -> ExplanationFile.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void headerMismatchNamesTheFile() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "user,item,topk,counterfactual,predicted_scores\n1,2,[2],,\n");
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertThrows(DataException.class, () -> ExplanationFile.read(f));

        Path g = dir.resolve("junk.csv");
        Files.writeString(g, "something else");
        e =
                assertThrows(
                        DataException.class,
                        () -> ExplanationFile.openForAppend(g, RAW_USER, RAW_ITEM));
        assertTrue(e.getMessage().contains(g.toString()), e.getMessage());
    }

    @Test
    void malformedRowNamesFileAndLine() throws IOException {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, HEADER + "1000,10,\"[10, 20]\",,,-1\n1001,99,\"[20, 30]\",,,-1\n");
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM));
        assertTrue(e.getMessage().contains(f + " line 3"), e.getMessage());
        Path g = dir.resolve("dup.csv");
        Files.writeString(g, HEADER + "1000,10,\"[10, 20]\",,,-1\n1000,10,\"[10, 20]\",,,-1\n");
        e =
                assertThrows(
                        DataException.class,
                        () -> ExplanationFile.openForAppend(g, RAW_USER, RAW_ITEM));
        assertTrue(e.getMessage().contains("1000 twice"), e.getMessage());
    }

    @Test
    void readsTheEvaluatedColumns() throws IOException {
        // as pandas writes a file after get_new_scores (numpy 2 scalar reprs included)
        Path f = dir.resolve("accent_5.csv");
        Files.writeString(
                f,
                HEADER.strip()
                        + ",actual_scores_0,actual_scores_1,actual_scores_2,actual_scores_3,actual_scores_4,actual_scores_avg\n"
                        + "3,11,\"[11, 12]\",\"{40, 2}\",\"[0.25, 0.5]\",12,\"[1.0, 2.0]\",\"[1.5,"
                        + " 2.5]\",\"[1.0, 2.0]\",\"[1.0, 2.0]\",\"[np.float64(1.0),"
                        + " np.float64(2.0)]\",\"[1.1, 2.1]\"\n"
                        + "4,13,\"[13, 14]\",,,-1,,,,,,\n");
        List<ExplanationRow> rows = ExplanationFile.read(f);
        assertEquals(2, rows.size());
        ExplanationRow a = rows.get(0);
        assertEquals(List.of(40, 2), a.counterfactual());
        assertEquals(5, a.actualScores().size());
        assertEquals(List.of(1.5, 2.5), a.actualScores().get(1));
        assertEquals(List.of(1.0, 2.0), a.actualScores().get(4));
        assertEquals(List.of(1.1, 2.1), a.actualScoresAvg());
        ExplanationRow b = rows.get(1);
        assertFalse(b.hasCounterfactual());
        assertEquals(-1, b.replacement());
        assertEquals(
                List.of(List.of(), List.of(), List.of(), List.of(), List.of()), b.actualScores());
        assertEquals(List.of(), b.actualScoresAvg());
        // a writer must not append 6-column rows to it
        assertThrows(
                DataException.class, () -> ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM));
    }

    @Test
    void oneWriterAtATimeAndNoDuplicates() {
        Path f = dir.resolve("w.csv");
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
            assertThrows(
                    DataException.class,
                    () -> ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM));
            w.append(0, top(0), explanation(0));
            assertThrows(IllegalStateException.class, () -> w.append(0, top(0), Optional.empty()));
            assertThrows(IllegalArgumentException.class, () -> w.append(1, top(0), explanation(0)));
        }
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM)) {
            assertEquals(Set.of(1000), w.writtenUsers());
        }
    }

    @Test
    void appendsFromUserInfluence() {
        Path f = dir.resolve("ui.csv");
        var in =
                Cases.of(
                        new double[] {1.0, 0.5, 0.25},
                        new double[][] {{0.25, 0.375}, {0, 0}, {0, 0}});
        Explainer accent = Explainers.byName("accent");
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(f, u -> u, i -> i)) {
            w.append(in, 2, accent.explain(in, 2));
        }
        ExplanationRow r = ExplanationFile.read(f).get(0);
        assertEquals(Cases.USER, r.user());
        assertEquals(List.of(100, 101), r.topK());
        assertEquals(List.of(201, 200), r.counterfactual());
        assertEquals(List.of(0.375, 0.5), r.predictedScores());
        assertEquals(101, r.replacement());
    }
}
