package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.OutputTarget;
import io.accent.explain.ExplanationManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No command deletes what is not its own: {@code --out} equal to, inside or containing an input, an
 * existing file, or a directory accent did not write is refused (exit 2) and left exactly as it
 * was.
 */
class OutputSafetyTest {

    @TempDir Path tmp;

    static DataCommandTest.Run run(String... args) {
        return DataCommandTest.run(args);
    }

    /** Every file under {@code dir} with its content, to show nothing changed. */
    static TreeMap<String, String> snapshot(Path dir) {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(
                        dir.relativize(p).toString(),
                        java.util.Arrays.toString(
                                java.security.MessageDigest.getInstance("SHA-256")
                                        .digest(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    static void copyTree(Path from, Path to) throws IOException {
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
    }

    static void assertRefused(DataCommandTest.Run r, String why) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().trim().lines().count() == 1, r.err());
        assertTrue(r.err().contains(why), r.err());
    }

    @Test
    void exportWeightsNeverDeletesItsInputOrForeignFiles() throws Exception {
        Path model = tmp.resolve("model");
        copyTree(TestModels.smallModel(), model);
        TreeMap<String, String> before = snapshot(model);
        assertRefused(
                run("export-weights", "--model", model.toString(), "--out", model.toString()),
                "is the input");
        assertRefused(
                run(
                        "export-weights",
                        "--model",
                        model.toString(),
                        "--out",
                        model.resolve("w").toString(),
                        "--overwrite"),
                "lies inside the input");
        assertRefused(
                run(
                        "export-weights",
                        "--model",
                        model.toString(),
                        "--out",
                        tmp.toString(),
                        "--overwrite"),
                "contains the input");
        assertEquals(before, snapshot(model));

        Path file = tmp.resolve("afile");
        Files.writeString(file, "mine");
        assertRefused(
                run("export-weights", "--model", model.toString(), "--out", file.toString()),
                "exists and is not a directory");
        assertEquals("mine", Files.readString(file));

        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        assertRefused(
                run("export-weights", "--model", model.toString(), "--out", foreign.toString()),
                "--overwrite");
        assertEquals("keep me", Files.readString(foreign.resolve("notes.txt")));

        // its own output is replaced; with --overwrite, so is a foreign directory
        Path w = tmp.resolve("weights");
        assertEquals(
                0,
                run("export-weights", "--model", model.toString(), "--out", w.toString()).code());
        assertTrue(OutputTarget.writtenBy(w, "weights"));
        assertEquals(
                0,
                run("export-weights", "--model", model.toString(), "--out", w.toString()).code());
        assertEquals(
                0,
                run(
                                "export-weights",
                                "--model",
                                model.toString(),
                                "--out",
                                foreign.toString(),
                                "--overwrite")
                        .code());
        assertFalse(Files.exists(foreign.resolve("notes.txt")));
        assertTrue(Files.exists(foreign.resolve("W1.npy")));
        // a model directory is not replaced by weights, even though accent wrote it
        assertRefused(
                run(
                        "export-weights",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--out",
                        model.toString()),
                "not written by accent as a weights directory");
    }

    @Test
    void dataPrepareNeverDeletesItsInputs() throws Exception {
        Path root = tmp.resolve("accent-data");
        Path raw = root.resolve("raw");
        assertEquals(
                0,
                run("data", "synth", "--out", raw.toString(), "--users", "20", "--items", "100")
                        .code());
        TreeMap<String, String> before = snapshot(root);
        for (Path out : List.of(root, raw, raw.resolve("prepared"))) {
            DataCommandTest.Run r =
                    run(
                            "data",
                            "prepare",
                            "--movielens",
                            raw.toString(),
                            "--rcf",
                            raw.toString(),
                            "--out",
                            out.toString(),
                            "--overwrite");
            assertRefused(r, "input");
        }
        assertEquals(before, snapshot(root));
        DataCommandTest.Run ok =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        raw.toString(),
                        "--rcf",
                        raw.toString(),
                        "--out",
                        root.resolve("prepared").toString(),
                        "--name",
                        "s");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(1, ok.out().lines().filter(l -> l.startsWith("prepared ")).count(), ok.out());
        assertFalse(ok.err().contains("INFO"), "summary printed again as a log line: " + ok.err());
        // synth into a foreign directory is refused too
        Path foreign = tmp.resolve("mine");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("u.data"), "1\t1\t1\t1\n");
        assertRefused(
                run(
                        "data",
                        "synth",
                        "--out",
                        foreign.toString(),
                        "--users",
                        "20",
                        "--items",
                        "100"),
                "--overwrite");
        assertEquals("1\t1\t1\t1\n", Files.readString(foreign.resolve("u.data")));
    }

