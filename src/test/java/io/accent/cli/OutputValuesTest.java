package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.TestModels;
import io.accent.core.Json;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfInfluenceConfig;
import io.accent.ncf.NcfInfluenceEngine;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The values the commands print and write, checked against the library and against each other. */
class OutputValuesTest {

    @TempDir Path tmp;

    static String model() {
        return TestModels.smallModel().toString();
    }

    static String user() {
        return String.valueOf(ModelCommandsTest.firstRawUser());
    }

    /** influence[target raw][removed raw] from the CSV output. */
    static Map<String, Double> csvInfluences(String out) {
        Map<String, Double> m = new HashMap<>();
        String[] lines = out.trim().split("\n");
        for (int l = 1; l < lines.length; l++) {
            String[] f = lines[l].split(",");
            m.put(f[3] + "/" + f[1], Double.parseDouble(f[5]));
        }
        return m;
    }

    /** influence[target raw][removed raw] from the JSON output. */
    static Map<String, Double> jsonInfluences(String out) throws Exception {
        JsonNode root = Json.mapper().readTree(out);
        Map<String, Double> m = new HashMap<>();
        for (JsonNode a : root.path("actions")) {
            for (int k = 0; k < root.path("targets").size(); k++) {
                m.put(
                        root.path("targets").get(k).path("item").asInt()
                                + "/"
                                + a.path("item").asInt(),
                        a.path("influence").get(k).asDouble());
            }
        }
        return m;
    }

    static void assertSameInfluences(
            Map<String, Double> want, Map<String, Double> got, double relToMax) {
        assertEquals(want.keySet(), got.keySet());
        double max = want.values().stream().mapToDouble(Math::abs).max().orElse(0);
        assertTrue(max > 0);
        for (String k : want.keySet()) {
            assertEquals(want.get(k), got.get(k), relToMax * max, k);
        }
    }

    @Test
    void influenceCsvAndJsonCarryTheEngineValues() throws Exception {
        DataCommandTest.Run csv =
                DataCommandTest.run("influence", "--model", model(), "--user", user());
        DataCommandTest.Run json =
                DataCommandTest.run(
                        "influence", "--model", model(), "--user", user(), "--format", "json");
        assertEquals(0, csv.code(), csv.err());
        assertEquals(0, json.code(), json.err());
        Map<String, Double> engine = new HashMap<>();
        try (TrainedModel m = ModelStore.load(TestModels.smallModel());
                NcfInfluenceEngine e =
                        new NcfInfluenceEngine(m, NcfInfluenceConfig.defaults().withThreads(1))) {
            int u =
                    ((io.accent.ncf.NcfModel) m)
                            .data()
                            .users()
                            .require(Integer.parseInt(user()), "user");
            UserInfluence in = e.compute(u).influence();
            for (int k = 0; k < in.topK(); k++) {
                for (int z = 0; z < in.actionCount(); z++) {
                    engine.put(
                            ((io.accent.ncf.NcfModel) m).data().items().raw(in.topItem(k))
                                    + "/"
                                    + ((io.accent.ncf.NcfModel) m).data().items().raw(in.action(z)),
                            in.influence(k, z));
                }
            }
        }
        assertSameInfluences(engine, csvInfluences(csv.out()), 1e-9);
        assertSameInfluences(engine, jsonInfluences(json.out()), 1e-9);
    }

    @Test
    void fullScopeRunsThroughTheCommandAndFailsWithExitCode5AtTheCap() throws Exception {
        String[] base = {"influence", "--model", model(), "--user", user(), "--format", "json"};
        DataCommandTest.Run full = DataCommandTest.run(concat(base, "--scope", "full"));
        DataCommandTest.Run tight =
                DataCommandTest.run(concat(base, "--scope", "full", "--cg-tolerance", "1e-8"));
        DataCommandTest.Run capped =
                DataCommandTest.run(concat(base, "--scope", "full", "--cg-max-iterations", "1"));
        DataCommandTest.Run refused =
                DataCommandTest.run(concat(base, "--scope", "full", "--solver", "exact"));
        assertEquals(0, full.code(), full.err());
        assertEquals(0, tight.code(), tight.err());
        JsonNode t0 = Json.mapper().readTree(full.out()).path("targets").get(0);
        assertEquals("block-cg", t0.path("user_block").path("method").asText());
        assertTrue(t0.path("user_block").path("relative_residual").asDouble() <= 1e-2);
        // the default tolerance moves the estimates little against a tight solve
        assertSameInfluences(jsonInfluences(tight.out()), jsonInfluences(full.out()), 2e-2);
        assertEquals(5, capped.code(), capped.err());
        assertTrue(capped.err().trim().startsWith("error: conjugate gradients reached"));
        assertFalse(capped.err().trim().contains("\n"), capped.err());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--solver applies to --scope embeddings"), refused.err());
    }

