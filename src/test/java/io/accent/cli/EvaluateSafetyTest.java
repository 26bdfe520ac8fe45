package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.FileLocks;
import io.accent.core.Json;
import io.accent.evaluate.EvaluationProtocol;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationFileWriter;
import io.accent.explain.ExplanationRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code evaluate} refuses on the embedded model (saved-models/ncf-synthetic), with tiny
 * protocols: rows of two protocols in one file, a partial run on rows of an unknown protocol,
 * unknown or unexplained users, and a second run while the files are in use.
 */
class EvaluateSafetyTest {

    static final Path MODEL = EvaluateCommandTest.MODEL;

    @TempDir static Path shared;

    @TempDir Path tmp;

    /** {@code explain --out} for users 2 and 5, once; each test works on a copy. */
    static Path explained;

    @BeforeAll
    static void explain() {
        explained = shared.resolve("expl");
        DataCommandTest.Run e =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        MODEL.toString(),
                        "--users",
                        "2,5",
                        "--k",
                        "5",
                        "--algo",
                        "accent",
                        "--out",
                        explained.toString(),
                        "--threads",
                        "1");
        assertEquals(0, e.code(), e.err());
    }

    private Path copy() throws Exception {
        Path dir = tmp.resolve("expl");
        Files.createDirectories(dir);
        for (String f : List.of("accent_5.csv", "explanations.json")) {
            Files.copy(explained.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static DataCommandTest.Run evaluate(Path dir, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "evaluate",
                                "--model",
                                MODEL.toString(),
                                "--explanations",
                                dir.toString(),
                                "--retrains",
                                "2",
                                "--batch",
                                "2",
                                "--threads",
                                "1"));
        args.addAll(List.of(extra));
        return DataCommandTest.run(args.toArray(String[]::new));
    }

    private static void assertOneError(DataCommandTest.Run r, int code, String... parts) {
        assertEquals(code, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "'" + p + "' in " + r.err());
        }
    }

    private static List<Integer> evaluatedUsers(Path file) {
        return ExplanationFile.read(file).stream()
                .filter(r -> !r.actualScoresAvg().isEmpty())
                .map(ExplanationRow::user)
                .toList();
    }

    @Test
    void anotherProtocolIsRefusedNamingBothAndTheSameOneResumes() throws Exception {
        Path dir = copy();
        Path file = dir.resolve("accent_5.csv");
        assertEquals(0, evaluate(dir, "--users", "2", "--steps", "20").code());
        byte[] before = Files.readAllBytes(file);

        // other steps, other retrains: refused before any retraining, the file untouched
        assertOneError(
                evaluate(dir, "--users", "5", "--steps", "10"),
                2,
                file.toString(),
                "2 retrains of 20 steps",
                "2 retrains of 10 steps");
        List<String> three =
                List.of(
                        "evaluate",
                        "--model",
                        MODEL.toString(),
                        "--explanations",
                        dir.toString(),
                        "--retrains",
                        "3",
                        "--steps",
                        "20",
                        "--users",
                        "5",
                        "--threads",
                        "1");
        assertOneError(
                DataCommandTest.run(three.toArray(String[]::new)),
                2,
                "2 retrains of 20 steps",
                "3 retrains of 20 steps");
        assertOneError(
                evaluate(dir, "--sample", "1", "--steps", "10"), 2, "2 retrains of 10 steps");
        assertArrayEquals(before, Files.readAllBytes(file));
        try (java.util.stream.Stream<Path> cached = Files.walk(dir.resolve("retrains"))) {
            assertTrue(
                    cached.noneMatch(f -> f.getFileName().toString().equals("steps-10")),
                    "nothing retrained under the refused protocol");
        }

        // recorded beside the file
        JsonNode p = Json.mapper().readTree(dir.resolve("accent_5.protocol.json").toFile());
        assertEquals("ncf", p.path("family").asText());
        assertEquals(2, p.path("retrains").asInt());
        assertEquals(20, p.path("steps").asLong());
        assertEquals(64, p.path("model_fingerprint").asText().length());
        // the same protocol resumes: user 5 is added beside user 2
        assertEquals(0, evaluate(dir, "--users", "5", "--steps", "20").code());
        assertEquals(List.of(2, 5), evaluatedUsers(file).stream().sorted().toList());

        // a run over every row re-evaluates them all under its protocol, and records it
        assertEquals(0, evaluate(dir, "--steps", "10").code());
        assertEquals(
                10,
                Json.mapper()
                        .readTree(EvaluationProtocol.sidecar(file).toFile())
                        .path("steps")
                        .asLong());
        assertEquals(List.of(2, 5), evaluatedUsers(file).stream().sorted().toList());
        assertOneError(
                evaluate(dir, "--users", "2", "--steps", "20"),
                2,
                "2 retrains of 10 steps",
                "2 retrains of 20 steps");
    }

    @Test
    void rowsOfAnUnknownProtocolAreReplacedOnlyByARunOverEveryRow() throws Exception {
        Path dir = copy();
        Path file = dir.resolve("accent_5.csv");
        assertEquals(0, evaluate(dir, "--users", "2", "--steps", "20").code());
        // as evaluated before the protocol was recorded
        Files.deleteIfExists(EvaluationProtocol.sidecar(file));
        assertOneError(
                evaluate(dir, "--users", "5", "--steps", "20"),
                2,
                "unknown protocol",
                "without --users/--sample");
        assertOneError(evaluate(dir, "--sample", "1", "--steps", "20"), 2, "unknown protocol");
        assertEquals(0, evaluate(dir, "--steps", "10").code());
        assertEquals(
                10,
                Json.mapper()
                        .readTree(EvaluationProtocol.sidecar(file).toFile())
                        .path("steps")
                        .asLong());
        assertEquals(List.of(2, 5), evaluatedUsers(file).stream().sorted().toList());
    }

    @Test
    void unknownAndUnexplainedUsersAreRefusedNamingThem() throws Exception {
        Path dir = copy();
        // as explain refuses it: same message, same exit code
        DataCommandTest.Run ex =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        MODEL.toString(),
                        "--users",
                        "2,99999",
                        "--k",
                        "5",
                        "--algo",
                        "accent");
        assertOneError(ex, 3, "unknown user 99999");
        DataCommandTest.Run ev = evaluate(dir, "--users", "2,99999", "--steps", "10");
        assertOneError(ev, 3, "unknown user 99999");
        assertEquals(ex.err(), ev.err());
        // user 9 exists but has no row in the files (explain was not run for it)
        assertOneError(
                evaluate(dir, "--users", "2,9", "--steps", "10"),
                2,
                "user 9 has no row in the result files [accent_5.csv]");
        assertEquals(List.of(), evaluatedUsers(dir.resolve("accent_5.csv")));
        assertFalse(Files.exists(dir.resolve("retrains")));
    }

    @Test
    void aRunIsRefusedWhileAnotherHoldsTheFiles() throws Exception {
        Path dir = copy();
        Path file = dir.resolve("accent_5.csv");
        // explain --out appending to the file (its writer holds the lock)
        try (ExplanationFileWriter w = ExplanationFile.openForAppend(file, u -> u, i -> i)) {
            assertOneError(evaluate(dir, "--steps", "10"), 3, "explanations file", "is in use");
        }
        // an evaluate of shard 1/2 running: the same shard and a run that writes the files are
        // refused, another shard goes ahead
        try (FileLocks.Held shard =
                FileLocks.lockAll(
                        List.of(file.toAbsolutePath()),
                        FileLocks.shardPosition(1, 2),
                        1,
                        f -> "held")) {
            assertOneError(
                    evaluate(dir, "--steps", "10", "--shard", "1/2"), 3, "of shard 1/2", "in use");
            assertOneError(evaluate(dir, "--steps", "10"), 3, "is in use");
            DataCommandTest.Run other = evaluate(dir, "--steps", "10", "--shard", "2/2");
            assertEquals(0, other.code(), other.err());
            // explain cannot append meanwhile either
            Exception e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            io.accent.core.DataException.class,
                            () -> ExplanationFile.openForAppend(file, u -> u, i -> i));
            assertTrue(e.getMessage().contains("already open for writing"), e.getMessage());
        }
        // released: the run goes ahead
        DataCommandTest.Run done = evaluate(dir, "--steps", "10");
        assertEquals(0, done.code(), done.err());
        assertEquals(List.of(2, 5), evaluatedUsers(file).stream().sorted().toList());
    }
}
