package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.influence.UserInfluence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result-file writer's recovery of what an interrupted run left (a cut header, a partial last
 * row), the files it refuses, and its argument checks; expected file texts written out by hand.
 */
class ExplanationFileWriterTest {

    static final IntUnaryOperator RAW_USER = u -> u + 1000;
    static final IntUnaryOperator RAW_ITEM = i -> 10 * i;
    static final String HEADER = "user,item,topk,counterfactual,predicted_scores,replacement\n";

    /** User 2 (raw 1002), top [3, 4] (raw 30, 40), no explanation. */
    static final String ROW2 = "1002,30,\"[30, 40]\",,,-1\n";

    @TempDir Path dir;

    ExplanationFileWriter open(Path f) {
        return ExplanationFile.openForAppend(f, RAW_USER, RAW_ITEM);
    }

    @Test
    void newFileGetsTheHeaderAndRowsInRawIds() throws IOException {
        Path f = dir.resolve("sub/accent_2.csv");
        try (ExplanationFileWriter w = open(f)) {
            assertEquals(f, w.file());
            assertEquals(Set.of(), w.writtenUsers());
            w.append(2, List.of(3, 4), Optional.empty());
            w.append(
                    5,
                    List.of(7, 8),
                    Optional.of(
                            new CounterfactualExplanation(
                                    5,
                                    List.of(7, 8),
                                    List.of(9, 1),
                                    8,
                                    List.of(0.5, 0.25),
                                    -0.25)));
            assertTrue(w.contains(2));
            assertTrue(w.contains(5));
            assertFalse(w.contains(1002)); // dense ids, not raw
            assertEquals(Set.of(1002, 1005), w.writtenUsers());
        }
        assertEquals(
                HEADER + ROW2 + "1005,70,\"[70, 80]\",\"{90, 10}\",\"[0.5, 0.25]\",80\n",
                Files.readString(f));
    }

    @Test
    void aCutHeaderIsRewrittenAndAPartialRowRemoved() throws IOException {
        Path f = dir.resolve("a.csv");
        Files.writeString(f, "user,item,to");
        try (ExplanationFileWriter w = open(f)) {
            assertEquals(Set.of(), w.writtenUsers());
            assertEquals(
                    List.of(f + ": rewrote a header cut off by an interrupted run"), w.repairs());
        }
        assertEquals(HEADER, Files.readString(f));

        Files.writeString(f, HEADER + ROW2 + "1003,40,\"[4");
        try (ExplanationFileWriter w = open(f)) {
            assertEquals(Set.of(1002), w.writtenUsers());
            assertEquals(
                    List.of(
                            f
                                    + ": removed a partial last row of 11 bytes left by an"
                                    + " interrupted run"),
                    w.repairs());
            assertTrue(w.contains(2));
            w.append(3, List.of(4, 5), Optional.empty());
        }
        assertEquals(HEADER + ROW2 + "1003,40,\"[40, 50]\",,,-1\n", Files.readString(f));
    }

    @Test
    void foreignFilesAreRefused() throws IOException {
        Path f = dir.resolve("b.csv");
        Files.writeString(f, "user,score");
        DataException e = assertThrows(DataException.class, () -> open(f));
        assertTrue(e.getMessage().contains("does not start with the header"), e.getMessage());
        assertTrue(e.getMessage().contains("'user,score'"), e.getMessage());
        assertEquals("user,score", Files.readString(f)); // left as it was

        Files.writeString(f, HEADER + ROW2 + ROW2);
        DataException twice = assertThrows(DataException.class, () -> open(f));
        assertEquals("explanations file " + f + " holds user 1002 twice", twice.getMessage());
    }

    @Test
    void oneWriterPerFile() {
        Path f = dir.resolve("c.csv");
        try (ExplanationFileWriter w = open(f)) {
            DataException e = assertThrows(DataException.class, () -> open(f));
            assertEquals("explanations file " + f + " is already open for writing", e.getMessage());
        }
        open(f).close(); // released on close
    }

    @Test
    void appendChecksItsArguments() throws IOException {
        Path f = dir.resolve("d.csv");
        ExplanationFileWriter w = open(f);
        assertThrows(
                IllegalArgumentException.class, () -> w.append(1, List.of(), Optional.empty()));
        CounterfactualExplanation forUser1 =
                new CounterfactualExplanation(
                        1, List.of(3, 4), List.of(5), 4, List.of(1.0, 0.5), -0.5);
        assertThrows(
                IllegalArgumentException.class,
                () -> w.append(2, List.of(3, 4), Optional.of(forUser1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> w.append(1, List.of(3, 5), Optional.of(forUser1)));
        UserInfluence in =
                new UserInfluence(
                        2,
                        new int[] {3, 4, 6},
                        new double[] {3, 2, 1},
                        new int[] {9},
                        new double[][] {{0.1}, {0.2}, {0.3}});
        assertThrows(IllegalArgumentException.class, () -> w.append(in, 0, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> w.append(in, 4, Optional.empty()));
        w.append(in, 3, Optional.empty());
        IllegalStateException again =
                assertThrows(IllegalStateException.class, () -> w.append(in, 2, Optional.empty()));
        assertEquals("explanations file " + f + " already holds user 1002", again.getMessage());
        w.append(in.user() - 1, List.of(3, 4), Optional.of(forUser1));
        w.close();
        w.close(); // twice is fine
        assertThrows(IllegalStateException.class, () -> w.append(7, List.of(1), Optional.empty()));
        assertEquals(
                HEADER
                        + "1002,30,\"[30, 40, 60]\",,,-1\n1001,30,\"[30, 40]\",{50},\"[1.0, 0.5]\",40\n",
                Files.readString(f));
    }
}