    @Test
    void trainNeverReplacesItsDataDirectory() throws Exception {
        Path data = tmp.resolve("data");
        copyTree(TestModels.smallData(), data);
        TreeMap<String, String> before = snapshot(data);
        for (Path out : List.of(data, data.resolve("m"), tmp)) {
            assertRefused(
                    run(
                            "train",
                            "ncf",
                            "--data",
                            data.toString(),
                            "--out",
                            out.toString(),
                            "--steps",
                            "5",
                            "--overwrite"),
                    "input");
        }
        assertEquals(before, snapshot(data));
        Path m = tmp.resolve("m");
        assertEquals(
                0,
                run(
                                "train",
                                "ncf",
                                "--data",
                                data.toString(),
                                "--out",
                                m.toString(),
                                "--steps",
                                "5")
                        .code());
        assertEquals(
                0,
                run(
                                "train",
                                "ncf",
                                "--data",
                                data.toString(),
                                "--out",
                                m.toString(),
                                "--steps",
                                "5")
                        .code(),
                "retraining into its own model directory");
    }

    @Test
    void explainRefusesToResumeAnotherModelsFiles() throws Exception {
        String user = String.valueOf(ModelCommandsTest.firstRawUser());
        Path out = tmp.resolve("ex");
        assertEquals(
                0,
                run(
                                "explain",
                                "--model",
                                TestModels.smallModel().toString(),
                                "--users",
                                user,
                                "--k",
                                "5",
                                "--out",
                                out.toString())
                        .code());
        String before = Files.readString(out.resolve("accent_5.csv"));
        // the same path, trained again with other steps: another model
        Path other = tmp.resolve("other");
        assertEquals(
                0,
                run(
                                "train",
                                "ncf",
                                "--data",
                                TestModels.smallData().toString(),
                                "--out",
                                other.toString(),
                                "--steps",
                                "20")
                        .code());
        DataCommandTest.Run r =
                run(
                        "explain",
                        "--model",
                        other.toString(),
                        "--users",
                        user,
                        "--k",
                        "5",
                        "--out",
                        out.toString());
        assertEquals(3, r.code(), r.err());
        String recorded = ExplanationManifest.read(out).orElseThrow().substring(0, 16);
        assertTrue(r.err().contains(recorded) && r.err().contains("not by this model"), r.err());
        assertEquals(before, Files.readString(out.resolve("accent_5.csv")));
        // the same model with other influence settings: refused, the files unchanged; the
        // default spelled out is the same settings
        r =
                run(
                        "explain",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--users",
                        user,
                        "--k",
                        "5",
                        "--scope",
                        "full",
                        "--out",
                        out.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(
                r.err().contains("influence settings [the defaults], not [--scope=full]"), r.err());
        assertEquals(before, Files.readString(out.resolve("accent_5.csv")));
        assertEquals("", ExplanationManifest.settings(out));
        assertEquals(
                0,
                run(
                                "explain",
                                "--model",
                                TestModels.smallModel().toString(),
                                "--users",
                                user,
                                "--k",
                                "5",
                                "--scope",
                                "embeddings",
                                "--out",
                                out.toString())
                        .code());
        Path full = tmp.resolve("full");
        DataCommandTest.Run f =
                run(
                        "explain",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--users",
                        user,
                        "--k",
                        "5",
                        "--scope",
                        "full",
                        "--out",
                        full.toString());
        assertEquals(0, f.code(), f.err());
        assertEquals("--scope=full", ExplanationManifest.settings(full));
        // result files without a manifest cannot be attributed: refused
        Path orphan = tmp.resolve("orphan");
        Files.createDirectories(orphan);
        Files.writeString(orphan.resolve("accent_5.csv"), before);
        r =
                run(
                        "explain",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--users",
                        user,
                        "--k",
                        "5",
                        "--out",
                        orphan.toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("without " + ExplanationManifest.FILE_NAME), r.err());
        // an explanation directory inside the model is refused before anything is written
        assertRefused(
                run(
                        "explain",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--users",
                        user,
                        "--out",
                        TestModels.smallModel().resolve("ex").toString()),
                "inside the input");
    }

    @Test
    void aResumedExplainSummarizesEveryUserInTheFiles() {
        Path out = tmp.resolve("resume");
        String first = String.valueOf(ModelCommandsTest.firstRawUser());
        assertEquals(
                0,
                run(
                                "explain",
                                "--model",
                                TestModels.smallModel().toString(),
                                "--users",
                                first,
                                "--k",
                                "5",
                                "--out",
                                out.toString())
                        .code());
        List<String> users = new ArrayList<>();
        try {
            for (String line :
                    Files.readAllLines(TestModels.smallModel().resolve("data/users.tsv"))
                            .subList(0, 3)) {
                users.add(line.split("\t")[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataCommandTest.Run r =
                run(
                        "explain",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--users",
                        String.join(",", users),
                        "--k",
                        "5",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 users explained"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("accent\\s+5\\s+\\d+/3\\s.*")), r.out());
    }
}
