package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import io.accent.evaluate.RetrainJob;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfBatchedRetrainer;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfModel;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --verify} end to end with real retraining (SPEC §11.3) on the embedded model
 * (saved-models/ncf-synthetic), 200 warm-start steps per retrain: the first sets of users 2 and 7
 * are refuted by retraining, so the search is resumed. Checked independently: the first round's set
 * is plain ACCENT's, every later set extends it, the final set's {@code actual_scores_0} is a
 * retrain run alone by the trainer, the recorded rounds, retrains, gaps and outcome agree with the
 * scores; {@code evaluate} and a resumed {@code explain --verify} take every retrain from the cache
 * and leave the file byte for byte as it was; {@code compare} reads the file.
 */
class ExplainVerifyCommandTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");
    static final String STEPS = "200";
    static final int R = 2;

    @TempDir Path tmp;

    static DataCommandTest.Run explain(Path out, String... more) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "explain",
                                "--model",
                                MODEL.toString(),
                                "--users",
                                "2,7",
                                "--k",
                                "5",
                                "--threads",
                                "1",
                                "--out",
                                out.toString()));
        a.addAll(List.of(more));
        return DataCommandTest.run(a.toArray(String[]::new));
    }

    static List<Map<String, String>> rows(Path f) throws Exception {
        try (Reader in = Files.newBufferedReader(f)) {
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

    @Test
    void refutedSetsAreResumedWithRealRetrainsThatEvaluateAndCompareReuse() throws Exception {
        Path v = tmp.resolve("verified");
        DataCommandTest.Run run =
                explain(v, "--verify", String.valueOf(R), "--max-rounds", "3", "--steps", STEPS);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("retrains run"), run.out());
        Path file = v.resolve("accent_5.csv");
        byte[] written = Files.readAllBytes(file);
        List<String> header =
                List.of(
                        Files.readString(file)
                                .substring(0, Files.readString(file).indexOf('\n'))
                                .split(","));
        assertEquals(
                List.of(
                        "user",
                        "item",
                        "topk",
                        "counterfactual",
                        "predicted_scores",
                        "replacement",
                        "actual_scores_0",
                        "actual_scores_1",
                        "actual_scores_avg",
                        "verify_rounds",
                        "verify_retrains",
                        "verify_outcome",
                        "verify_sizes",
                        "verify_gaps"),
                header);

        Path p = tmp.resolve("plain");
        assertEquals(0, explain(p).code());
        List<ResultFiles.Row> plain = ResultFiles.read(p.resolve("accent_5.csv"));
        List<ResultFiles.Row> verified = ResultFiles.read(file);
        List<Map<String, String>> extra = rows(file);
        assertEquals(2, verified.size());
        for (int i = 0; i < verified.size(); i++) {
            ResultFiles.Row r = verified.get(i);
            Map<String, String> x = extra.get(i);
            int rounds = Integer.parseInt(x.get("verify_rounds"));
            List<Integer> sizes = ResultFiles.ints(x.get("verify_sizes"));
            List<Double> gaps = ResultFiles.doubles(x.get("verify_gaps"));
            assertTrue(rounds >= 2, "user " + r.user() + "'s first set is refuted: " + x);
            assertEquals(R * rounds, Integer.parseInt(x.get("verify_retrains")));
            assertEquals(rounds, sizes.size());
            assertEquals(rounds, gaps.size());
            // round 1 is plain ACCENT's set; later rounds add actions to it
            assertEquals(plain.get(i).cf().size(), (int) sizes.get(0));
            assertTrue(r.cf().containsAll(plain.get(i).cf()));
            assertEquals(plain.get(i).replacement(), r.replacement());
            for (int j = 1; j < rounds; j++) {
                assertTrue(sizes.get(j) > sizes.get(j - 1), sizes.toString());
                assertTrue(gaps.get(j - 1) >= 0, "round " + j + " was refuted: " + gaps);
            }
            assertEquals(r.cf().size(), (int) sizes.get(rounds - 1));
            // the last round is the row's set, its scores and its outcome
            int repl = r.topK().indexOf(r.replacement());
            assertEquals(r.avg().get(0) - r.avg().get(repl), gaps.get(rounds - 1), 1e-12);
            boolean overtakes = r.avg().get(repl) > r.avg().get(0);
            assertEquals(
                    overtakes ? "verified" : rounds == 3 ? "round-limit" : "exhausted",
                    x.get("verify_outcome"));
            for (int j = 0; j < r.topK().size(); j++) {
                assertEquals(
                        (r.actual().get(0).get(j) + r.actual().get(1).get(j)) / 2,
                        r.avg().get(j),
                        1e-12);
            }
        }
        // actual_scores_0 of the first row: a retrain run alone, seed 0, without the final set
        try (TrainedModel m = ModelStore.load(MODEL)) {
            NcfModel n = (NcfModel) m;
            ResultFiles.Row r = verified.get(0);
            int u = n.data().users().require(r.user(), "user");
            Set<Integer> removed = new TreeSet<>();
            r.cf().forEach(i -> removed.add(n.data().items().require(i, "item")));
            int[] top =
                    r.topK().stream().mapToInt(i -> n.data().items().require(i, "item")).toArray();
            float[] want;
            try (NcfBatchedRetrainer alone =
                    new NcfBatchedRetrainer(
                            NcfConfig.fromMap(m.metadata().config()),
                            m.metadata().numUsers(),
                            m.metadata().numItems(),
                            n.data().train(),
                            1,
                            1)) {
                long steps = Long.parseLong(STEPS);
                want =
                        alone.run(
                                        m.parameters(),
                                        List.of(new RetrainJob(u, removed, 0)),
                                        steps,
                                        new long[] {steps},
                                        new int[][] {top},
                                        Progress.NONE)[0][0];
            }
            for (int j = 0; j < top.length; j++) {
                assertEquals(want[j], r.actual().get(0).get(j), 2e-4, "item " + j);
            }
        }

        // evaluate takes every retrain from the cache and writes the same file
        DataCommandTest.Run ev =
                DataCommandTest.run(
                        "evaluate",
                        "--model",
                        MODEL.toString(),
                        "--explanations",
                        v.toString(),
                        "--retrains",
                        String.valueOf(R),
                        "--steps",
                        STEPS,
                        "--threads",
                        "1");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains(" 0 retrains run"), ev.out());
        assertArrayEquals(written, Files.readAllBytes(file));
        // and plain ACCENT's sets are the verification's first rounds: cached too
        DataCommandTest.Run ep =
                DataCommandTest.run(
                        "evaluate",
                        "--model",
                        MODEL.toString(),
                        "--explanations",
                        p.toString(),
                        "--retrains",
                        String.valueOf(R),
                        "--steps",
                        STEPS,
                        "--cache",
                        v.resolve("retrains").toString(),
                        "--threads",
                        "1");
        assertEquals(0, ep.code(), ep.err());
        assertTrue(ep.out().contains(" 0 retrains run"), ep.out());
        DataCommandTest.Run cmp =
                DataCommandTest.run(
                        "compare",
                        p.resolve("accent_5.csv").toString(),
                        file.toString(),
                        "--format",
                        "json");
        assertEquals(0, cmp.code(), cmp.err());
        assertTrue(cmp.out().contains("\"users\""), cmp.out());

        // an interrupted run (only the first row written) resumes from the cache alone
        String text = Files.readString(file);
        int secondRow = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
        Files.writeString(file, text.substring(0, secondRow));
        DataCommandTest.Run again =
                explain(v, "--verify", String.valueOf(R), "--max-rounds", "3", "--steps", STEPS);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains(": 0 retrains run"), again.out());
        assertArrayEquals(written, Files.readAllBytes(file));
    }

    @Test
    void verifyOptionsAreCheckedBeforeLoading() {
        Path out = tmp.resolve("o");
        DataCommandTest.Run steps = explain(out, "--steps", "5");
        assertEquals(2, steps.code());
        assertTrue(steps.err().contains("--steps applies with --verify only"), steps.err());
        DataCommandTest.Run rounds = explain(out, "--max-rounds", "2");
        assertEquals(2, rounds.code());
        DataCommandTest.Run noOut =
                DataCommandTest.run(
                        "explain", "--model", MODEL.toString(), "--users", "2", "--verify", "1");
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("--verify needs --out"), noOut.err());
        DataCommandTest.Run fia = explain(out, "--verify", "1", "--algo", "accent,fia");
        assertEquals(2, fia.code());
        assertTrue(fia.err().contains("accent algorithm only"), fia.err());
        DataCommandTest.Run zero = explain(out, "--verify", "1", "--max-rounds", "0");
        assertEquals(2, zero.code());
        DataCommandTest.Run rcf =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        "saved-models/rcf-synthetic",
                        "--users",
                        "1",
                        "--out",
                        out.toString(),
                        "--verify",
                        "6");
        assertEquals(2, rcf.code());
        assertTrue(rcf.err().contains("--verify must be in 1..5"), rcf.err());
        DataCommandTest.Run rcfSteps =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        "saved-models/rcf-synthetic",
                        "--users",
                        "1",
                        "--out",
                        out.toString(),
                        "--verify",
                        "1",
                        "--steps",
                        "5");
        assertEquals(2, rcfSteps.code());
        assertTrue(rcfSteps.err().contains("--steps applies to"), rcfSteps.err());
        assertTrue(Files.notExists(out), "nothing written");
    }

    @Test
    void plainResultFilesAreNotContinuedWithVerification() {
        Path out = tmp.resolve("plain");
        assertEquals(0, explain(out).code());
        DataCommandTest.Run v = explain(out, "--verify", "1", "--steps", "5");
        assertEquals(3, v.code(), v.err());
        assertTrue(v.err().contains("verify_outcome"), v.err());
    }
}
