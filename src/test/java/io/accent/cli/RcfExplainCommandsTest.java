package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.RcfTestModels;
import io.accent.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * influence and explain on an RCF model end to end, and family-specific options on the wrong
 * family.
 */
class RcfExplainCommandsTest {

    @TempDir Path tmp;

    private static String rcf() {
        return RcfTestModels.small().toString();
    }

    private static String rawUser(Path model, int index) throws java.io.IOException {
        return Files.readAllLines(model.resolve("data/users.tsv")).get(index).split("\t")[1];
    }

    @Test
    void influenceOnRcfHasTheNcfLayout() throws Exception {
        String u = rawUser(RcfTestModels.small(), 0);
        DataCommandTest.Run r = DataCommandTest.run("influence", "--model", rcf(), "--user", u);
        assertEquals(0, r.code(), r.err());
        List<String> lines = List.of(r.out().trim().split("\n"));
        assertEquals(
                "user,removed_item,removed_rating,target_item,target_score,influence",
                lines.get(0));
        assertEquals(0, (lines.size() - 1) % 20, "20 targets per removed positive");
        assertTrue(lines.get(1).startsWith(u + ","), lines.get(1));
        assertEquals(6, lines.get(1).split(",", -1).length);
        DataCommandTest.Run j =
                DataCommandTest.run(
                        "influence",
                        "--model",
                        rcf(),
                        "--user",
                        u,
                        "--format",
                        "json",
                        "--hessian",
                        "shared");
        assertEquals(0, j.code(), j.err());
        var root = io.accent.core.Json.mapper().readTree(j.out());
        assertEquals("rcf", root.get("family").asText());
        assertEquals("shared", root.get("hessian").asText());
        assertEquals(20, root.get("targets").size());
        assertEquals((lines.size() - 1) / 20, root.get("actions").size());
        assertTrue(root.get("actions").get(0).get("rating").isNull());
    }

    @Test
    void explainWritesAllSixAlgorithmsInTheReferenceFormat() throws Exception {
        Path out = tmp.resolve("x");
        String users = rawUser(RcfTestModels.small(), 0) + "," + rawUser(RcfTestModels.small(), 1);
        DataCommandTest.Run r =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        rcf(),
                        "--users",
                        users,
                        "--algo",
                        "pure-att,attention,pure-fia,fia,accent,accent-ova",
                        "--out",
                        out.toString(),
                        "--hessian",
                        "shared");
        assertEquals(0, r.code(), r.err());
        for (String a :
                List.of("pure_att", "attention", "pure_fia", "fia", "accent", "accent_ova")) {
            for (int k : new int[] {5, 10, 20}) {
                List<String> rows = Files.readAllLines(out.resolve(a + "_" + k + ".csv"));
                assertEquals(3, rows.size(), a + " " + k);
                assertTrue(
                        rows.get(0)
                                .startsWith(
                                        "user,item,topk,counterfactual,predicted_scores,replacement"),
                        rows.get(0));
            }
        }
        // evaluate: the NCF warm-start options are refused for an RCF model before any retraining
        DataCommandTest.Run e =
                DataCommandTest.run(
                        "evaluate",
                        "--model",
                        rcf(),
                        "--explanations",
                        out.resolve("accent_5.csv").toString(),
                        "--steps",
                        "100");
        assertEquals(2, e.code(), e.err());
        assertEquals(
                "error: --steps applies to NCF, MF models only; the model is an RCF model",
                e.err().trim());
        // --batch stacks RCF retrains; a batch below 1 is a usage error
        DataCommandTest.Run b =
                DataCommandTest.run(
                        "evaluate",
                        "--model",
                        rcf(),
                        "--explanations",
                        out.resolve("accent_5.csv").toString(),
                        "--batch",
                        "0");
        assertEquals(2, b.code(), b.err());
        assertEquals(
                "error: --batch must be positive, got 0\ntry 'accent evaluate --help'",
                b.err().trim());
    }

    @Test
    void optionsOfTheOtherFamilyAreOneLineErrors() {
        String u = "1";
        DataCommandTest.Run a =
                DataCommandTest.run(
                        "explain", "--model", rcf(), "--users", "all", "--solver", "exact");
        assertEquals(2, a.code(), a.err());
        assertEquals(
                "error: --solver applies to NCF, MF models only; the model is an RCF model",
                a.err().trim());
        DataCommandTest.Run b =
                DataCommandTest.run(
                        "influence",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--user",
                        u,
                        "--hessian",
                        "shared");
        assertEquals(2, b.code(), b.err());
        assertEquals(
                "error: --hessian applies to RCF models only; the model is an NCF model",
                b.err().trim());
        DataCommandTest.Run c =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        TestModels.smallModel().toString(),
                        "--users",
                        "all",
                        "--algo",
                        "pure-att");
        assertEquals(2, c.code(), c.err());
        assertEquals(
                "error: the pure-att explainer needs attention weights and forward passes without actions,"
                        + " which NCF models do not have",
                c.err().trim());
    }

    @Test
    void optionsOfTheOtherFamilyAreRefusedBeforeTheModelLoads(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // only model.json is read: a model whose variables cannot be loaded still gets the
        // option's line, not the load error
        Path broken = tmp.resolve("rcf");
        OutputSafetyTest.copyTree(Path.of(rcf()), broken);
        Files.write(broken.resolve("saved-model/variables/variables.index"), new byte[] {1, 2, 3});
        for (String[] args :
                List.of(
                        new String[] {"explain", "--users", "1", "--solver", "exact"},
                        new String[] {"influence", "--user", "1", "--solver", "cg"},
                        new String[] {
                            "evaluate", "--explanations", tmp.toString(), "--steps", "5"
                        })) {
            List<String> a =
                    new java.util.ArrayList<>(List.of(args[0], "--model", broken.toString()));
            a.addAll(List.of(args).subList(1, args.length));
            if (args[0].equals("evaluate")) {
                Files.writeString(
                        tmp.resolve("accent_5.csv"),
                        "user,item,topk,counterfactual,predicted_scores,replacement\n");
            }
            DataCommandTest.Run r = DataCommandTest.run(a.toArray(String[]::new));
            assertEquals(2, r.code(), a + ": " + r.err());
            assertTrue(
                    r.err()
                            .startsWith(
                                    "error: "
                                            + args[args.length - 2]
                                            + " applies to NCF, MF models only"),
                    a + ": " + r.err());
        }
    }
}