    @Test
    void solverFailurePathsFallBackToTheDirectSolveOrFailWithExitCode5() throws Exception {
        String[] base = {"influence", "--model", model(), "--user", user(), "--format", "json"};
        DataCommandTest.Run exact = DataCommandTest.run(concat(base, "--solver", "exact"));
        DataCommandTest.Run cg = DataCommandTest.run(base);
        // an iteration cap of 1: CG cannot reach 1e-8, every system falls back to the dense solve
        DataCommandTest.Run capped = DataCommandTest.run(concat(base, "--cg-max-iterations", "1"));
        DataCommandTest.Run strict =
                DataCommandTest.run(concat(base, "--cg-max-iterations", "1", "--no-fallback"));
        assertEquals(0, exact.code(), exact.err());
        assertEquals(0, cg.code(), cg.err());
        assertEquals(0, capped.code(), capped.err());
        assertEquals(5, strict.code(), strict.err());
        assertTrue(
                strict.err().trim().startsWith("error: ") && !strict.err().trim().contains("\n"),
                strict.err());
        assertTrue(strict.err().contains("did not converge"), strict.err());
        Map<String, Double> want = jsonInfluences(exact.out());
        // the fallback result is the direct solve of the same system (not CG's one-iteration
        // estimate)
        assertSameInfluences(want, jsonInfluences(capped.out()), 1e-12);
        // CG to its tolerance agrees with the exact solve
        assertSameInfluences(want, jsonInfluences(cg.out()), 1e-6);
        JsonNode t = Json.mapper().readTree(capped.out()).path("targets").get(0);
        assertEquals("cg+direct", t.path("user_block").path("method").asText());
        assertEquals("cg+direct", t.path("item_block").path("method").asText());
        assertEquals(1, t.path("user_block").path("iterations").asInt());
        assertTrue(t.path("user_block").path("converged").asBoolean());
        DataCommandTest.Run cappedCsv =
                DataCommandTest.run(
                        "influence",
                        "--model",
                        model(),
                        "--user",
                        user(),
                        "--cg-max-iterations",
                        "1");
        assertTrue(cappedCsv.err().contains(" 20 direct fallbacks"), cappedCsv.err());
    }

