package io.accent.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.cli.Main;
import io.accent.core.Progress;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MF through the command line ({@link Main#execute}): train, explain, evaluate, export, import. */
class MfCommandsTest {

    @TempDir Path tmp;

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static List<Map<String, String>> rows(Path csv) throws Exception {
        try (Reader in = Files.newBufferedReader(csv)) {
            List<Map<String, String>> out = new ArrayList<>();
            for (CSVRecord r :
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .build()
                            .parse(in)) {
                out.add(r.toMap());
            }
            return out;
        }
    }

    static List<Integer> ints(String list) {
        String s = list.replaceAll("[\\[\\]{}]", "").trim();
        if (s.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(x -> Integer.parseInt(x.trim())).toList();
    }

    static List<Double> doubles(String list) {
        String s = list.replaceAll("[\\[\\]{}]", "").trim();
        if (s.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(x -> Double.parseDouble(x.trim())).toList();
    }

    @Test
    void explainThenEvaluateOnTheEmbeddedModel() throws Exception {
        Path model = MfTestModels.SYNTHETIC;
        String users;
        try (TrainedModel m = ModelStore.load(model)) {
            users = m.users().raw(0) + "," + m.users().raw(1) + "," + m.users().raw(2);
        }
        Path dir = tmp.resolve("expl");
        Run e =
                run(
                        "explain",
                        "--model",
                        model.toString(),
                        "--users",
                        users,
                        "--algo",
                        "accent,fia,pure-fia,accent-ova",
                        "--k",
                        "5,10,20",
                        "--out",
                        dir.toString(),
                        "--threads",
                        "1");
        assertEquals(0, e.code(), e.err());
        for (String algo : List.of("accent", "fia", "pure_fia", "accent_ova")) {
            for (int k : new int[] {5, 10, 20}) {
                List<Map<String, String>> r = rows(dir.resolve(algo + "_" + k + ".csv"));
                assertEquals(3, r.size(), algo + "_" + k);
                for (Map<String, String> row : r) {
                    assertEquals(k, ints(row.get("topk")).size());
                }
            }
        }
        assertTrue(
                rows(dir.resolve("accent_5.csv")).stream()
                        .anyMatch(r -> !ints(r.get("counterfactual")).isEmpty()),
                "ACCENT explains some of the first users of the embedded model");

        Run v =
                run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--explanations",
                        dir.toString(),
                        "--sample",
                        "2",
                        "--retrains",
                        "1",
                        "--steps",
                        "200",
                        "--threads",
                        "1");
        assertEquals(0, v.code(), v.err());
        assertTrue(Files.isRegularFile(dir.resolve("evaluation-sample-2-seed-0.json")), v.out());

        // an evaluated row's retrained scores are a warm-start retrain of 200 steps, seed 0,
        // without the row's set
        Map<String, String> row = null;
        for (Map<String, String> r : rows(dir.resolve("accent_5.csv"))) {
            if (!ints(r.get("counterfactual")).isEmpty()
                    && !r.getOrDefault("actual_scores_0", "").isBlank()) {
                row = r;
                break;
            }
        }
        assertTrue(row != null, "the sample holds an evaluated row with a set");
        try (TrainedModel m = ModelStore.load(model)) {
            MfModel mf = (MfModel) m;
            int u = m.users().require(Integer.parseInt(row.get("user")), "user");
            int[] top =
                    ints(row.get("topk")).stream()
                            .mapToInt(i -> m.items().require(i, "item"))
                            .toArray();
            Set<Integer> removed = new TreeSet<>();
            for (int i : ints(row.get("counterfactual"))) {
                removed.add(m.items().require(i, "item"));
            }
            int[] us = new int[top.length];
            Arrays.fill(us, u);
            MfConfig c = MfConfig.fromMap(m.metadata().config()).withSteps(200).withSeed(0);
            MfTrainer.Outcome o =
                    new MfTrainer(c, 1)
                            .train(
                                    m.metadata().numUsers(),
                                    m.metadata().numItems(),
                                    mf.data().train().without(u, removed),
                                    m.parameters(),
                                    new long[0],
                                    (s, g) -> {},
                                    Progress.NONE);
            float[] want =
                    new MfTrainer(c, 1)
                            .score(
                                    m.metadata().numUsers(),
                                    m.metadata().numItems(),
                                    o.state(),
                                    us,
                                    top);
            List<Double> actual = doubles(row.get("actual_scores_0"));
            assertEquals(top.length, actual.size());
            for (int j = 0; j < top.length; j++) {
                assertEquals(want[j], actual.get(j), 1e-5, "item " + j);
            }
        }
    }

    @Test
    void anOptionOfAnotherFamilyIsOneErrorLine() {
        Run r = run("explain", "--model", MfTestModels.SYNTHETIC.toString(), "--hessian", "exact");
        assertNotEquals(0, r.code());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error:"), r.err());
        assertTrue(r.err().contains("--hessian"), r.err());
    }

    @Test
    void trainExportWeightsAndImportTheSavedModel() throws Exception {
        Path data = TestModels.smallData();
        Path out = tmp.resolve("mf");
        Run t =
                run(
                        "train",
                        "mf",
                        "--data",
                        data.toString(),
                        "--out",
                        out.toString(),
                        "--steps",
                        "300",
                        "--embedding",
                        "4",
                        "--threads",
                        "1");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("trained MF (d = 4)"), t.out());
        assertTrue(t.out().contains("held-out RMSE"), t.out());

        Run w =
                run(
                        "export-weights",
                        "--model",
                        out.toString(),
                        "--out",
                        tmp.resolve("w").toString());
        assertEquals(0, w.code(), w.err());
        for (String f : List.of("P", "Q", "Bu", "Bi", "mu", "P.adam_m", "Bi.adam_v")) {
            assertTrue(Files.isRegularFile(tmp.resolve("w/" + f + ".npy")), f);
        }

        Path mapping = tmp.resolve("map/mapping.json");
        Files.createDirectories(mapping.getParent());
        // Bi through a (here shape-keeping) reshape; the Adam moments by name: mu has none, so
        // the import warns and starts from a fresh optimizer state
        Files.writeString(
                mapping,
                "{\"family\": \"mf\", \"tensors\": {\"P\": \"P\", \"Q\": \"Q\", \"Bu\": \"Bu\","
                        + " \"Bi\": {\"tensor\": \"Bi\", \"reshape\": [-1, 1]}, \"mu\": \"mu\"},"
                        + " \"optimizer\": {\"adam_m\": \"{tensor}.adam_m\","
                        + " \"adam_v\": \"{tensor}.adam_v\", \"beta1_power\": \"adam.beta1_power\","
                        + " \"beta2_power\": \"adam.beta2_power\"}}");
        Path imported = tmp.resolve("imported");
        Run i =
                run(
                        "import",
                        "savedmodel",
                        "--saved-model",
                        out.resolve(ModelStore.SAVED_MODEL).toString(),
                        "--mapping",
                        mapping.toString(),
                        "--data",
                        data.toString(),
                        "--out",
                        imported.toString(),
                        "--trust-graph");
        assertEquals(0, i.code(), i.err());
        assertTrue(i.err().contains("warning:") && i.err().contains("mu.adam_m"), i.err());
        try (TrainedModel a = ModelStore.load(out);
                TrainedModel b = ModelStore.load(imported)) {
            assertEquals("mf", b.metadata().family());
            for (int u = 0; u < a.metadata().numUsers(); u += 5) {
                assertArrayEquals(a.scoreAll(u), b.scoreAll(u));
            }
        }
        String user;
        try (TrainedModel a = ModelStore.load(out)) {
            user = String.valueOf(a.users().raw(3));
        }
        Run ia = run("influence", "--model", out.toString(), "--user", user);
        Run ib = run("influence", "--model", imported.toString(), "--user", user);
        assertEquals(0, ia.code(), ia.err());
        assertEquals(ia.out(), ib.out());
    }
}
