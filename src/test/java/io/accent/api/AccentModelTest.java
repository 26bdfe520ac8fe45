package io.accent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.ConfigException;
import io.accent.core.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AccentModel} gives the command line's results, in raw ids, and the library's errors. */
class AccentModelTest {

    static final String NCF = "saved-models/ncf-synthetic";
    static final String RCF = "saved-models/rcf-synthetic";

    static AccentModel ncf;
    static AccentModel rcf;

    @TempDir Path tmp;

    @BeforeAll
    static void open() {
        ncf = Accent.open(Path.of(NCF));
        rcf = Accent.open(Path.of(RCF));
    }

    @AfterAll
    static void close() {
        ncf.close();
        rcf.close();
    }

    @Test
    void describesTheModel() {
        assertEquals("ncf", ncf.family());
        assertEquals("rcf", rcf.family());
        assertEquals(Path.of(NCF), ncf.directory());
        assertTrue(ncf.users().length > 0);
    }

    @Test
    void recommendsAsTheCommandLine() {
        for (String[] m : new String[][] {{NCF, "ncf"}, {RCF, "rcf"}}) {
            AccentModel model = m[1].equals("ncf") ? ncf : rcf;
            JsonNode items =
                    Cli.json(
                                    "recommend",
                                    "--model",
                                    m[0],
                                    "--user",
                                    "2",
                                    "--k",
                                    "7",
                                    "--format",
                                    "json")
                            .get("items");
            List<Recommendation> top = model.recommend(2, 7);
            assertEquals(items.size(), top.size());
            for (int r = 0; r < top.size(); r++) {
                JsonNode t = items.get(r);
                assertEquals(
                        new Recommendation(
                                t.get("item").asInt(),
                                t.get("title").asText(),
                                (float) t.get("score").asDouble(),
                                t.get("rank").asInt()),
                        top.get(r));
                assertEquals(model.title(top.get(r).item()), top.get(r).title());
            }
        }
    }

    @Test
    void scoresAsTheCommandLine() throws Exception {
        Path pairs = tmp.resolve("pairs.csv");
        Files.writeString(pairs, "user,item\n2,81\n3,29\n2,29\n");
        List<String> rows =
                Cli.run("score", "--model", NCF, "--pairs", pairs.toString())
                        .lines()
                        .skip(1)
                        .toList();
        float[] s = ncf.score(new int[] {2, 3, 2}, new int[] {81, 29, 29});
        for (int b = 0; b < 3; b++) {
            assertEquals(Float.parseFloat(rows.get(b).split(",")[2]), s[b]);
        }
        assertEquals(s[0], ncf.score(2, 81));
        assertEquals(0, ncf.score(new int[0], new int[0]).length);
        assertEquals(ncf.recommend(2, 1).get(0).score(), ncf.score(2, 81));
    }

    @Test
    void familyOptionsReachTheEngineAndOtherFamiliesOptionsAreRefused() {
        io.accent.core.ConfigException wrong =
                assertThrows(
                        io.accent.core.ConfigException.class,
                        () -> Accent.open(Path.of(NCF), java.util.Map.of("--hessian", "exact"), 2));
        assertTrue(wrong.getMessage().contains("does not apply to NCF models"), wrong.getMessage());
        try (AccentModel exact =
                        Accent.open(Path.of(NCF), java.util.Map.of("--solver", "exact"), 1);
                AccentModel shared =
                        Accent.open(Path.of(RCF), java.util.Map.of("--hessian", "shared"), 2)) {
            Influence direct = exact.influence(2);
            Influence cg = ncf.influence(2);
            assertEquals("direct", direct.solves().get(0).userBlock().method());
            assertEquals("cg", cg.solves().get(0).userBlock().method());
            assertEquals(cg.targets(), direct.targets());
            for (int k = 0; k < cg.targets().size(); k++) {
                for (int z = 0; z < cg.actions().size(); z++) {
                    assertEquals(cg.influence(k, z), direct.influence(k, z), 1e-6);
                }
            }
            assertEquals(cg.actions().size(), cg.ratings().size());
            assertTrue(cg.diagnostics().startsWith("solver cg:"), cg.diagnostics());
            assertEquals("shared", shared.influence(2).settings().get("hessian"));
            assertEquals("exact", rcf.influence(2).settings().get("hessian"));
            assertTrue(rcf.influence(2).ratings().isEmpty());
        }
    }

    @Test
    void influenceOnChosenTargets() {
        List<Recommendation> top = ncf.recommend(2, 5);
        int a = top.get(4).item();
        int b = top.get(2).item();
        Influence in = ncf.influence(2, a, b);
        assertEquals(List.of(a, b), in.targets());
        assertEquals((double) ncf.score(2, a), in.scores().get(0));
        assertEquals((double) ncf.score(2, b), in.scores().get(1));
        assertThrows(IllegalArgumentException.class, () -> ncf.influence(2, a, a));
    }

