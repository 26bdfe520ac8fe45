package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.model.ModelFingerprint;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.modelio.PlantedGraphs;
import io.accent.tf.ParameterSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models from untrusted sources: a model directory contributes variables only (its stored graph
 * never runs), and the one foreign graph accent runs (the score check of {@code import savedmodel})
 * is refused unless it holds only pure math operations.
 */
class UntrustedModelTest {

    @TempDir Path tmp;

    private static DataCommandTest.Run run(String... args) {
        return DataCommandTest.run(args);
    }

    private Path copyOfSynthetic(String name) throws Exception {
        Path copy = tmp.resolve(name);
        OutputSafetyTest.copyTree(TestModels.smallModel(), copy);
        return copy;
    }

    private static String firstUser(Path model) {
        try (TrainedModel m = ModelStore.load(model)) {
            return String.valueOf(m.users().raw(0));
        }
    }

    private static String firstItem(Path model) {
        try (TrainedModel m = ModelStore.load(model)) {
            return String.valueOf(m.items().raw(0));
        }
    }

    @Test
    void aPlantedGraphInAModelDirectoryNeverRuns() throws Exception {
        Path original = TestModels.smallModel();
        Path planted = copyOfSynthetic("planted");
        Path marker = tmp.resolve("pwned");
        PlantedGraphs.plantNcf(planted, PlantedGraphs.Plant.WRITE_FILE, marker);
        String u = firstUser(original);
        Path pairs = tmp.resolve("pairs.csv");
        Files.writeString(pairs, "user,item\n" + u + "," + firstItem(original) + "\n");
        List<List<String>> commands =
                List.of(
                        List.of("recommend", "--user", u, "--k", "5"),
                        List.of("score", "--pairs", pairs.toString()),
                        List.of("influence", "--user", u),
                        List.of("explain", "--users", u, "--k", "5"));
        for (List<String> c : commands) {
            DataCommandTest.Run p = run(withModel(c, planted));
            DataCommandTest.Run o = run(withModel(c, original));
            assertEquals(0, p.code(), c + ": " + p.err());
            assertFalse(Files.exists(marker), c + " ran the planted WriteFile");
            assertEquals(o.out(), p.out(), c.toString());
        }
        DataCommandTest.Run e =
                run(
                        "explain",
                        "--model",
                        planted.toString(),
                        "--users",
                        u,
                        "--k",
                        "5",
                        "--out",
                        tmp.resolve("ex").toString());
        assertEquals(0, e.code(), e.err());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aNegatedGraphCannotPassForTheModelItsVariablesMake() throws Exception {
        Path original = TestModels.smallModel();
        Path negated = copyOfSynthetic("negated");
        PlantedGraphs.plantNcf(negated, PlantedGraphs.Plant.NEGATE, tmp.resolve("unused"));
        String u = firstUser(original);
        // what runs is the family's network over the stored variables: the same model, the same
        // recommendations, the same fingerprint
        DataCommandTest.Run rn = run("recommend", "--model", negated.toString(), "--user", u);
        DataCommandTest.Run ro = run("recommend", "--model", original.toString(), "--user", u);
        assertEquals(0, rn.code(), rn.err());
        assertEquals(ro.out(), rn.out());
        try (TrainedModel a = ModelStore.load(original);
                TrainedModel b = ModelStore.load(negated)) {
            assertEquals(ModelFingerprint.of(a), ModelFingerprint.of(b));
        }
    }

    @Test
    void aRandomByteGraphFileIsNeverRead() throws Exception {
        Path model = copyOfSynthetic("random");
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Files.write(model.resolve("saved-model/saved_model.pb"), junk);
        String u = firstUser(model);
        DataCommandTest.Run r = run("recommend", "--model", model.toString(), "--user", u);
        DataCommandTest.Run o =
                run("recommend", "--model", TestModels.smallModel().toString(), "--user", u);
        assertEquals(0, r.code(), r.err());
        assertEquals(o.out(), r.out());
    }

    @Test
    void aBrokenModelJsonIsOneLineWithoutParserText() throws Exception {
        Path model = copyOfSynthetic("broken-json");
        Path meta = model.resolve("model.json");
        String json = Files.readString(meta);
        String u = firstUser(TestModels.smallModel());
        Files.writeString(meta, json.substring(0, json.length() / 2));
        DataCommandTest.Run r = run("recommend", "--model", model.toString(), "--user", u);
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("model.json: not valid JSON (line "), r.err());
        assertFalse(r.err().contains("Unexpected end-of-input"), r.err());
        Files.writeString(
                meta, json.replaceFirst("\"numUsers\" : [0-9]+", "\"numUsers\" : \"SECRET\""));
        DataCommandTest.Run t = run("recommend", "--model", model.toString(), "--user", u);
        assertEquals(4, t.code(), t.err());
        assertTrue(t.err().contains("not a valid model description (field 'numUsers')"), t.err());
        assertFalse(t.err().contains("SECRET"), t.err());
    }