    @Test
    void recommendTextCsvAndJsonAgree() throws Exception {
        String[] base = {"recommend", "--model", model(), "--user", user(), "--k", "7"};
        DataCommandTest.Run text = DataCommandTest.run(base);
        DataCommandTest.Run csv = DataCommandTest.run(concat(base, "--format", "csv"));
        DataCommandTest.Run json = DataCommandTest.run(concat(base, "--format", "json"));
        JsonNode items = Json.mapper().readTree(json.out()).path("items");
        assertEquals(7, items.size());
        String[] csvLines = csv.out().trim().split("\n");
        assertEquals(8, csvLines.length);
        Matcher rows =
                Pattern.compile("(?m)^\\s*(\\d+)\\s+(\\d+)\\s+(-?\\d+\\.\\d{3})\\s+(.+)$")
                        .matcher(text.out());
        double last = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 7; r++) {
            JsonNode j = items.get(r);
            String[] c = csvLines[r + 1].split(",", 5);
            assertTrue(rows.find(), text.out());
            assertEquals(r + 1, j.path("rank").asInt());
            assertEquals(String.valueOf(r + 1), c[1]);
            assertEquals(String.valueOf(r + 1), rows.group(1));
            assertEquals(j.path("item").asText(), c[2]);
            assertEquals(j.path("item").asText(), rows.group(2));
            assertEquals(j.path("score").asDouble(), Double.parseDouble(c[3]), 1e-6);
            assertEquals(String.format("%.3f", j.path("score").asDouble()), rows.group(3));
            assertEquals(j.path("title").asText(), rows.group(4).trim());
            assertTrue(j.path("score").asDouble() <= last, "scores descend");
            last = j.path("score").asDouble();
        }
        // and they are the model's scores
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            int u =
                    ((io.accent.ncf.NcfModel) m)
                            .data()
                            .users()
                            .require(Integer.parseInt(user()), "user");
            var top = m.recommend(u, 7);
            for (int r = 0; r < 7; r++) {
                assertEquals(
                        ((io.accent.ncf.NcfModel) m).data().items().raw(top.get(r).item()),
                        items.get(r).path("item").asInt());
                assertEquals(top.get(r).score(), items.get(r).path("score").asDouble(), 1e-6);
            }
        }
    }

    @Test
    void exportWeightsRoundTripsEveryTensor() throws Exception {
        Path out = tmp.resolve("weights");
        DataCommandTest.Run r =
                DataCommandTest.run("export-weights", "--model", model(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode manifest = Json.mapper().readTree(out.resolve("manifest.json").toFile());
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            ParameterSet p = m.parameters();
            assertEquals(p.arrays().size(), manifest.size());
            assertTrue(
                    p.arrays().size() >= 10 + 20 + 2,
                    "weights, Adam moments and powers: " + p.arrays().size());
            for (JsonNode e : manifest) {
                NamedArray want = p.get(e.path("name").asText());
                long[] shape = new long[e.path("shape").size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = e.path("shape").get(d).asLong();
                }
                assertTrue(Arrays.equals(want.shape(), shape), want.name());
                float[] got = readNpy(out.resolve(e.path("file").asText()), shape);
                assertTrue(
                        Arrays.equals(want.data(), got),
                        want.name() + " differs after the round trip");
            }
        }
    }

    /** A minimal, independent .npy (version 1.0, '<f4', C order) reader. */
    static float[] readNpy(Path f, long[] shape) throws Exception {
        byte[] b = Files.readAllBytes(f);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'"), header);
        assertTrue(header.contains("'fortran_order': False"), header);
        StringBuilder dims = new StringBuilder();
        for (int d = 0; d < shape.length; d++) {
            dims.append(shape[d])
                    .append(shape.length == 1 ? "," : (d + 1 < shape.length ? ", " : ""));
        }
        assertTrue(
                header.replace(" ", "")
                        .contains("'shape':(" + dims.toString().replace(" ", "") + ")"),
                header);
        assertEquals(0, (10 + headerLen) % 16, "header padded to 16 bytes");
        ByteBuffer data =
                ByteBuffer.wrap(b, 10 + headerLen, b.length - 10 - headerLen)
                        .order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[data.remaining() / 4];
        data.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void explainPrintsTheTalliesOfItsFiles() {
        Path out = tmp.resolve("expl");
        String users;
        try {
            users =
                    String.join(
                            ",",
                            Files.readAllLines(TestModels.smallModel().resolve("data/users.tsv"))
                                    .subList(0, 6)
                                    .stream()
                                    .map(l -> l.split("\t")[1])
                                    .toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        DataCommandTest.Run r =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        model(),
                        "--users",
                        users,
                        "--algo",
                        "accent,pure-fia",
                        "--k",
                        "5,10",
                        "--out",
                        out.toString(),
                        "--threads",
                        "1");
        assertEquals(0, r.code(), r.err());
        Matcher line =
                Pattern.compile("(?m)^(\\S+)\\s+(\\d+)\\s+(\\d+)/(\\d+)\\s+([\\d.]+)%\\s+(\\S+)$")
                        .matcher(r.out());
        int seen = 0;
        while (line.find()) {
            String algo = line.group(1);
            int k = Integer.parseInt(line.group(2));
            Path f = out.resolve(algo.replace('-', '_') + "_" + k + ".csv");
            List<ResultFiles.Row> rows = ResultFiles.read(f);
            int found = 0;
            int size = 0;
            for (ResultFiles.Row row : rows) {
                if (!row.cf().isEmpty()) {
                    found++;
                    size += row.cf().size();
                }
            }
            assertEquals(found, Integer.parseInt(line.group(3)), line.group());
            assertEquals(rows.size(), Integer.parseInt(line.group(4)), line.group());
            assertEquals(
                    String.format("%.1f", 100.0 * found / rows.size()),
                    line.group(5),
                    line.group());
            assertEquals(String.format("%.2f", (double) size / found), line.group(6), line.group());
            seen++;
        }
        assertEquals(4, seen, r.out());
    }

    static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(Arrays.asList(a));
        l.addAll(Arrays.asList(b));
        return l.toArray(new String[0]);
    }
}
