package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.modelio.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model commands end to end through {@link Main#execute}: outputs, errors and exit codes. */
class ModelCommandsTest {

    @TempDir Path tmp;

    static DataCommandTest.Run run(String... args) {
        return DataCommandTest.run(args);
    }

    static String model() {
        return TestModels.smallModel().toString();
    }

    static int firstRawUser() {
        try {
            String line =
                    Files.readAllLines(TestModels.smallModel().resolve("data/users.tsv")).get(0);
            return Integer.parseInt(line.split("\t")[1]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] c :
                List.of(
                        new String[] {"--help"},
                        new String[] {"train", "ncf", "--help"},
                        new String[] {"recommend", "--help"},
                        new String[] {"export-weights", "--help"},
                        new String[] {"influence", "--help"},
                        new String[] {"explain", "--help"},
                        new String[] {"data", "prepare", "--help"},
                        new String[] {"data", "fetch", "--help"})) {
            DataCommandTest.Run r = run(c);
            assertEquals(0, r.code(), String.join(" ", c));
            assertTrue(r.out().contains("Usage:"), String.join(" ", c));
        }
    }

    @Test
    void trainWritesAModelThatRecommends() {
        Path out = tmp.resolve("m");
        DataCommandTest.Run t =
                run(
                        "train",
                        "ncf",
                        "--data",
                        TestModels.smallData().toString(),
                        "--out",
                        out.toString(),
                        "--steps",
                        "300");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("held-out RMSE"), t.out());
        // left out, the batch size cuts the training rows into the reference's 49 batches
        int rows = io.accent.data.PreparedDataset.load(TestModels.smallData()).train().size();
        assertEquals(rows / 49, batchSizeOf(out), t.out());
        assertTrue(t.out().contains("steps of " + rows / 49 + " rows"), t.out());
        DataCommandTest.Run given =
                run(
                        "train",
                        "mf",
                        "--data",
                        TestModels.smallData().toString(),
                        "--out",
                        tmp.resolve("mf").toString(),
                        "--steps",
                        "5",
                        "--batch-size",
                        "100");
        assertEquals(0, given.code(), given.err());
        assertEquals(100, batchSizeOf(tmp.resolve("mf")));
        DataCommandTest.Run r =
                run(
                        "recommend",
                        "--model",
                        out.toString(),
                        "--user",
                        String.valueOf(firstRawUser()),
                        "--k",
                        "5",
                        "--format",
                        "csv");
        assertEquals(0, r.code(), r.err());
        assertEquals(6, r.out().trim().split("\n").length, r.out());
    }

    private static int batchSizeOf(Path model) {
        var meta = ModelStore.readMetadata(model);
        assertEquals(meta.config().get("batch_size"), meta.provenance().config().get("batch_size"));
        return ((Number) meta.config().get("batch_size")).intValue();
    }

    @Test
    void recommendForManyUsersPrintsEachUsersList() {
        int u = firstRawUser();
        String one =
                run(
                                "recommend",
                                "--model",
                                model(),
                                "--user",
                                String.valueOf(u),
                                "--k",
                                "3",
                                "--format",
                                "csv")
                        .out();
        DataCommandTest.Run all =
                run(
                        "recommend",
                        "--model",
                        model(),
                        "--users",
                        "all",
                        "--k",
                        "3",
                        "--format",
                        "csv");
        assertEquals(0, all.code(), all.err());
        assertEquals(1 + 40 * 3, all.out().trim().split("\n").length);
        assertTrue(all.out().startsWith(one), all.out());
        DataCommandTest.Run json =
                run("recommend", "--model", model(), "--users", u + "," + u, "--k", "3");
        assertEquals(2, json.code());
        assertTrue(json.err().startsWith("error: --users lists user " + u + " twice"), json.err());
        DataCommandTest.Run neither = run("recommend", "--model", model());
        assertEquals(2, neither.code());
        assertTrue(neither.err().startsWith("error: give --user or --users"), neither.err());
        DataCommandTest.Run unknown = run("recommend", "--model", model(), "--users", "999999");
        assertEquals(3, unknown.code());
    }

    @Test
    void badInputGivesOneLineAndADistinctExitCode() {
        DataCommandTest.Run r = run("recommend", "--model", model(), "--user", "999999");
        assertEquals(3, r.code());
        assertEquals(
                "error: unknown user 999999: not among the 40 users of synthetic-test",
                r.err().trim());

        r = run("recommend", "--model", tmp.resolve("missing").toString(), "--user", "1");
        assertEquals(4, r.code());
        assertTrue(
                r.err().trim().startsWith("error: model directory") && !r.err().contains("\n\t"),
                r.err());

        r = run("recommend", "--model", TestModels.smallData().toString(), "--user", "1");
        assertEquals(4, r.code());
        assertTrue(r.err().contains("not an ACCENT model directory"), r.err());

        r =
                run(
                        "influence",
                        "--model",
                        model(),
                        "--user",
                        String.valueOf(firstRawUser()),
                        "--items",
                        "987654");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("unknown item 987654"), r.err());

        r = run("explain", "--model", model(), "--users", "1", "--algo", "magic");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("accent") && r.err().contains("pure-fia"), r.err());

        r =
                run(
                        "train",
                        "ncf",
                        "--data",
                        tmp.resolve("nodata").toString(),
                        "--out",
                        tmp.resolve("x").toString());
        assertEquals(3, r.code(), r.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void aModelWhoseGraphLacksATensorIsRejected() throws Exception {
        Path copy = tmp.resolve("foreign");
        copyTree(TestModels.smallModel(), copy);
        Path sm = copy.resolve(ModelStore.SAVED_MODEL);
        io.accent.core.AtomicFiles.deleteRecursively(sm);
        var meta = ModelStore.readMetadata(copy);
        // a SavedModel with the documented signature (user, item -> score) but no MLP weights: a
        // GMF
        try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
            org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(g);
            var p =
                    tf.withName("P_gmf")
                            .variable(
                                    tf.random.randomStandardNormal(
                                            tf.constant(new int[] {meta.numUsers(), 16}),
                                            org.tensorflow.types.TFloat32.class));
            var q =
                    tf.withName("Q_gmf")
                            .variable(
                                    tf.random.randomStandardNormal(
                                            tf.constant(new int[] {meta.numItems(), 16}),
                                            org.tensorflow.types.TFloat32.class));
            var user = tf.withName("user").placeholder(org.tensorflow.types.TInt32.class);
            var item = tf.withName("item").placeholder(org.tensorflow.types.TInt32.class);
            var score =
                    tf.withName("score")
                            .reduceSum(
                                    tf.math.mul(
                                            tf.gather(p, user, tf.constant(0)),
                                            tf.gather(q, item, tf.constant(0))),
                                    tf.constant(1));
            try (org.tensorflow.Session s = new org.tensorflow.Session(g)) {
                s.initialize();
                var sig =
                        org.tensorflow.Signature.builder(org.tensorflow.Signature.DEFAULT_KEY)
                                .input("user", user)
                                .input("item", item)
                                .output("score", score)
                                .build();
                org.tensorflow.SavedModelBundle.exporter(sm.toString())
                        .withSession(s)
                        .withSignature(sig)
                        .export();
            }
        }
        String u = String.valueOf(firstRawUser());
        // accent never runs the stored graph: the NCF network is built from its own code, so a
        // SavedModel that only honours the signature is refused by every command.
        for (String[] args :
                List.of(
                        new String[] {"recommend", "--model", copy.toString(), "--user", u},
                        new String[] {"influence", "--model", copy.toString(), "--user", u})) {
            DataCommandTest.Run r = run(args);
            assertEquals(4, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(
                    r.err().startsWith("error: ") && r.err().contains("has no variable 'P_mlp'"),
                    r.err());
        }
    }

    @Test
    void influenceCsvHasOneRowPerRatingAndTarget() {
        DataCommandTest.Run r =
                run("influence", "--model", model(), "--user", String.valueOf(firstRawUser()));
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().trim().split("\n");
        assertEquals(
                "user,removed_item,removed_rating,target_item,target_score,influence", lines[0]);
        assertEquals(0, (lines.length - 1) % 20);
        assertTrue(r.err().contains("0 direct fallbacks"), r.err());
    }

    @Test
    void explainResumesWithoutDuplicatingOrLosingRows() throws Exception {
        Path full = tmp.resolve("full");
        Path parts = tmp.resolve("parts");
        assertEquals(
                0,
                run(
                                "explain",
                                "--model",
                                model(),
                                "--users",
                                "all",
                                "--algo",
                                "accent,fia",
                                "--out",
                                full.toString())
                        .code());
        // an "interrupted" run: a few users first, then the whole run again
        String some = String.valueOf(firstRawUser());
        assertEquals(
                0,
                run(
                                "explain",
                                "--model",
                                model(),
                                "--users",
                                some,
                                "--algo",
                                "accent,fia",
                                "--out",
                                parts.toString())
                        .code());
        DataCommandTest.Run again =
                run(
                        "explain",
                        "--model",
                        model(),
                        "--users",
                        "all",
                        "--algo",
                        "accent,fia",
                        "--out",
                        parts.toString());
        assertEquals(0, again.code());
        assertTrue(again.out().contains("1 already in the result files"), again.out());
        try (Stream<Path> files = Files.list(full)) {
            for (Path f : files.toList()) {
                List<String> a = Files.readAllLines(f);
                List<String> b = Files.readAllLines(parts.resolve(f.getFileName()));
                assertEquals(a.size(), b.size(), f.getFileName().toString());
                assertEquals(
                        new java.util.HashSet<>(a),
                        new java.util.HashSet<>(b),
                        f.getFileName().toString());
            }
        }
        // a crash part-way through a user: its rows reached the accent files but not fia_5.csv or
        // fia_20.csv, and fia_10.csv ends in half of its row
        for (String name : List.of("fia_5.csv", "fia_20.csv", "fia_10.csv")) {
            Path f = parts.resolve(name);
            List<String> lines = Files.readAllLines(f);
            String last = lines.remove(lines.size() - 1);
            String text = String.join("\n", lines) + "\n";
            if (name.equals("fia_10.csv")) {
                text += last.substring(0, last.length() / 2);
            }
            Files.writeString(f, text);
        }
        DataCommandTest.Run resumed =
                run(
                        "explain",
                        "--model",
                        model(),
                        "--users",
                        "all",
                        "--algo",
                        "accent,fia",
                        "--out",
                        parts.toString());
        assertEquals(0, resumed.code(), resumed.err());
        try (Stream<Path> files = Files.list(full)) {
            for (Path f : files.toList()) {
                List<String> a = Files.readAllLines(f);
                List<String> b = Files.readAllLines(parts.resolve(f.getFileName()));
                assertEquals(a.size(), b.size(), "after the mid-user crash: " + f.getFileName());
                assertEquals(
                        new java.util.HashSet<>(a),
                        new java.util.HashSet<>(b),
                        "after the mid-user crash: " + f.getFileName());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
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
}