    /** Replaces a model directory's variables checkpoint by {@code arrays}. */
    private static void rewriteVariables(Path model, List<io.accent.tf.NamedArray> arrays)
            throws Exception {
        Path vars = model.resolve("saved-model/variables");
        try (var files = Files.list(vars)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        io.accent.ImportFixtures.writeCheckpoint(arrays, vars.resolve("variables"));
    }

    @Test
    void variablesOfTheWrongShapeOrSizeAreRefusedFromTheIndex() throws Exception {
        ParameterSet state = trained();
        String u = firstUser(TestModels.smallModel());

        Path wrongShape = copyOfSynthetic("wrong-shape");
        List<io.accent.tf.NamedArray> arrays = new java.util.ArrayList<>();
        for (io.accent.tf.NamedArray a : state.arrays()) {
            if (a.name().equals("P_mlp")) {
                long[] sh = a.shape();
                sh[0] += 1;
                a = new io.accent.tf.NamedArray(a.name(), sh, new float[(int) (sh[0] * sh[1])]);
            }
            arrays.add(a);
        }
        rewriteVariables(wrongShape, arrays);
        DataCommandTest.Run r = run("recommend", "--model", wrongShape.toString(), "--user", u);
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("variable 'P_mlp' has shape"), r.err());

        Path oversized = copyOfSynthetic("oversized");
        List<io.accent.tf.NamedArray> more = new java.util.ArrayList<>(state.arrays());
        long largest = state.arrays().stream().mapToLong(a -> a.data().length).max().orElseThrow();
        more.add(
                new io.accent.tf.NamedArray(
                        "extra", new long[] {largest + 1}, new float[(int) largest + 1]));
        rewriteVariables(oversized, more);
        DataCommandTest.Run o = run("recommend", "--model", oversized.toString(), "--user", u);
        assertEquals(4, o.code(), o.err());
        assertTrue(o.err().contains("'extra'") && o.err().contains("larger than any"), o.err());
    }

    private DataCommandTest.Run runImport(Path sm, Path out, String... extra) throws Exception {
        Path mapping = tmp.resolve("mapping.json");
        StringBuilder t = new StringBuilder();
        for (String n :
                List.of("P_mlp", "Q_mlp", "P_gmf", "Q_gmf", "W1", "b1", "W2", "b2", "W3", "b3")) {
            t.append(t.length() == 0 ? "" : ", ")
                    .append('"')
                    .append(n)
                    .append("\": {\"tensor\": \"")
                    .append(n)
                    .append("\"}");
        }
        Files.writeString(
                mapping,
                "{\"family\": \"ncf\", \"tensors\": {"
                        + t
                        + "}, \"ids\": {\"users\": \"prepare-order\", \"items\": \"prepare-order\"}}");
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "import",
                                "savedmodel",
                                "--saved-model",
                                sm.toString(),
                                "--mapping",
                                mapping.toString(),
                                "--data",
                                TestModels.smallData().toString(),
                                "--out",
                                out.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static ParameterSet trained() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            return m.parameters();
        }
    }

    @Test
    void importRefusesAGraphThatWritesAFileAndTrustGraphLiftsIt() throws Exception {
        Path sm = tmp.resolve("source");
        Path marker = tmp.resolve("pwned");
        PlantedGraphs.writeNcfSavedModel(trained(), sm, marker);
        Path out = tmp.resolve("imported");
        DataCommandTest.Run r = runImport(sm, out);
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains("operation 'WriteFile'"), r.err());
        assertTrue(r.err().contains("--trust-graph"), r.err());
        assertFalse(Files.exists(marker), "the planted WriteFile ran");
        assertFalse(Files.exists(out));

        DataCommandTest.Run trusted = runImport(sm, out, "--trust-graph");
        assertEquals(0, trusted.code(), trusted.err());
        assertTrue(
                trusted.err().contains("warning: ") && trusted.err().contains("--trust-graph"),
                trusted.err());
        assertTrue(Files.exists(marker), "--trust-graph runs the graph as it is");
    }

    @Test
    void importOfAPureGraphChecksScoresWithoutTrust() throws Exception {
        Path src = tmp.resolve("clean");
        // accent's own export: pure math only
        OutputSafetyTest.copyTree(TestModels.smallModel().resolve("saved-model"), src);
        DataCommandTest.Run r = runImport(src, tmp.resolve("imported"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("scores agree with signature 'serving_default'"), r.out());
    }

    @Test
    void importRefusesAMalformedOrOversizedGraphFile() throws Exception {
        Path src = tmp.resolve("junk");
        OutputSafetyTest.copyTree(TestModels.smallModel().resolve("saved-model"), src);
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        Files.write(src.resolve("saved_model.pb"), junk);
        DataCommandTest.Run r = runImport(src, tmp.resolve("imported"));
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("saved_model.pb is not a SavedModel"), r.err());
        assertFalse(Files.exists(tmp.resolve("imported")));
        // a sparse file over the bound is refused before it is read
        try (var f = new java.io.RandomAccessFile(src.resolve("saved_model.pb").toFile(), "rw")) {
            f.setLength((256L << 20) + 1);
        }
        DataCommandTest.Run big = runImport(src, tmp.resolve("imported"));
        assertEquals(4, big.code(), big.err());
        assertTrue(big.err().contains("over the 256 MiB"), big.err());
    }

    private static String[] withModel(List<String> c, Path model) {
        List<String> a = new java.util.ArrayList<>(c.subList(0, 1));
        a.addAll(List.of("--model", model.toString()));
        a.addAll(c.subList(1, c.size()));
        return a.toArray(String[]::new);
    }
}
