package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.Progress;
import io.accent.modelio.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors, exit codes and console output as docs/CLI.md promises them. */
class ConsoleConventionsTest {

    @TempDir Path tmp;

    static DataCommandTest.Run run(String... args) {
        return DataCommandTest.run(args);
    }

    static String model() {
        return TestModels.smallModel().toString();
    }

    @Test
    void verbosePrintsAStackTraceAndOtherwiseOneLine() {
        DataCommandTest.Run quiet =
                run("recommend", "--model", tmp.resolve("none").toString(), "--user", "1");
        assertEquals(4, quiet.code());
        assertEquals(1, quiet.err().trim().lines().count(), quiet.err());
        DataCommandTest.Run loud =
                run(
                        "recommend",
                        "--model",
                        tmp.resolve("none").toString(),
                        "--user",
                        "1",
                        "--verbose");
        assertEquals(4, loud.code());
        assertTrue(loud.err().contains("\tat io.accent."), loud.err());
        assertTrue(loud.err().trim().endsWith(quiet.err().trim()), loud.err());
    }

    @Test
    void aFileGivenAsTheModelIsNotADirectoryRatherThanMissing() throws Exception {
        Path file = tmp.resolve("README.md");
        Files.writeString(file, "# not a model\n");
        DataCommandTest.Run r = run("recommend", "--model", file.toString(), "--user", "1");
        assertEquals(4, r.code(), r.err());
        assertEquals(
                List.of("error: model directory " + file + " is not a directory"),
                r.err().trim().lines().toList());
        r = run("recommend", "--model", tmp.resolve("none").toString(), "--user", "1");
        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().trim().endsWith(" does not exist"), r.err());
    }

    @Test
    void aSavedModelWithoutItsVariablesIndexIsAModelError() throws Exception {
        Path copy = tmp.resolve("m");
        OutputSafetyTest.copyTree(TestModels.smallModel(), copy);
        Files.delete(
                copy.resolve(ModelStore.SAVED_MODEL)
                        .resolve("variables")
                        .resolve("variables.index"));
        DataCommandTest.Run r =
                run(
                        "recommend",
                        "--model",
                        copy.toString(),
                        "--user",
                        String.valueOf(ModelCommandsTest.firstRawUser()));
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.err().trim().lines().count(), r.err());
        assertTrue(r.err().contains("variables.index is missing"), r.err());
    }

    @Test
    void usageErrorsAreOneLinePlusAHint() {
        DataCommandTest.Run r = run("recommend", "--model", model());
        assertEquals(2, r.code());
        assertEquals(
                List.of("error: give --user or --users", "try 'accent recommend --help'"),
                r.err().trim().lines().toList());
        r = run("train", "ncf", "--bogus");
        assertEquals(2, r.code());
        assertEquals(2, r.err().trim().lines().count(), r.err());
        assertTrue(
                r.err().startsWith("error: ") && r.err().contains("try 'accent train ncf --help'"),
                r.err());
        assertFalse(r.err().contains("Usage:"), r.err());
    }

    @Test
    void optionsAreValidatedBeforeTheModelIsLoaded() throws Exception {
        String missing = tmp.resolve("no-model").toString();
        for (String[] args :
                List.of(
                        new String[] {"explain", "--model", missing, "--k", "abc"},
                        new String[] {"explain", "--model", missing, "--k", "1"},
                        new String[] {"explain", "--model", missing, "--users", "x,y"},
                        new String[] {"explain", "--model", missing, "--batch", "0"},
                        new String[] {
                            "recommend", "--model", missing, "--user", "1", "--k", "0"
                        })) {
            DataCommandTest.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        }
        // refused before the model loads (a missing model would be exit 4), with the help hint
        for (String[] args :
                List.of(
                        new String[] {"explain", "--model", missing, "--k", "5,5"},
                        new String[] {"explain", "--model", missing, "--k", "0"},
                        new String[] {"explain", "--model", missing, "--k", "21"},
                        new String[] {"explain", "--model", missing, "--k", "abc"},
                        new String[] {"explain", "--model", missing, "--batch", "0"},
                        new String[] {"explain", "--model", missing, "--users", "2,2"},
                        new String[] {"explain", "--model", missing, "--users", "x,y"},
                        new String[] {"explain", "--model", missing, "--algo", "nope"},
                        new String[] {"explain", "--model", missing, "--solver", "nope"},
                        new String[] {"explain", "--model", missing, "--hessian", "nope"},
                        new String[] {
                            "influence", "--model", missing, "--user", "1", "--items", "3,4,3"
                        },
                        new String[] {
                            "influence", "--model", missing, "--user", "1", "--hessian", "nope"
                        },
                        new String[] {
                            "influence",
                            "--model",
                            missing,
                            "--user",
                            "1",
                            "--cg-max-iterations",
                            "0"
                        },
                        new String[] {
                            "recommend", "--model", missing, "--user", "1", "--k", "0"
                        })) {
            DataCommandTest.Run r = run(args);
            String what = String.join(" ", args) + ": " + r.err();
            assertEquals(2, r.code(), what);
            List<String> lines = r.err().trim().lines().toList();
            assertEquals(2, lines.size(), what);
            assertTrue(lines.get(0).startsWith("error: "), what);
            assertEquals("try 'accent " + args[0] + " --help'", lines.get(1), what);
        }
        assertTrue(
                run("explain", "--model", missing, "--k", "5,10,5")
                        .err()
                        .startsWith("error: --k lists 5 twice"));
        assertTrue(
                run("explain", "--model", missing, "--users", "2,3,2")
                        .err()
                        .startsWith("error: --users lists user 2 twice"));
        assertEquals(io.accent.ncf.NcfInfluenceConfig.defaults().topK(), ExplainCommand.MAX_K);
        assertEquals(io.accent.rcf.RcfInfluenceConfig.defaults().topK(), ExplainCommand.MAX_K);
        String help = run("explain", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("each 2..20"), help);

        Path ex = tmp.resolve("ex");
        Files.createDirectories(ex);
        Files.writeString(
                ex.resolve("accent_5.csv"),
                "user,item,topk,counterfactual,predicted_scores,replacement\n"
                        + "1,2,\"[2, 3]\",{4},\"[1.0, 2.0]\",3\n");
        for (String n : List.of("0", "-3")) {
            DataCommandTest.Run r =
                    run(
                            "evaluate",
                            "--model",
                            missing,
                            "--explanations",
                            ex.toString(),
                            "--sample",
                            n);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--sample must be positive"), r.err());
        }
    }

    @Test
    void threadCountsAreCheckedTheSameWayEverywhereBeforeAnythingIsLoaded() {
        String missing = tmp.resolve("none").toString();
        String out = tmp.resolve("out").toString();
        List<String[]> commands =
                List.of(
                        new String[] {"train", "ncf", "--data", missing, "--out", out},
                        new String[] {"train", "rcf", "--data", missing, "--out", out},
                        new String[] {"explain", "--model", missing},
                        new String[] {"evaluate", "--model", missing, "--explanations", missing});
        for (String[] c : commands) {
            String name = "accent " + c[0] + (c[0].equals("train") ? " " + c[1] : "");
            for (String t : List.of("-1", "0", "1025", "10000", "x")) {
                List<String> args = new ArrayList<>(List.of(c));
                args.add("--threads");
                args.add(t);
                DataCommandTest.Run r = run(args.toArray(String[]::new));
                assertEquals(2, r.code(), args + ": " + r.err());
                List<String> lines = r.err().trim().lines().toList();
                assertEquals(2, lines.size(), args + ": " + r.err());
                assertTrue(
                        lines.get(0).startsWith("error: ") && lines.get(0).contains("--threads"),
                        r.err());
                assertEquals("try '" + name + " --help'", lines.get(1));
            }
            String help =
                    run(c[0].equals("train")
                                    ? new String[] {c[0], c[1], "--help"}
                                    : new String[] {c[0], "--help"})
                            .out();
            assertTrue(help.contains("1..1024"), help);
        }
    }

    @Test
    void aDeniedWriteSaysPermissionDeniedOnce() {
        // as AtomicFiles reports a read-only parent of --out (not reproducible as root)
        String dir = tmp.resolve("ro").resolve(".out.tmp-1").toString();
        java.nio.file.AccessDeniedException denied = new java.nio.file.AccessDeniedException(dir);
        String wrapped =
                "cannot write "
                        + tmp.resolve("ro").resolve("out")
                        + ": "
                        + io.accent.core.AtomicFiles.reason(denied);
        assertEquals(
                wrapped,
                Main.message(new java.io.UncheckedIOException(wrapped, denied)),
                "the reason is given once");
        // a bare path as the message still becomes the reason
        assertEquals(
                "cannot read x: permission denied: " + dir,
                Main.message(new java.io.UncheckedIOException("cannot read x: " + dir, denied)));
        assertEquals(
                "permission denied: " + dir,
                Main.message(new java.io.UncheckedIOException(denied)));
    }

    @Test
    void ioErrorsSayWhyAndBinaryInputIsNotEchoed() throws Exception {
        Path file = tmp.resolve("afile");
        Files.writeString(file, "x");
        DataCommandTest.Run r =
                run("export-weights", "--model", model(), "--out", file.resolve("sub").toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("exists and is a file"), r.err());

        Path raw = tmp.resolve("raw");
        assertEquals(
                0,
                run("data", "synth", "--out", raw.toString(), "--users", "20", "--items", "100")
                        .code());
        byte[] junk = new byte[512];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 37);
        }
        Files.write(raw.resolve("u.data"), junk);
        r =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        raw.toString(),
                        "--rcf",
                        raw.toString(),
                        "--out",
                        tmp.resolve("p").toString());
        assertEquals(3, r.code(), r.err());
        String line = r.err().trim();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "raw bytes echoed: " + line);
        assertTrue(line.contains("u.data:1: not a line of text"), line);
    }

    @Test
    void usersWithoutTrainingRowsAreReportedAndSkipped() throws Exception {
        Path copy = tmp.resolve("m");
        OutputSafetyTest.copyTree(TestModels.smallModel(), copy);
        Path data = copy.resolve(ModelStore.DATA);
        String[] ids =
                Files.readAllLines(data.resolve("users.tsv")).get(1).split("\t"); // dense, raw
        String dense = ids[0];
        String victim = ids[1];
        Path train = data.resolve("ncf-train.tsv");
        List<String> kept =
                Files.readAllLines(train).stream()
                        .filter(l -> !l.split("\t")[0].equals(dense))
                        .collect(Collectors.toList());
        Files.writeString(train, kept.stream().map(l -> l + "\n").collect(Collectors.joining()));
        Path descriptor = data.resolve("dataset.json");
        String json = Files.readString(descriptor);
        String oldDigest =
                sha256(TestModels.smallModel().resolve(ModelStore.DATA).resolve("ncf-train.tsv"));
        Files.writeString(descriptor, json.replace(oldDigest, sha256(train)));
        DataCommandTest.Run r =
                run(
                        "explain",
                        "--model",
                        copy.toString(),
                        "--users",
                        "all",
                        "--k",
                        "5",
                        "--out",
                        tmp.resolve("ex").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err().contains("without training ratings") && r.err().contains(victim), r.err());
        assertTrue(r.out().contains("39 users explained"), r.out());
    }

    @Test
    void aRepairedResultFileIsAWarningLineNotALoggerLine() throws Exception {
        Path ex = tmp.resolve("ex");
        List<String> users =
                Files.readAllLines(TestModels.smallModel().resolve("data/users.tsv")).stream()
                        .limit(2)
                        .map(l -> l.split("\t")[1])
                        .toList();
        String[] args = {
            "explain",
            "--model",
            model(),
            "--users",
            String.join(",", users),
            "--k",
            "5",
            "--out",
            ex.toString()
        };
        assertEquals(0, run(args).code());
        Path f = ex.resolve("accent_5.csv");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 7)); // a partial last row
        DataCommandTest.Run r = run(args);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.err().trim().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(
                lines.get(0).startsWith("warning: " + f + ": removed a partial last row of "),
                r.err());
        assertTrue(r.out().contains("1 users explained"), r.out());
        assertEquals(
                users,
                Files.readAllLines(f).stream().skip(1).map(l -> l.split(",")[0]).toList(),
                "the row is redone");
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void aChartFailureWarnsAndASubsetRunKeepsTheFullReport() throws Exception {
        String user = String.valueOf(ModelCommandsTest.firstRawUser());
        Path ex = tmp.resolve("ex");
        assertEquals(
                0,
                run(
                                "explain",
                                "--model",
                                model(),
                                "--users",
                                "all",
                                "--k",
                                "5",
                                "--out",
                                ex.toString())
                        .code());
        // something in the way of a chart (as a runtime without font libraries would fail)
        Files.createDirectories(
                ex.resolve("evaluation-users-" + user + "-table.png").resolve("blocked"));
        DataCommandTest.Run r =
                run(
                        "evaluate",
                        "--model",
                        model(),
                        "--explanations",
                        ex.toString(),
                        "--retrains",
                        "1",
                        "--steps",
                        "20",
                        "--users",
                        user);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().trim().lines().count(), r.err());
        assertTrue(r.err().startsWith("warning: charts not written"), r.err());
        assertTrue(Files.exists(ex.resolve("evaluation-users-" + user + ".json")));
        assertFalse(
                Files.exists(ex.resolve("evaluation.json")),
                "a subset run wrote the full run's report");
    }

    @Test
    void helpFitsEightyColumnsWithoutSplittingUrls() {
        List<String[]> commands =
                List.of(
                        new String[] {"--help"},
                        new String[] {"train", "--help"},
                        new String[] {"train", "ncf", "--help"},
                        new String[] {"train", "rcf", "--help"},
                        new String[] {"recommend", "--help"},
                        new String[] {"score", "--help"},
                        new String[] {"export-weights", "--help"},
                        new String[] {"influence", "--help"},
                        new String[] {"explain", "--help"},
                        new String[] {"evaluate", "--help"},
                        new String[] {"compare", "--help"},
                        new String[] {"data", "--help"},
                        new String[] {"data", "prepare", "--help"},
                        new String[] {"data", "fetch", "--help"},
                        new String[] {"data", "synth", "--help"},
                        new String[] {"import", "--help"},
                        new String[] {"import", "checkpoint", "--help"},
                        new String[] {"import", "savedmodel", "--help"});
        for (String[] c : commands) {
            DataCommandTest.Run r = run(c);
            assertEquals(0, r.code());
            List<String> lines = r.out().lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                assertTrue(
                        line.length() <= 80,
                        String.join(" ", c) + ": " + line.length() + " columns: " + line);
                // no hard break inside a sentence: picocli fills a line (to about 79 columns) as
                // far as the next word
                // fits, so a line continued in lower case with room left for that word was broken
                // by hand in the source
                if (i + 1 < lines.size()
                        && lines.get(i + 1).strip().matches("^[a-z].*")
                        && !line.matches(".*[.:]$")) {
                    String next = lines.get(i + 1).strip().split("\\s+")[0];
                    assertTrue(
                            line.length() + 1 + next.length() > 78,
                            String.join(" ", c) + ": a sentence broken by hand after: " + line);
                }
                // no file name or URL cut at a dot, underscore or slash
                if (i + 1 < lines.size() && line.matches(".*\\s\\S*[._/:]\\S*[._/]$")) {
                    // (the next entry of a command list starts at column 2: not a continuation)
                    assertFalse(
                            lines.get(i + 1).strip().matches("^[a-z0-9{].*")
                                    && !lines.get(i + 1).matches("^  [a-z].*"),
                            String.join(" ", c) + ": a word is split across lines: " + line);
                }
            }
        }
        for (String[] c : commands) {
            List<String> lines = run(c).out().lines().toList();
            int at = lines.indexOf("Commands:");
            for (int i = at + 1; at >= 0 && i < lines.size() && !lines.get(i).isBlank(); i++) {
                assertFalse(
                        lines.get(i).endsWith(":"),
                        String.join(" ", c) + ": a command's summary is cut off: " + lines.get(i));
            }
        }
        // the continuation of the environment variable's description is indented
        List<String> data = run("data", "--help").out().lines().toList();
        int env = data.indexOf("Environment:");
        assertTrue(env > 0 && data.get(env + 1).startsWith("  ACCENT_DATA  "), data.toString());
        for (int i = env + 2; i < data.size(); i++) {
            assertTrue(data.get(i).startsWith("               "), data.get(i));
        }
        String fetch = run("data", "fetch", "--help").out();
        assertTrue(fetch.contains(io.accent.data.Datasets.MOVIELENS_BASE + "NAME.zip"), fetch);
        assertTrue(fetch.contains(io.accent.data.Datasets.HETREC_2K_URL), fetch);
        for (String name : io.accent.data.Datasets.names()) {
            assertTrue(fetch.contains(name), fetch);
        }
        for (String[] c : commands) {
            String out = run(c).out();
            assertTrue(out.contains("--verbose") || out.contains("Commands:"), String.join(" ", c));
        }
    }

    @Test
    void progressBarsOnlyOnATerminalAndWithSaneNumbers() {
        Options.Console c = new Options.Console();
        assertSame(Progress.NONE, c.progress("step"), "stderr of the test JVM is not a terminal");
        c.progress = true;
        assertTrue(c.progress("step") instanceof ConsoleProgress);
        String done = ConsoleProgress.render("explain", 1000, 1000, 4.0, "user", "");
        assertTrue(done.contains("100% [=========================] 1000/1000"), done);
        String start = ConsoleProgress.render("explain", 0, 1000, 0.0, "user", "");
        assertTrue(start.contains("  0% [>"), start);
        String slow = ConsoleProgress.render("explain", 3, 1000, 10.0, "user", "");
        assertTrue(slow.contains(" 0.3 user/s"), slow);
        assertFalse(slow.matches(".*\\s\\.\\d.*"), slow);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ConsoleProgress p =
                new ConsoleProgress("step", new PrintStream(b, true, StandardCharsets.UTF_8))) {
            p.start("train", 10);
            p.step(10);
        }
        String text = b.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n") && text.contains("100%"), text);
    }

    @Test
    void tensorFlowNativeLogLinesOnlyWithVerbose() throws Exception {
        String embedded = Path.of("saved-models", "ncf-synthetic").toString();
        List<String> quiet =
                new ArrayList<>(
                        List.of("recommend", "--model", embedded, "--user", "1", "--k", "3"));
        Result q = subprocess(quiet);
        assertEquals(0, q.code(), q.err());
        assertEquals("", q.err(), "native log lines on stderr");
        assertTrue(q.out().contains("Top 3 for user 1"), q.out());
        quiet.add("--verbose");
        Result v = subprocess(quiet);
        assertEquals(0, v.code(), v.err());
        assertTrue(v.err().contains("tensorflow"), v.err());
        // errors still reach stderr when native output is silenced
        Result e = subprocess(List.of("recommend", "--model", embedded, "--user", "999999"));
        assertEquals(3, e.code());
        assertTrue(e.err().startsWith("error: unknown user 999999"), e.err());
    }

    @Test
    void noNativeLogLinesUnderAFileSizeLimit() throws Exception {
        List<String> args =
                List.of(
                        "recommend",
                        "--model",
                        Path.of("saved-models", "ncf-synthetic").toString(),
                        "--user",
                        "1",
                        "--k",
                        "3");
        // once without the limit, so that TensorFlow's own native cache is in place
        assertEquals(0, subprocess(args).code());
        // JNA used to extract its stub to a new file on every run, which the limit (2 KiB) stops:
        // then nothing silenced TensorFlow's lines
        Result r = subprocess(args, "ulimit -f 2");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "native log lines on stderr");
        assertTrue(r.out().contains("Top 3 for user 1"), r.out());
    }

    @Test
    void trainingUnderAFileSizeLimitIsOneLineInWords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m");
        Result r =
                subprocess(
                        List.of(
                                "train",
                                "ncf",
                                "--data",
                                Path.of("data", "synthetic", "prepared").toString(),
                                "--out",
                                out.toString(),
                                "--steps",
                                "10"),
                        "ulimit -f 100");
        assertEquals(4, r.code(), r.err());
        assertEquals("error: cannot write the model's SavedModel: file too large", r.err().strip());
        assertFalse(Files.exists(out));
    }

    record Result(int code, String out, String err) {}

    /**
     * Runs the CLI in its own JVM, as {@code java -jar} does: no environment prepared for
     * TensorFlow.
     */
    static Result subprocess(List<String> args) throws Exception {
        return subprocess(args, null);
    }

    /** {@link #subprocess(List)} started by a shell that first runs {@code setup} (or none). */
    static Result subprocess(List<String> args, String setup) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (setup != null) {
            cmd.addAll(List.of("bash", "-c", setup + "; exec \"$@\"", "bash"));
        }
        cmd.addAll(
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
        Path out = Files.createTempFile("accent-out", ".txt");
        Path err = Files.createTempFile("accent-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
