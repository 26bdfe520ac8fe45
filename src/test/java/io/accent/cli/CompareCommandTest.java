package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.Json;
import io.accent.explain.ExplanationFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accent compare} through {@link Main#execute}, on hand-written evaluated result files. */
class CompareCommandTest {

    @TempDir Path tmp;

    Path first;
    Path second;

    private static final String HEADER =
            "user,item,topk,counterfactual,predicted_scores,replacement,actual_scores_0,"
                    + "actual_scores_1,actual_scores_2,actual_scores_3,actual_scores_4,"
                    + "actual_scores_avg\n";

    /** No counterfactual set: empty set, scores and retrained scores, replacement −1. */
    private static String none(int user) {
        return user + ",10,\"[10, 11, 12]\",,,-1,,,,,,\n";
    }

    /**
     * A set {20, ..., 20 + size − 1}, replacement 11; retrained mean scores put 11 above 10 when
     * {@code success}, below it otherwise; no retrained scores when not {@code verified}.
     */
    private static String row(int user, int size, boolean verified, boolean success) {
        StringBuilder set = new StringBuilder("{20");
        for (int i = 1; i < size; i++) {
            set.append(", ").append(20 + i);
        }
        set.append('}');
        String cf = size > 1 ? "\"" + set + "\"" : set.toString();
        String avg = success ? "\"[0.3, 0.5, 0.2]\"" : "\"[0.5, 0.3, 0.2]\"";
        String actual =
                verified
                        ? (success
                                        ? "\"[0.31, 0.49, 0.2]\",\"[0.29, 0.51, 0.2]\","
                                        : "\"[0.51, 0.29, 0.2]\",\"[0.49, 0.31, 0.2]\",")
                                + avg
                                + ","
                                + avg
                                + ","
                                + avg
                                + ","
                                + avg
                        : ",,,,,";
        return user + ",10,\"[10, 11, 12]\"," + cf + ",\"[0.4, 0.6, 0.1]\",11," + actual + "\n";
    }

    @BeforeEach
    void files() throws IOException {
        first = tmp.resolve("accent_3.csv");
        second = tmp.resolve("fia_3.csv");
        Files.writeString(
                first,
                HEADER
                        + row(1, 2, true, true)
                        + row(2, 3, true, true)
                        + row(3, 1, true, true)
                        + row(4, 5, true, true)
                        + row(5, 2, true, true)
                        + none(6)
                        + row(7, 3, false, false)
                        + row(8, 4, true, true));
        // same users in another order
        Files.writeString(
                second,
                HEADER
                        + row(8, 2, false, false)
                        + none(7)
                        + row(6, 6, true, true)
                        + row(5, 2, true, false)
                        + none(4)
                        + row(3, 4, true, true)
                        + row(2, 3, true, true)
                        + row(1, 4, true, true));
        assertEquals(8, ExplanationFile.read(first).size());
        assertEquals(8, ExplanationFile.read(second).size());
    }

    @Test
    void text() {
        DataCommandTest.Run r = DataCommandTest.run("compare", first.toString(), second.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("k = 3, 8 users"), out);
        assertTrue(out.matches("(?s).*CF percentage\\s+75\\.000\\s+50\\.000.*"), out);
        assertTrue(out.matches("(?s).*both succeed, n=3\\)\\s+2\\.000\\s+3\\.667.*"), out);
        assertTrue(out.matches("(?s).*FILE1 success\\s+3\\s+3\\n.*"), out);
        assertTrue(out.matches("(?s).*FILE1 failure\\s+1\\s+1\\n.*"), out);
        // 2 · CDF(1; 4, ½) / 2 = 5/16
        assertTrue(out.contains("McNemar exact p/2:        0.3125"), out);
        // t = −5/√7, p/2 = (1 − 5/√39) / 2 with 2 degrees of freedom
        assertTrue(out.contains("t = -1.890, p/2 = 0.09968  (3 pairs"), out);
    }

    @Test
    void json() throws IOException {
        DataCommandTest.Run r =
                DataCommandTest.run(
                        "compare", first.toString(), second.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        assertEquals(3, j.get("k").asInt());
        assertEquals(8, j.get("users").asInt());
        assertEquals("[[3,3],[1,1]]", j.get("contingency").toString());
        assertEquals(0.3125, j.get("mcnemar_p_half").asDouble(), 1e-15);
        assertEquals(3, j.get("t_test").get("pairs").asInt());
        assertEquals(-5 / Math.sqrt(7), j.get("t_test").get("t").asDouble(), 1e-12);
        assertEquals((1 - 5 / Math.sqrt(39)) / 2, j.get("t_test").get("p_half").asDouble(), 1e-10);
        assertEquals(75.0, j.get("first").get("cf_percentage").asDouble());
        assertEquals(50.0, j.get("second").get("cf_percentage").asDouble());
        assertEquals(first.toString(), j.get("first").get("file").asText());
        assertEquals(7, j.get("first").get("found").asInt());
        assertEquals(5, j.get("second").get("verified").asInt());
        assertEquals(2.0, j.get("first").get("mean_size_both_succeed").asDouble(), 1e-15);
        assertEquals(11.0 / 3, j.get("second").get("mean_size_both_succeed").asDouble(), 1e-15);
        assertEquals(17.0 / 4, j.get("second").get("mean_size").asDouble(), 1e-15);
    }

    @Test
    void nanIsNullInJson() throws IOException {
        Path a = tmp.resolve("a_3.csv");
        Path b = tmp.resolve("b_3.csv");
        Files.writeString(a, HEADER + none(1) + none(2));
        Files.writeString(b, HEADER + row(2, 1, true, true) + none(1));
        DataCommandTest.Run r =
                DataCommandTest.run("compare", a.toString(), b.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.mapper().readTree(r.out());
        assertTrue(j.get("t_test").get("t").isNull(), r.out());
        assertTrue(j.get("first").get("mean_size").isNull(), r.out());
        assertEquals(0.5, j.get("mcnemar_p_half").asDouble());
        DataCommandTest.Run text = DataCommandTest.run("compare", a.toString(), b.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("t = n/a, p/2 = n/a  (0 pairs"), text.out());
    }

    @Test
    void mismatchedFilesAreDataErrors() throws IOException {
        Path other = tmp.resolve("fia_2.csv");
        Files.writeString(other, HEADER + "1,10,\"[10, 11]\",,,-1,,,,,,\n");
        DataCommandTest.Run k = DataCommandTest.run("compare", first.toString(), other.toString());
        assertEquals(3, k.code());
        assertTrue(
                k.err()
                        .startsWith(
                                "error: cannot compare "
                                        + first
                                        + " (k = 3) with "
                                        + other
                                        + " (k = 2)"),
                k.err());
        assertEquals(1, k.err().lines().count(), k.err());

        Path fewer = tmp.resolve("few_3.csv");
        Files.writeString(fewer, HEADER + none(1) + none(2) + none(9));
        DataCommandTest.Run users =
                DataCommandTest.run("compare", first.toString(), fewer.toString());
        assertEquals(3, users.code());
        assertTrue(users.err().contains("only in the first: [3, 4, 5, 6, 7, 8]"), users.err());
        assertTrue(users.err().contains("only in the second: [9]"), users.err());

        DataCommandTest.Run missing =
                DataCommandTest.run(
                        "compare", first.toString(), tmp.resolve("nope.csv").toString());
        assertEquals(3, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("error: "), missing.err());

        assertEquals(2, DataCommandTest.run("compare", first.toString()).code());
        assertEquals(
                2,
                DataCommandTest.run(
                                "compare", first.toString(), second.toString(), "--format", "xml")
                        .code());
    }

    @Test
    void editedAverageIsRefusedWithFileAndLine() throws IOException {
        // user 5 fails in the second file (line 5); its last field, actual_scores_avg, is edited to
        // a success that actual_scores_0..4 do not support
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(second));
        String l = lines.get(4);
        assertTrue(l.startsWith("5,") && l.endsWith(",\"[0.5, 0.3, 0.2]\""), l);
        lines.set(4, l.substring(0, l.lastIndexOf(",\"[")) + ",\"[0.3, 0.5, 0.2]\"");
        Files.writeString(second, String.join("\n", lines) + "\n");
        for (String[] extra : new String[][] {{}, {"--users", "5,6"}}) {
            java.util.List<String> args =
                    new java.util.ArrayList<>(
                            java.util.List.of("compare", first.toString(), second.toString()));
            args.addAll(java.util.List.of(extra));
            DataCommandTest.Run r = DataCommandTest.run(args.toArray(String[]::new));
            assertEquals(3, r.code(), r.out() + r.err());
            assertTrue(
                    r.err().startsWith("error: result file " + second + " line 5 (user 5): "),
                    r.err());
            assertTrue(r.err().contains("actual_scores_avg[0] = 0.3 is not the mean"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    private static void protocol(Path csv, String fingerprint, long steps) throws IOException {
        Files.writeString(
                io.accent.evaluate.EvaluationProtocol.sidecar(csv),
                "{\"format\": 1, \"family\": \"ncf\", \"model_fingerprint\": \""
                        + fingerprint
                        + "\", \"retrains\": 5, \"steps\": "
                        + steps
                        + "}");
    }

    @Test
    void filesOfDifferentModelsAreRefusedNamingBothFingerprints() throws IOException {
        // explain --out writes explanations.json with the model's fingerprint beside the files
        Path a = Files.createDirectories(tmp.resolve("a")).resolve("accent_3.csv");
        Path b = Files.createDirectories(tmp.resolve("b")).resolve("accent_3.csv");
        Files.copy(first, a);
        Files.copy(second, b);
        Files.writeString(
                a.resolveSibling("explanations.json"),
                "{\"format\": 1, \"model_fingerprint\": \"" + "a1".repeat(32) + "\"}");
        Files.writeString(
                b.resolveSibling("explanations.json"),
                "{\"format\": 1, \"model_fingerprint\": \"" + "b2".repeat(32) + "\"}");
        for (String[] extra : new String[][] {{}, {"--users", "1,2"}}) {
            java.util.List<String> args =
                    new java.util.ArrayList<>(
                            java.util.List.of("compare", a.toString(), b.toString()));
            args.addAll(java.util.List.of(extra));
            DataCommandTest.Run r = DataCommandTest.run(args.toArray(String[]::new));
            assertEquals(3, r.code(), r.out() + r.err());
            assertTrue(
                    r.err()
                            .startsWith(
                                    "error: cannot compare "
                                            + a
                                            + " (model "
                                            + "a1".repeat(8)
                                            + ") with "
                                            + b
                                            + " (model "
                                            + "b2".repeat(8)
                                            + "): the files come from different models"),
                    r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
        // without explanations.json, the model recorded with the evaluation protocol counts
        Files.delete(b.resolveSibling("explanations.json"));
        protocol(b, "c3".repeat(32), 100);
        DataCommandTest.Run r = DataCommandTest.run("compare", a.toString(), b.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("(model " + "c3".repeat(8) + ")"), r.err());
    }

    @Test
    void filesEvaluatedUnderDifferentProtocolsAreRefusedNamingBoth() throws IOException {
        String fp = "d4".repeat(32);
        protocol(first, fp, 100);
        protocol(second, fp, 10);
        DataCommandTest.Run r = DataCommandTest.run("compare", first.toString(), second.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(
                r.err()
                        .startsWith(
                                "error: cannot compare "
                                        + first
                                        + " (evaluated with ncf model "
                                        + "d4".repeat(8)
                                        + ", 5 retrains of 100 steps) with "
                                        + second
                                        + " (evaluated with ncf model "
                                        + "d4".repeat(8)
                                        + ", 5 retrains of 10 steps): different evaluation"
                                        + " protocols"),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        protocol(second, fp, 100);
        DataCommandTest.Run same =
                DataCommandTest.run("compare", first.toString(), second.toString());
        assertEquals(0, same.code(), same.err());
    }

    @Test
    void help() {
        DataCommandTest.Run r = DataCommandTest.run("compare", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("FILE1") && r.out().contains("McNemar"), r.out());
    }
}
