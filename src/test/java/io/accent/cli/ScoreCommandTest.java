package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.accent.api.Accent;
import io.accent.api.AccentModel;
import io.accent.core.DataException;
import io.accent.core.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accent score}: the pairs file read as CSV, a chunk at a time, checked before loading. */
class ScoreCommandTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");

    @TempDir Path tmp;

    private static DataCommandTest.Run score(Path pairs, String... extra) {
        java.util.List<String> a =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "score", "--model", MODEL.toString(), "--pairs", pairs.toString()));
        a.addAll(java.util.List.of(extra));
        return DataCommandTest.run(a.toArray(String[]::new));
    }

    private static void assertOneError(DataCommandTest.Run r, int code, String part) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().trim().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(part), r.err());
    }

    @Test
    void quotedFieldsQuotedHeaderAndByteOrderMarkScoreLikePlainCsv() throws Exception {
        Path plain = Files.writeString(tmp.resolve("plain.csv"), "user,item\n1,2\n2,3\n5,7\n");
        Path quoted =
                Files.writeString(
                        tmp.resolve("quoted.csv"),
                        "\uFEFF\"user\",\"item\",\"note\"\r\n\"1\",\"2\",\"a, b\"\r\n2,\"3\",x\r\n\r\n\"5\",7,\"multi\nline\"\r\n",
                        StandardCharsets.UTF_8);
        DataCommandTest.Run a = score(plain);
        DataCommandTest.Run b = score(quoted);
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertEquals(4, a.out().lines().count(), a.out());
        assertEquals(a.out(), b.out());
        DataCommandTest.Run j = score(quoted, "--format", "json");
        assertEquals(0, j.code(), j.err());
        assertEquals(3, Json.mapper().readTree(j.out()).size());
    }

    @Test
    void duplicateColumnsAndMissingColumnsAreNamed() throws Exception {
        Path dup = Files.writeString(tmp.resolve("dup.csv"), "user,item,user\n1,2,3\n");
        assertOneError(score(dup), 3, "dup.csv line 1: the header names column 'user' twice");
        Path dupItem = Files.writeString(tmp.resolve("dupi.csv"), "\"item\",user,item\n1,2,3\n");
        assertOneError(score(dupItem), 3, "the header names column 'item' twice");
        // the header's content is not echoed (a secret's first line, say)
        Path other = Files.writeString(tmp.resolve("other.csv"), "SECRET-HEADER-9,x\n1,2\n");
        DataCommandTest.Run r = score(other);
        assertOneError(r, 3, "must name columns 'user' and 'item'");
        assertFalse(r.err().contains("SECRET-HEADER-9"), r.err());
    }

    @Test
    void aBadIdIsReportedAtItsLineWithoutItsText() throws Exception {
        StringBuilder b = new StringBuilder("user,item\n");
        for (int k = 0; k < 300; k++) {
            b.append(1 + k % 50).append(',').append(1 + k % 40).append('\n');
        }
        b.append("SECRET-ID,3\n");
        Path bad = Files.writeString(tmp.resolve("bad.csv"), b.toString());
        DataCommandTest.Run r = score(bad);
        assertOneError(r, 3, "bad.csv line 302: user is not an integer id");
        assertFalse(r.err().contains("SECRET-ID"), r.err());
        Path unknown = Files.writeString(tmp.resolve("unknown.csv"), "user,item\n1,2\n1,999999\n");
        assertOneError(score(unknown), 3, "unknown.csv line 3: unknown item 999999");
        Path shortRow = Files.writeString(tmp.resolve("short.csv"), "user,note,item\n1,x,2\n1,x\n");
        assertOneError(score(shortRow), 3, "short.csv line 3: expected at least 3 fields, got 2");
        Path quote = Files.writeString(tmp.resolve("quote.csv"), "user,item\n1,2\n1,\"2\n3,4\n");
        assertOneError(score(quote), 3, "quote.csv line 3: not valid CSV");
    }

    @Test
    void binaryOrEndlessPairsFilesGiveCleanMessages() throws Exception {
        byte[] head = "user,item\n1,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] bin = java.util.Arrays.copyOf(head, head.length + 3);
        bin[head.length] = (byte) 0xff;
        bin[head.length + 1] = (byte) 0xfe;
        bin[head.length + 2] = '\n';
        Path b = Files.write(tmp.resolve("bin.csv"), bin);
        DataCommandTest.Run r = score(b);
        assertOneError(r, 3, "bin.csv is not UTF-8 text (line 3)");
        assertFalse(r.err().contains("Input length"), r.err());
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertOneError(score(zero), 3, "/dev/zero line 1: longer than");
        }
        assertOneError(score(tmp), 3, "is a directory");
    }

    @Test
    void theRowsOfAChunkedFileEqualThoseOfOneCall() throws Exception {
        int n = 200_000;
        StringBuilder b = new StringBuilder("item,user\n");
        SplittableRandom rnd = new SplittableRandom(5);
        try (AccentModel m = Accent.open(MODEL)) {
            int[] items = m.items();
            int[] users = m.users();
            for (int k = 0; k < n; k++) {
                b.append(items[rnd.nextInt(items.length)])
                        .append(',')
                        .append(users[rnd.nextInt(users.length)])
                        .append('\n');
            }
            Path f = Files.writeString(tmp.resolve("big.csv"), b.toString());
            String one = run(f, m, ScoreCommand.Format.csv, Integer.MAX_VALUE);
            String chunked = run(f, m, ScoreCommand.Format.csv, ScoreCommand.CHUNK);
            String small = run(f, m, ScoreCommand.Format.csv, 7_777);
            assertEquals(n + 1, one.lines().count());
            assertEquals(one, chunked);
            assertEquals(one, small);
            // the streamed JSON is what the one-piece JSON of the same rows was
            String json = run(f, m, ScoreCommand.Format.json, 7_777);
            ArrayNode a = Json.mapper().createArrayNode();
            one.lines()
                    .skip(1)
                    .forEach(
                            l -> {
                                String[] p = l.split(",");
                                a.addObject()
                                        .put("user", Integer.parseInt(p[0]))
                                        .put("item", Integer.parseInt(p[1]))
                                        .put("score", Float.parseFloat(p[2]));
                            });
            assertEquals(Json.mapper().writeValueAsString(a) + System.lineSeparator(), json);
            // a bad id in the third chunk: the first two chunks were written, then the error
            Files.writeString(
                    f,
                    "\n1,SECRET\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            StringWriter partial = new StringWriter();
            DataException e =
                    assertThrows(
                            DataException.class,
                            () -> {
                                try (ScoreCommand.PairFile in = ScoreCommand.PairFile.open(f)) {
                                    ScoreCommand.score(
                                            in,
                                            m,
                                            ScoreCommand.Format.csv,
                                            new PrintWriter(partial),
                                            n / 2);
                                }
                            });
            assertEquals(f + " line " + (n + 3) + ": user is not an integer id", e.getMessage());
            assertEquals(n + 1, partial.toString().lines().count());
        }
    }

    private static String run(Path f, AccentModel m, ScoreCommand.Format format, int chunk)
            throws Exception {
        StringWriter s = new StringWriter();
        try (ScoreCommand.PairFile in = ScoreCommand.PairFile.open(f);
                PrintWriter w = new PrintWriter(s)) {
            ScoreCommand.score(in, m, format, w, chunk);
        }
        return s.toString();
    }

    @Test
    void theCsvOutputOfEmptyAndJsonInputsIsWellFormed() throws Exception {
        Path empty = Files.writeString(tmp.resolve("e.csv"), "user,item\n");
        DataCommandTest.Run c = score(empty);
        assertEquals(0, c.code(), c.err());
        assertEquals("user,item,score", c.out().trim());
        DataCommandTest.Run j = score(empty, "--format", "json");
        assertEquals(0, j.code(), j.err());
        assertEquals(0, Json.mapper().readTree(j.out()).size());
        Path none = Files.writeString(tmp.resolve("none.csv"), "");
        assertOneError(score(none), 3, "none.csv: empty file");
    }

    @Test
    void aMissingPairsFileIsRefusedBeforeTheModelIsLoaded() throws Exception {
        Path broken = Files.createDirectories(tmp.resolve("broken-model"));
        Files.writeString(broken.resolve("model.json"), "{ not a model");
        Path missing = tmp.resolve("missing.csv");
        DataCommandTest.Run r =
                DataCommandTest.run(
                        "score", "--model", broken.toString(), "--pairs", missing.toString());
        assertOneError(r, 3, "pairs file " + missing + " does not exist");
        // so is a pairs file without the columns
        Path cols = Files.writeString(tmp.resolve("cols.csv"), "a,b\n1,2\n");
        DataCommandTest.Run h =
                DataCommandTest.run(
                        "score", "--model", broken.toString(), "--pairs", cols.toString());
        assertOneError(h, 3, "cols.csv line 1: the header must name columns");
        // and with a good pairs file it is the model that is refused
        Path good = Files.writeString(tmp.resolve("good.csv"), "user,item\n1,2\n");
        DataCommandTest.Run g =
                DataCommandTest.run(
                        "score", "--model", broken.toString(), "--pairs", good.toString());
        assertEquals(4, g.code(), g.err());
    }
}
