package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.data.RcfDataset;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.rcf.RcfModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train rcf, recommend, score and export-weights on an RCF model, through {@link Main#execute}. */
class RcfCommandsTest {

    @TempDir Path tmp;

    @Test
    void trainRcfWritesAModelThatScoresRecommendsAndExports() throws Exception {
        Path out = tmp.resolve("rcf");
        DataCommandTest.Run t =
                DataCommandTest.run(
                        "train",
                        "rcf",
                        "--data",
                        TestModels.smallData().toString(),
                        "--out",
                        out.toString(),
                        "--epochs",
                        "2",
                        "--threads",
                        "1");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("score(pos) > score(neg)"), t.out());
        double reported =
                Double.parseDouble(
                        t.out().replaceAll("(?s).*score\\(neg\\): ([0-9.]+) \\(RCF\\).*", "$1"));

        RcfDataset d = RcfDataset.load(TestModels.smallData());
        try (TrainedModel m = ModelStore.load(out)) {
            assertEquals("rcf", m.metadata().family());
            assertTrue(m instanceof RcfModel);
            // top-k excludes exactly the training positives; negatives may be recommended
            int u = 0;
            List<ScoredItem> top = m.recommend(u, m.metadata().numItems());
            assertEquals(m.metadata().numItems() - m.trainingItems(u).cardinality(), top.size());
            for (ScoredItem s : top) {
                assertTrue(!m.trainingItems(u).get(s.item()));
            }
            assertEquals(RcfNetworkParameterCount.of(m.parameters()), m.parameters().size());
        }

        // score over rcf-test.csv's pairs reproduces the share printed by train rcf
        List<String> lines = Files.readAllLines(TestModels.smallData().resolve("rcf-test.csv"));
        StringBuilder pos = new StringBuilder("user,item,other\n");
        StringBuilder neg = new StringBuilder("user,other,item\n");
        for (String l : lines.subList(1, lines.size())) {
            pos.append(l).append('\n');
            neg.append(l).append('\n');
        }
        Path pf = Files.writeString(tmp.resolve("pos.csv"), pos);
        Path nf = Files.writeString(tmp.resolve("neg.csv"), neg);
        DataCommandTest.Run sp =
                DataCommandTest.run("score", "--model", out.toString(), "--pairs", pf.toString());
        DataCommandTest.Run sn =
                DataCommandTest.run("score", "--model", out.toString(), "--pairs", nf.toString());
        assertEquals(0, sp.code(), sp.err());
        String[] a = sp.out().trim().split("\n");
        String[] b = sn.out().trim().split("\n");
        assertEquals("user,item,score", a[0]);
        assertEquals(lines.size(), a.length);
        int wins = 0;
        for (int k = 1; k < a.length; k++) {
            if (Double.parseDouble(a[k].split(",")[2]) > Double.parseDouble(b[k].split(",")[2])) {
                wins++;
            }
        }
        assertEquals(reported, (double) wins / (a.length - 1), 2e-4);

        DataCommandTest.Run j =
                DataCommandTest.run(
                        "score",
                        "--model",
                        out.toString(),
                        "--pairs",
                        pf.toString(),
                        "--format",
                        "json");
        assertEquals(0, j.code(), j.err());
        var tree = io.accent.core.Json.mapper().readTree(j.out());
        assertEquals(lines.size() - 1, tree.size());
        assertEquals(
                Double.parseDouble(a[1].split(",")[2]), tree.get(0).get("score").asDouble(), 1e-6);

        // unknown ids: one line naming the file line
        int rawUser = d.users().raw(0);
        Path bad =
                Files.writeString(
                        tmp.resolve("bad.csv"),
                        "user,item\n"
                                + rawUser
                                + ","
                                + d.items().raw(0)
                                + "\n"
                                + rawUser
                                + ",999999\n");
        DataCommandTest.Run e =
                DataCommandTest.run("score", "--model", out.toString(), "--pairs", bad.toString());
        assertEquals(3, e.code());
        assertEquals(1, e.err().trim().split("\n").length, e.err());
        assertTrue(
                e.err().startsWith("error: ")
                        && e.err().contains("line 3")
                        && e.err().contains("999999"),
                e.err());

        DataCommandTest.Run r =
                DataCommandTest.run(
                        "recommend",
                        "--model",
                        out.toString(),
                        "--user",
                        String.valueOf(rawUser),
                        "--k",
                        "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rcf"), r.out());

        DataCommandTest.Run x =
                DataCommandTest.run(
                        "export-weights",
                        "--model",
                        out.toString(),
                        "--out",
                        tmp.resolve("w").toString());
        assertEquals(0, x.code(), x.err());
        assertTrue(
                Files.exists(tmp.resolve("w/e_user.npy"))
                        && Files.exists(tmp.resolve("w/q.adagrad.npy")));
    }

    /** Trainable scalars plus one Adagrad accumulator each. */
    static final class RcfNetworkParameterCount {
        static long of(io.accent.tf.ParameterSet p) {
            long n = 0;
            for (String name : io.accent.rcf.RcfNetwork.variables(3)) {
                n += 2L * p.get(name).data().length;
            }
            return n;
        }
    }
}
