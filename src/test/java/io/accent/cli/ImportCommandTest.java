package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.ImportFixtures;
import io.accent.TestModels;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.rcf.RcfImportFixtures;
import io.accent.tf.ParameterSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accent import} end to end: fixtures written with TensorFlow Java, then influence and
 * explain.
 */
class ImportCommandTest {

    @TempDir Path tmp;

    private static DataCommandTest.Run run(String... args) {
        return DataCommandTest.run(args);
    }

    private static ParameterSet trained() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            return m.parameters();
        }
    }

    private static int[] rawUsers() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            return ((io.accent.ncf.NcfModel) m).data().users().rawIds();
        }
    }

    private Path referenceCheckpoint() throws Exception {
        Path prefix = tmp.resolve("ref/ncf-checkpoint-1999");
        Files.createDirectories(prefix.getParent());
        ImportFixtures.writeReferenceCheckpoint(trained(), prefix, true, false);
        return prefix;
    }

    @Test
    void referenceCheckpointThenInfluenceGivesTheOriginalValues() throws Exception {
        Path prefix = referenceCheckpoint();
        Path out = tmp.resolve("imported");
        DataCommandTest.Run r =
                run(
                        "import",
                        "checkpoint",
                        "--checkpoint",
                        prefix.toString(),
                        "--mapping",
                        "reference-ncf",
                        "--data",
                        TestModels.smallData().toString(),
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("optimizer state imported"), r.out());
        String user = String.valueOf(rawUsers()[3]);
        DataCommandTest.Run a =
                run("influence", "--model", TestModels.smallModel().toString(), "--user", user);
        DataCommandTest.Run b = run("influence", "--model", out.toString(), "--user", user);
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertTrue(a.out().lines().count() > 10, a.out());
        assertEquals(a.out(), b.out());
        DataCommandTest.Run w =
                run(
                        "export-weights",
                        "--model",
                        out.toString(),
                        "--out",
                        tmp.resolve("w").toString());
        assertEquals(0, w.code(), w.err());
        assertTrue(Files.exists(tmp.resolve("w/P_mlp.adam_m.npy")));
    }

    @Test
    void kerasSavedModelIsImportedWithAMappingFileAndExplained() throws Exception {
        Path sm = tmp.resolve("keras/model");
        ImportFixtures.writeKerasSavedModel(trained(), sm, rawUsers());
        Path mapping = tmp.resolve("keras/mapping.json");
        Files.writeString(mapping, ImportFixtures.kerasMappingJson(Map.of()));
        Path out = tmp.resolve("imported");
        DataCommandTest.Run r =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        TestModels.smallData().toString(),
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().contains("scores agree with signature 'serving_default' on 256 pairs"),
                r.out());
        assertTrue(r.err().startsWith("warning: the mapping names no optimizer state"), r.err());
        String user = String.valueOf(rawUsers()[5]);
        DataCommandTest.Run e =
                run("explain", "--model", out.toString(), "--users", user, "--k", "5");
        assertEquals(0, e.code(), e.err());
        DataCommandTest.Run e0 =
                run(
                        "explain",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--users",
                        user,
                        "--k",
                        "5");
        assertTrue(e.out().contains("user " + user + ", accent, k=5: "), e.out());
        // the same explanation as on the model the SavedModel was made from (first line of each)
        assertEquals(e0.out().lines().findFirst(), e.out().lines().findFirst());
        DataCommandTest.Run rec =
                run(
                        "recommend",
                        "--model",
                        out.toString(),
                        "--user",
                        user,
                        "--k",
                        "5",
                        "--format",
                        "csv");
        DataCommandTest.Run rec0 =
                run(
                        "recommend",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--user",
                        user,
                        "--k",
                        "5",
                        "--format",
                        "csv");
        assertEquals(rec0.out(), rec.out());
        // and verification by retraining runs on it (fresh Adam state, a few steps)
        Path expl = tmp.resolve("expl");
        assertEquals(
                0,
                run(
                                "explain",
                                "--model",
                                out.toString(),
                                "--users",
                                user,
                                "--k",
                                "5",
                                "--out",
                                expl.toString())
                        .code());
        DataCommandTest.Run ev =
                run(
                        "evaluate",
                        "--model",
                        out.toString(),
                        "--explanations",
                        expl.toString(),
                        "--retrains",
                        "1",
                        "--steps",
                        "20",
                        "--batch",
                        "1");
        assertEquals(0, ev.code(), ev.err());
    }

    @Test
    void renamedRcfSavedModelIsImportedWithAMappingFileAndRecommendsTheSame() throws Exception {
        Path sm = tmp.resolve("rcf/model");
        RcfImportFixtures.writeRenamedSavedModel(sm);
        Path mapping = tmp.resolve("rcf/mapping.json");
        Files.writeString(mapping, RcfImportFixtures.savedModelMappingJson(Map.of()));
        Path out = tmp.resolve("imported");
        String data = TestModels.smallData().toString();
        DataCommandTest.Run r =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data,
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(
                r.out().contains("as RCF") && r.out().contains("optimizer state imported"),
                r.out());
        assertTrue(
                r.out().contains("scores agree with signature 'serving_default' on 256 pairs"),
                r.out());
        assertTrue(r.out().contains("test pairs ranked correctly: "), r.out());
        Path original = RcfImportFixtures.smallModel();
        for (int k : new int[] {0, 17}) {
            String user =
                    String.valueOf(
                            io.accent.data.RcfDataset.load(TestModels.smallData()).users().raw(k));
            DataCommandTest.Run rec =
                    run(
                            "recommend",
                            "--model",
                            out.toString(),
                            "--user",
                            user,
                            "--k",
                            "10",
                            "--format",
                            "csv");
            DataCommandTest.Run rec0 =
                    run(
                            "recommend",
                            "--model",
                            original.toString(),
                            "--user",
                            user,
                            "--k",
                            "10",
                            "--format",
                            "csv");
            assertEquals(0, rec.code(), rec.err());
            assertTrue(rec.out().lines().count() >= 10, rec.out());
            assertEquals(rec0.out(), rec.out());
        }

        // bad RCF input: one line, exit 4, nothing left behind
        Path bad = tmp.resolve("out/imported");
        Files.createDirectories(bad.getParent());
        Files.writeString(
                mapping, RcfImportFixtures.savedModelMappingJson(Map.of("R", "genre_embeddings")));
        DataCommandTest.Run shape =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data,
                        "--out",
                        bad.toString());
        assertFailsCleanly(
                shape,
                bad,
                "tensor 'genre_embeddings' (RCF R) has shape [18, 8] as mapped, RCF needs [4, 8]");
        assertEquals(4, shape.code());
        Files.writeString(
                mapping, RcfImportFixtures.savedModelMappingJson(Map.of("q", "item_embedding")));
        DataCommandTest.Run missing =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data,
                        "--out",
                        bad.toString());
        assertFailsCleanly(missing, bad, "no tensor 'item_embedding' (mapped to RCF q)");
        assertEquals(4, missing.code());

        // the output rule: a directory accent did not write needs --overwrite
        Files.writeString(mapping, RcfImportFixtures.savedModelMappingJson(Map.of()));
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("notes.txt"), "mine");
        DataCommandTest.Run refused =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data,
                        "--out",
                        bad.toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("give --overwrite"), refused.err());
        assertTrue(Files.exists(bad.resolve("notes.txt")));
        DataCommandTest.Run forced =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data,
                        "--out",
                        bad.toString(),
                        "--overwrite");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Files.exists(bad.resolve("notes.txt")));
    }

    @Test
    void helpOnEveryImportCommand() {
        for (String[] c :
                new String[][] {
                    {"import", "--help"},
                    {"import", "checkpoint", "--help"},
                    {"import", "savedmodel", "--help"}
                }) {
            DataCommandTest.Run r = run(c);
            assertEquals(0, r.code(), String.join(" ", c));
            assertTrue(r.out().contains("Usage:"), r.out());
        }
        DataCommandTest.Run none = run("import");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("checkpoint or savedmodel"), none.err());
    }

    private void assertFailsCleanly(DataCommandTest.Run r, Path out, String expected)
            throws Exception {
        assertTrue(r.code() != 0, "exit code " + r.code());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(Files.exists(out), out + " left behind");
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertTrue(
                    s.noneMatch(
                            p -> p.getFileName().toString().startsWith("." + out.getFileName())),
                    "temporary directory left behind");
        }
    }

    @Test
    void badInputsFailWithOneLineAndLeaveNothing() throws Exception {
        Path prefix = referenceCheckpoint();
        Path sm = tmp.resolve("keras/model");
        ImportFixtures.writeKerasSavedModel(trained(), sm, rawUsers());
        Path mapping = tmp.resolve("keras/mapping.json");
        Path out = tmp.resolve("out/imported");
        Files.createDirectories(out.getParent());
        String data = TestModels.smallData().toString();

        // a mapping naming a tensor the source lacks
        Files.writeString(mapping, ImportFixtures.kerasMappingJson(Map.of("W2", "dense_9/kernel")));
        assertFailsCleanly(
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data,
                        "--out",
                        out.toString()),
                out,
                "no tensor 'dense_9/kernel' (mapped to NCF W2)");
        // a tensor of the wrong shape
        Files.writeString(mapping, ImportFixtures.kerasMappingJson(Map.of("W2", "dense/kernel")));
        DataCommandTest.Run shape =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        sm.toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data,
                        "--out",
                        out.toString());
        assertFailsCleanly(shape, out, "tensor 'dense/kernel' (NCF W2) has shape [32, 16]");
        assertEquals(4, shape.code());
        // data with a different number of users
        Path other = ImportFixtures.preparedData(tmp.resolve("other"), 30, 120);
        DataCommandTest.Run users =
                run(
                        "import",
                        "checkpoint",
                        "--checkpoint",
                        prefix.toString(),
                        "--mapping",
                        "reference-ncf",
                        "--data",
                        other.toString(),
                        "--out",
                        out.toString());
        assertFailsCleanly(users, out, "tensor 'embedding_layer/mlp/embedding_users' (NCF P_mlp)");
        assertTrue(users.err().contains("but the data has 30 users"), users.err());
        // a corrupted index file
        Path index = Path.of(prefix + ".index");
        byte[] bytes = Files.readAllBytes(index);
        for (int k = bytes.length - 48; k < bytes.length; k++) {
            bytes[k] = (byte) (bytes[k] ^ 0x5a);
        }
        Files.write(index, bytes);
        DataCommandTest.Run corrupt =
                run(
                        "import",
                        "checkpoint",
                        "--checkpoint",
                        prefix.toString(),
                        "--mapping",
                        "reference-ncf",
                        "--data",
                        data,
                        "--out",
                        out.toString());
        assertFailsCleanly(
                corrupt, out, "the checkpoint index " + index + " is corrupt (bad magic number)");
        assertEquals(4, corrupt.code());
        // a missing checkpoint
        assertFailsCleanly(
                run(
                        "import",
                        "checkpoint",
                        "--checkpoint",
                        tmp.resolve("nothing").toString(),
                        "--mapping",
                        "reference-ncf",
                        "--data",
                        data,
                        "--out",
                        out.toString()),
                out,
                "no checkpoint index");
    }

    private DataCommandTest.Run importWith(Path sm, Path mapping, String... extra) {
        java.util.List<String> a =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "import",
                                "savedmodel",
                                "--saved-model",
                                sm.toString(),
                                "--mapping",
                                mapping.toString(),
                                "--data",
                                TestModels.smallData().toString(),
                                "--out",
                                tmp.resolve("imported").toString()));
        a.addAll(java.util.List.of(extra));
        return run(a.toArray(String[]::new));
    }

    private static void assertOneLineWithout(DataCommandTest.Run r, int code, String secret) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().trim().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertFalse(r.err().contains(secret), r.err());
    }

    @Test
    void mappingIdFilesStayInsideTheMappingFolderAndAreNeverEchoed() throws Exception {
        Path sm = tmp.resolve("keras/model");
        ImportFixtures.writeKerasSavedModel(trained(), sm, rawUsers());
        Path ids = tmp.resolve("keras/user-ids.txt");
        String secret = "SECRET-MARKER-7f3a";
        Files.writeString(tmp.resolve("secret.txt"), secret + "\nsecond line\n");
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Path mapping = dir.resolve("mapping.json");
        String json = ImportFixtures.kerasMappingJson(Map.of());
        java.util.function.Function<String, String> with =
                p -> json.replace("\"users\": \"user-ids.txt\"", "\"users\": \"" + p + "\"");

        // a relative path leaving the folder: refused, nothing read
        Files.writeString(mapping, with.apply("../secret.txt"));
        DataCommandTest.Run up = importWith(sm, mapping);
        assertOneLineWithout(up, 2, secret);
        assertTrue(up.err().contains("--allow-outside-paths"), up.err());
        // a link inside the folder that leads out of it: refused
        Files.createSymbolicLink(dir.resolve("link.txt"), tmp.resolve("secret.txt"));
        Files.writeString(mapping, with.apply("link.txt"));
        DataCommandTest.Run link = importWith(sm, mapping);
        assertOneLineWithout(link, 2, secret);
        assertTrue(link.err().contains("symbolic link"), link.err());
        // a link leading nowhere (yet) is refused too, as is a path with a '%' leaving the folder
        Files.createSymbolicLink(dir.resolve("dangling.txt"), tmp.resolve("later.txt"));
        Files.writeString(mapping, with.apply("dangling.txt"));
        assertOneLineWithout(importWith(sm, mapping), 2, secret);
        Files.writeString(mapping, with.apply("../%s%n.txt"));
        DataCommandTest.Run pct = importWith(sm, mapping);
        assertOneLineWithout(pct, 2, secret);
        assertTrue(pct.err().contains("%s%n.txt) leaves the mapping file's folder"), pct.err());
        // allowed outside, a file that is not an id list: the line, never the content
        Files.writeString(mapping, with.apply("../secret.txt"));
        DataCommandTest.Run allowed = importWith(sm, mapping, "--allow-outside-paths");
        assertOneLineWithout(allowed, 3, secret);
        assertTrue(allowed.err().contains("secret.txt line 1: not an integer id"), allowed.err());
        // a device is refused at once, even when allowed (it used to run into OutOfMemoryError)
        Files.writeString(mapping, with.apply("/dev/zero"));
        assertOneLineWithout(importWith(sm, mapping), 2, secret);
        long t0 = System.nanoTime();
        DataCommandTest.Run zero = importWith(sm, mapping, "--allow-outside-paths");
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "took too long");
        assertOneLineWithout(zero, 3, secret);
        assertTrue(zero.err().contains("/dev/zero is not a regular file"), zero.err());
        Files.writeString(mapping, with.apply("/proc/self/environ"));
        DataCommandTest.Run env = importWith(sm, mapping, "--allow-outside-paths");
        assertOneLineWithout(env, 3, "PATH=");
        assertTrue(env.err().contains("is not a regular file"), env.err());
        // an absolute path to a real id list: only with the option, then the import works
        Files.writeString(mapping, with.apply(ids.toAbsolutePath().toString()));
        DataCommandTest.Run abs = importWith(sm, mapping);
        assertOneLineWithout(abs, 2, secret);
        assertTrue(abs.err().contains("is absolute"), abs.err());
        DataCommandTest.Run ok = importWith(sm, mapping, "--allow-outside-paths");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("scores agree with signature"), ok.out());
    }

    @Test
    void truncatedOrBinaryMappingIsOneLineWithoutParserInternals() throws Exception {
        Path mapping = tmp.resolve("mapping.json");
        String json = ImportFixtures.kerasMappingJson(Map.of());
        Files.writeString(mapping, json.substring(0, 60));
        DataCommandTest.Run cut = importWith(tmp.resolve("none"), mapping);
        assertOneLineWithout(cut, 2, "Unexpected");
        assertTrue(
                cut.err()
                        .matches(
                                "error: .*mapping.json: not valid JSON \\(line \\d+, column \\d+\\)\\s*"),
                cut.err());
        assertFalse(cut.err().contains("Source:") || cut.err().contains("REDACTED"), cut.err());
        byte[] bin = new byte[64];
        for (int k = 0; k < bin.length; k++) {
            bin[k] = (byte) (0x80 + k);
        }
        Files.write(mapping, bin);
        DataCommandTest.Run b = importWith(tmp.resolve("none"), mapping);
        assertOneLineWithout(b, 2, "Input length");
        assertTrue(b.err().contains("mapping.json is not UTF-8 text (line 1)"), b.err());
        // a device or system file as the mapping itself is refused before it is read
        for (String special : new String[] {"/dev/zero", "/proc/self/environ"}) {
            if (Files.exists(Path.of(special))) {
                DataCommandTest.Run d = importWith(tmp.resolve("none"), Path.of(special));
                assertOneLineWithout(d, 2, "PATH=");
                assertTrue(d.err().contains("is not a regular file"), d.err());
            }
        }
    }
}