    @Test
    void influenceAsTheCommandLine() {
        for (String[] m : new String[][] {{NCF, "ncf"}, {RCF, "rcf"}}) {
            boolean isNcf = m[1].equals("ncf");
            Influence in = (isNcf ? ncf : rcf).influence(2);
            JsonNode j = Cli.json("influence", "--model", m[0], "--user", "2", "--format", "json");
            assertEquals(2, in.user());
            JsonNode ts = j.get("targets");
            assertEquals(ts.size(), in.targets().size());
            for (int k = 0; k < ts.size(); k++) {
                JsonNode t = ts.get(k);
                assertEquals(t.get("item").asInt(), in.targets().get(k));
                assertEquals(t.get("score").asDouble(), in.scores().get(k));
                if (isNcf) {
                    Influence.Solve s = in.solves().get(k);
                    assertEquals(t.get("item").asInt(), s.target());
                    assertEquals(t.get("n").asInt(), s.n());
                    assertEquals(
                            t.get("user_block").get("method").asText(), s.userBlock().method());
                    assertEquals(
                            t.get("item_block").get("iterations").asInt(),
                            s.itemBlock().iterations());
                }
            }
            if (!isNcf) {
                assertTrue(in.solves().isEmpty());
            }
            assertEquals(0, in.fallbacks());
            JsonNode as = j.get("actions");
            assertEquals(as.size(), in.actions().size());
            double[][] matrix = in.influence();
            for (int z = 0; z < as.size(); z++) {
                assertEquals(as.get(z).get("item").asInt(), in.actions().get(z));
                for (int k = 0; k < ts.size(); k++) {
                    double want = as.get(z).get("influence").get(k).asDouble();
                    assertEquals(want, matrix[k][z], 1e-9 * Math.max(1, Math.abs(want)));
                    assertEquals(matrix[k][z], in.influence(k, z));
                }
            }
        }
    }

    @Test
    void explainsAsTheCommandLine() {
        for (String[] m :
                new String[][] {{NCF, "accent,fia,pure-fia"}, {RCF, "accent,attention"}}) {
            AccentModel model = m[0].equals(NCF) ? ncf : rcf;
            UserExplanations x =
                    model.explain(2, new LinkedHashSet<>(List.of(m[1].split(","))), 5, 10);
            assertEquals(2, x.user());
            assertEquals(List.of(m[1].split(",")), List.copyOf(x.byAlgorithm().keySet()));
            JsonNode rows =
                    Cli.json(
                            "explain",
                            "--model",
                            m[0],
                            "--users",
                            "2",
                            "--k",
                            "5,10",
                            "--algo",
                            m[1],
                            "--format",
                            "json");
            assertEquals(rows.size(), x.byAlgorithm().size() * 2);
            for (JsonNode r : rows) {
                Optional<Explanation> e = x.get(r.get("algo").asText(), r.get("k").asInt());
                assertEquals(r.get("found").asBoolean(), e.isPresent(), r::toString);
                assertEquals(r.get("item").asInt(), x.recommendation());
                if (e.isEmpty()) {
                    continue;
                }
                Explanation c = e.get();
                assertEquals(r.get("algo").asText(), c.algorithm());
                assertEquals(r.get("k").asInt(), c.k());
                assertEquals(r.get("item").asInt(), c.recommendation());
                assertEquals(r.get("replacement").asInt(), c.replacement());
                List<Integer> removed = new ArrayList<>();
                r.get("removed").forEach(n -> removed.add(n.asInt()));
                assertEquals(removed, c.removed());
                assertEquals(c.k(), c.predictedScores().size());
                for (int i = 0; i < c.k(); i++) {
                    assertEquals(
                            r.get("predicted_scores").get(i).asDouble(),
                            c.predictedScores().get(i),
                            0.5e-4 + 1e-9);
                }
                assertTrue(c.predictedGap() < 0);
                assertEquals(c.topK().get(c.replacementRank()), c.replacement());
                assertEquals(r.get("sentence").asText(), c.sentence().replace("\"", ""));
            }
        }
    }

    @Test
    void explainDefaultsAreTheCommandLinesDefaults() {
        UserExplanations x = ncf.explain(2);
        assertEquals(Set.of(AccentModel.DEFAULT_ALGORITHM), x.byAlgorithm().keySet());
        assertEquals(List.of(5, 10, 20), List.copyOf(x.byAlgorithm().get("accent").keySet()));
        assertEquals(ncf.explain(2, Set.of("accent"), 5).get("accent", 5), x.get("accent", 5));
        assertThrows(java.util.NoSuchElementException.class, () -> x.get("fia", 5));
    }

    @Test
    void errorsAreTheLibrarys() {
        DataException e = assertThrows(DataException.class, () -> ncf.recommend(99999, 5));
        assertTrue(e.getMessage().startsWith("unknown user 99999"), e.getMessage());
        assertThrows(DataException.class, () -> ncf.score(2, 99999));
        assertThrows(DataException.class, () -> ncf.score(99999, 81));
        assertThrows(DataException.class, () -> rcf.influence(99999));
        assertThrows(DataException.class, () -> ncf.explain(99999));
        assertThrows(DataException.class, () -> ncf.title(99999));
        assertThrows(ConfigException.class, () -> ncf.explain(2, Set.of("nope"), 5));
        assertThrows(ConfigException.class, () -> ncf.explain(2, Set.of("accent"), 1));
        assertThrows(ConfigException.class, () -> ncf.explain(2, Set.of("accent"), 21));
        assertThrows(ConfigException.class, () -> ncf.explain(2, Set.of("accent"), 5, 5));
        assertThrows(ConfigException.class, () -> ncf.explain(2, Set.of(), 5));
        assertThrows(ConfigException.class, () -> ncf.explain(2, Set.of("attention"), 5));
        assertThrows(IllegalArgumentException.class, () -> ncf.recommend(2, 0));
        assertThrows(IllegalArgumentException.class, () -> ncf.score(new int[] {2}, new int[0]));
        assertThrows(
                io.accent.core.ModelException.class, () -> Accent.open(Path.of("no-such-model")));
    }

    @Test
    void closedHandleRefusesCalls() {
        AccentModel m = Accent.open(Path.of(NCF));
        m.recommend(2, 1);
        m.influence(2);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.recommend(2, 1));
        assertThrows(IllegalStateException.class, () -> m.explain(2));
        assertThrows(IllegalStateException.class, () -> m.score(2, 81));
    }
}
