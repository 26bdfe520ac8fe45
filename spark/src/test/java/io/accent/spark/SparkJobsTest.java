package io.accent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.api.Accent;
import io.accent.api.AccentModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs (Spark local mode) against the command line without Spark: the same result files
 * byte for byte, resumed runs, a retried task, a stopped evaluation restarted, and the retrain
 * cache shared both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkJobsTest {

    static final Path NCF = Path.of("../saved-models/ncf-synthetic").toAbsolutePath().normalize();
    static final Path RCF = Path.of("../saved-models/rcf-synthetic").toAbsolutePath().normalize();

    /** The evaluation's options: short retrains, B = 3 (three tasks for the 8 retrains). */
    static final String[] EVALUATE = {"--retrains", "2", "--steps", "50", "--batch", "3"};

    /** Explanations of 6 users (4 distinct sets) and their evaluation by the command line. */
    Path explained;

    Path reference;

    @BeforeAll
    void explainAndEvaluateWithoutSpark(@TempDir Path shared) throws IOException {
        explained = shared.resolve("explained");
        cli(
                "explain",
                "--model",
                NCF.toString(),
                "--users",
                "1,2,3,4,5,6",
                "--algo",
                "accent",
                "--k",
                "5",
                "--out",
                explained.toString());
        reference = copy(explained, shared.resolve("reference"));
        Run r = cli(evaluate(reference));
        assertTrue(r.out.contains("4 distinct sets, 8 retrains run, 0 taken"), r.out);
    }

    @Test
    void explainResumesAPartialOutputAsTheCommandLineWritesIt(@TempDir Path tmp)
            throws IOException {
        Path cli = tmp.resolve("cli");
        cli(
                "explain",
                "--model",
                NCF.toString(),
                "--users",
                "all",
                "--algo",
                "accent,fia,pure-fia",
                "--k",
                "5,10",
                "--out",
                cli.toString());
        // an interrupted run: the first 100 users of every file, a torn line in one of them
        Path partial = copy(cli, tmp.resolve("spark"));
        for (Path f : csvs(partial)) {
            List<String> lines = Files.readAllLines(f);
            Files.writeString(f, String.join("\n", lines.subList(0, 101)) + "\n");
        }
        Path torn = partial.resolve("accent_5.csv");
        Files.writeString(torn, Files.readString(torn) + "9999,12,[1, 2");
        Run s =
                spark(
                        "explain",
                        "--master",
                        "local[2]",
                        "--model",
                        NCF.toString(),
                        "--users",
                        "all",
                        "--algo",
                        "accent,fia,pure-fia",
                        "--k",
                        "5,10",
                        "--users-per-task",
                        "64",
                        "--out",
                        partial.toString());
        assertEquals(0, s.code, s.err);
        assertTrue(s.out.contains("100 already in the result files, skipped"), s.out);
        assertTrue(s.err.startsWith("warning: "), s.err); // the torn line, as explain reports it
        assertSameFiles(cli, partial);
    }

    @Test
    void explainRcfMatchesTheCommandLine(@TempDir Path tmp) throws IOException {
        String[] opts = {
            "--model", RCF.toString(), "--sample", "24", "--algo", "accent,pure-att", "--k", "5,10"
        };
        Path cli = tmp.resolve("cli");
        Path spark = tmp.resolve("spark");
        cli(concat(new String[] {"explain"}, opts, new String[] {"--out", cli.toString()}));
        Run s =
                spark(
                        concat(
                                new String[] {"explain", "--master", "local[2]"},
                                opts,
                                new String[] {
                                    "--users-per-task",
                                    "8",
                                    "--batch",
                                    "4",
                                    "--out",
                                    spark.toString()
                                }));
        assertEquals("", s.err);
        assertSameFiles(cli, spark);
    }

    @Test
    void evaluateMatchesTheCommandLineWithATaskRetried(@TempDir Path tmp) throws IOException {
        Path dir = copy(explained, tmp.resolve("spark"));
        System.setProperty("accent.spark.test.failOnce", "evaluate-retry");
        Run s;
        try {
            s = spark(evaluate(dir, "--master", "local[2,2]"));
        } finally {
            System.clearProperty("accent.spark.test.failOnce");
        }
        assertTrue(ExecutorSide.failedOnce("evaluate-retry"), "the hook did not fail a task");
        assertTrue(s.out.contains("4 distinct sets, 8 retrains run, 0 taken"), s.out);
        assertEquals("", s.err);
        assertSameFiles(reference, dir);
    }

    @Test
    void aStoppedEvaluationRestartsWithoutRedoingCachedRetrains(@TempDir Path tmp)
            throws IOException {
        Path dir = copy(explained, tmp.resolve("spark"));
        String[] run = evaluate(dir, "--master", "local[2]");
        System.setProperty("accent.spark.test.stopAfterRetrains", "3");
        Run stopped;
        try {
            stopped = spark(run);
        } finally {
            System.clearProperty("accent.spark.test.stopAfterRetrains");
        }
        assertNotEquals(0, stopped.code);
        assertTrue(stopped.err.contains("stopped after 3 retrains"), stopped.err);
        assertEquals(3, cached(dir));
        Run restarted = spark(run);
        assertTrue(restarted.out.contains("5 retrains run, 3 taken"), restarted.out);
        assertEquals("", restarted.err);
        assertSameFiles(reference, dir);
    }

    @Test
    void theRetrainCacheIsSharedWithTheCommandLineBothWays(@TempDir Path tmp) throws IOException {
        Path dir = copy(explained, tmp.resolve("shared"));
        // the command line retrains two users' sets, Spark the rest, the command line nothing
        Run part = cli(evaluate(dir, "--users", "2,4"));
        assertTrue(part.out.contains("2 distinct sets, 4 retrains run, 0 taken"), part.out);
        Run s = spark(evaluate(dir, "--master", "local[2]"));
        assertTrue(s.out.contains("4 distinct sets, 4 retrains run, 4 taken"), s.out);
        Run again = cli(evaluate(dir));
        assertTrue(again.out.contains("0 retrains run, 8 taken"), again.out);
        for (String f : List.of("accent_5.csv", "evaluation.json")) {
            assertEquals(
                    Files.readString(reference.resolve(f)), Files.readString(dir.resolve(f)), f);
        }
    }

    @Test
    void scoreAndRecommendPrintWhatTheCommandLinePrints(@TempDir Path tmp) throws IOException {
        Path pairs = tmp.resolve("pairs.csv");
        try (AccentModel m = Accent.open(NCF)) {
            StringBuilder b = new StringBuilder("user,item\n");
            int[] users = m.users();
            int[] items = m.items();
            for (int j = 0; j < 3000; j++) {
                b.append(users[(j * 7) % users.length])
                        .append(',')
                        .append(items[(j * 13) % items.length])
                        .append('\n');
            }
            Files.writeString(pairs, b.toString());
        }
        String[] score = {"score", "--model", NCF.toString(), "--pairs", pairs.toString()};
        String[] recommend = {
            "recommend", "--model", NCF.toString(), "--users", "all", "--k", "5", "--format", "csv"
        };
        String[] master = {"--master", "local[2]"};
        Run s = spark(concat(score, master));
        assertEquals("", s.err);
        assertEquals(cli(score).out, s.out);
        Run r = spark(concat(recommend, master));
        assertEquals("", r.err);
        assertEquals(cli(recommend).out, r.out);
        assertEquals(1 + 300 * 5, r.out.lines().count());
    }

    @Test
    void pathsMayBeUrisOfHadoopFileSystems(@TempDir Path tmp) throws IOException {
        Path cli = tmp.resolve("cli");
        String[] opts = {"--users", "1,2,3", "--algo", "accent,fia", "--k", "5"};
        cli(
                concat(
                        new String[] {"explain", "--model", NCF.toString()},
                        opts,
                        new String[] {"--out", cli.toString()}));
        Path remote = tmp.resolve("remote");
        Run s =
                spark(
                        concat(
                                new String[] {
                                    "explain",
                                    "--master",
                                    "local[1]",
                                    "--model",
                                    NCF.toUri().toString()
                                },
                                opts,
                                new String[] {"--out", remote.toUri().toString()}));
        assertEquals(0, s.code, s.err);
        assertEquals("", s.err);
        for (String f : List.of("accent_5.csv", "fia_5.csv", "explanations.json")) {
            assertEquals(Files.readString(cli.resolve(f)), Files.readString(remote.resolve(f)), f);
        }
    }

    @Test
    void aMissingUriIsAOneLineError(@TempDir Path tmp) {
        Run r =
                spark(
                        "explain",
                        "--model",
                        tmp.resolve("none").toUri().toString(),
                        "--out",
                        tmp.resolve("out").toString());
        assertEquals(4, r.code);
        assertEquals(
                "error: model directory " + tmp.resolve("none").toUri() + " does not exist",
                r.err.trim());
    }

    @Test
    void usersPerTaskMustBePositive() {
        Run r =
                spark(
                        "explain",
                        "--model",
                        NCF.toString(),
                        "--users-per-task",
                        "0",
                        "--out",
                        "unused");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("error: ") && r.err.contains("must be positive, got 0"), r.err);
    }

    // ---- helpers

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        Run r = capture(() -> io.accent.cli.Main.execute(args));
        assertEquals(0, r.code, () -> String.join(" ", args) + ": " + r.err);
        return r;
    }

    /** {@code accent-spark args}. */
    static Run spark(String... args) {
        return capture(() -> Main.execute(args));
    }

    private static synchronized Run capture(java.util.function.IntSupplier body) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = body.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code evaluate} of the files in {@code dir} with {@link #EVALUATE}, then {@code extra}. */
    private static String[] evaluate(Path dir, String... extra) {
        return concat(
                new String[] {
                    "evaluate", "--model", NCF.toString(), "--explanations", dir.toString()
                },
                EVALUATE,
                extra);
    }

    private static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(List.of(p));
        }
        return all.toArray(String[]::new);
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return to;
    }

    private static List<Path> csvs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
    }

    /** Retrains in the cache under {@code dir}. */
    private static long cached(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("retrains"))) {
            return s.filter(p -> p.getFileName().toString().matches("seed-\\d+\\.json")).count();
        }
    }

    /** Every file under {@code a} is in {@code b} with the same bytes, and no other. */
    static void assertSameFiles(Path a, Path b) {
        Map<String, byte[]> x = files(a);
        Map<String, byte[]> y = files(b);
        assertEquals(x.keySet(), y.keySet());
        for (String f : x.keySet()) {
            assertArrayEquals(x.get(f), y.get(f), f);
        }
    }

    private static Map<String, byte[]> files(Path dir) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                if (!name.endsWith(".lock")) {
                    out.put(name, Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static final Pattern RUN = Pattern.compile("(\\d+) retrains run, (\\d+) taken");

    static int[] counts(String out) {
        Matcher m = RUN.matcher(out);
        assertTrue(m.find(), out);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
