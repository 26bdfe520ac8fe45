package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationRow;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTraining;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification end to end on a planted data set: two taste groups of items (A = 0..9, B = 10..19),
 * 30 users who love A and hate B and 30 the reverse, and two test users who rated eight A items
 * with 5 and three B items with 4, so that their top item is an A item. Removing every rating of
 * the group of a test user's top item leaves only the other group: the recommendation must flip.
 * Removing one rating of the replacement's group must not.
 */
class EvaluationRunTest {

    @TempDir static Path root;
    static Path model;

    static final int U0 = 1000;
    static final int U1 = 1001;

    @BeforeAll
    static void train() throws Exception {
        Path data = root.resolve("data");
        Files.createDirectories(data);
        List<int[]> rows = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            boolean a = u < 30;
            for (int i = 0; i < 20; i++) {
                rows.add(new int[] {u, i, (i < 10) == a ? 5 : 1});
            }
        }
        for (int u : new int[] {60, 61}) {
            for (int i = 0; i < 8; i++) {
                rows.add(new int[] {u, i, 5});
            }
            for (int i = 10; i < 13; i++) {
                rows.add(new int[] {u, i, 4});
            }
        }
        int n = rows.size();
        int[] us = new int[n];
        int[] is = new int[n];
        float[] rs = new float[n];
        long[] ts = new long[n];
        for (int r = 0; r < n; r++) {
            us[r] = rows.get(r)[0];
            is[r] = rows.get(r)[1];
            rs[r] = rows.get(r)[2];
            ts[r] = r;
        }
        Ratings.of(us, is, rs, ts).write(data.resolve("ncf-train.tsv"));
        Ratings.of(new int[] {0}, new int[] {0}, new float[] {5}, new long[] {0})
                .write(data.resolve("ncf-test.tsv"));
        StringBuilder users = new StringBuilder();
        for (int u = 0; u < 62; u++) {
            users.append(u).append('\t').append(u < 60 ? u + 1 : (u == 60 ? U0 : U1)).append('\n');
        }
        Files.writeString(data.resolve("users.tsv"), users);
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            items.append(i)
                    .append('\t')
                    .append(i + 1)
                    .append('\t')
                    .append(i < 10 ? "A" : "B")
                    .append(i)
                    .append('\n');
        }
        Files.writeString(data.resolve("ncf-items.tsv"), items);
        StringBuilder json =
                new StringBuilder("{\"name\":\"planted\",\"version\":\"1\",\"files\":{");
        String sep = "";
        for (String f : List.of("users.tsv", "ncf-items.tsv", "ncf-train.tsv", "ncf-test.tsv")) {
            json.append(sep)
                    .append('"')
                    .append(f)
                    .append("\":\"")
                    .append(sha256(data.resolve(f)))
                    .append('"');
            sep = ",";
        }
        Files.writeString(data.resolve("dataset.json"), json.append("}}"));
        model = root.resolve("model");
        NcfTraining.run(
                data, model, new NcfConfig(16, 1e-2, 1e-3, 128, 3000, 0, 7), 1, Progress.NONE);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    /**
     * Writes an explanation file with one row per test user: CF = planted set, replacement = first
     * item of the other group.
     */
    static Path writeFile(Path dir, boolean plantedForU0, boolean plantedForU1) throws IOException {
        Files.createDirectories(dir);
        StringBuilder b =
                new StringBuilder("user,item,topk,counterfactual,predicted_scores,replacement\n");
        try (TrainedModel m = ModelStore.load(model)) {
            int[] raws = {U0, U1};
            boolean[] planted = {plantedForU0, plantedForU1};
            for (int t = 0; t < 2; t++) {
                int u = ((io.accent.ncf.NcfModel) m).data().users().require(raws[t], "user");
                List<ScoredItem> top = m.recommend(u, 9);
                List<Integer> raw =
                        top.stream()
                                .map(s -> ((io.accent.ncf.NcfModel) m).data().items().raw(s.item()))
                                .toList();
                boolean recIsA = raw.get(0) <= 10;
                int repl = raw.stream().filter(i -> (i <= 10) != recIsA).findFirst().orElseThrow();
                List<Integer> cf = new ArrayList<>();
                List<Integer> other = new ArrayList<>();
                for (int r : ((io.accent.ncf.NcfModel) m).data().train().rowsOf(u)) {
                    int item =
                            ((io.accent.ncf.NcfModel) m)
                                    .data()
                                    .items()
                                    .raw(((io.accent.ncf.NcfModel) m).data().train().item(r));
                    ((item <= 10) == recIsA ? cf : other).add(item);
                }
                if (!planted[t]) {
                    // control: one rating of the replacement's own group; removing it can only
                    // widen the gap
                    cf = List.of(other.get(0));
                }
                String preds =
                        top.stream()
                                .map(s -> String.valueOf((double) s.score()))
                                .collect(Collectors.joining(", "));
                b.append(raws[t])
                        .append(',')
                        .append(raw.get(0))
                        .append(",\"")
                        .append(raw)
                        .append("\",\"{")
                        .append(cf.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                        .append("}\",\"[")
                        .append(preds)
                        .append("]\",")
                        .append(repl)
                        .append('\n');
            }
        }
        Path f = dir.resolve("accent_9.csv");
        Files.writeString(f, b.toString());
        return f;
    }

    static EvaluationJob config(Path file, int batch) {
        return EvaluationJob.ncf(
                List.of(file),
                2,
                2000,
                new long[] {500},
                Optional.empty(),
                batch,
                1,
                file.getParent().resolve("retrains"));
    }

    @Test
    void aPlantedSetIsCounterfactualAndAControlSetIsNot() throws Exception {
        Path f = writeFile(root.resolve("planted"), true, false);
        try (TrainedModel m = ModelStore.load(model)) {
            EvaluationRun.Summary s = (config(f, 4)).run(m, Progress.NONE);
            assertEquals(2, s.distinctSets());
            assertEquals(4, s.retrainsDone());
        }
        List<RowOutcome> out = RowOutcome.of(ExplanationFile.read(f));
        assertTrue(
                out.get(0).success(),
                "removing every rating of the recommendation's group must flip it");
        assertFalse(
                out.get(1).success(),
                "removing a rating of the replacement's group must not flip it");
        ExplanationRow row = ExplanationFile.read(f).get(0);
        assertEquals(2, row.actualScores().size());
        assertEquals(9, row.actualScoresAvg().size());
    }

    @Test
    void resumingAfterAnInterruptionGivesTheSameFile() throws Exception {
        Path whole = writeFile(root.resolve("whole"), true, true);
        Path parts = writeFile(root.resolve("parts"), true, true);
        try (TrainedModel m = ModelStore.load(model)) {
            (config(whole, 1)).run(m, Progress.NONE);
            // interrupt the second run after its first retrain has been saved
            Progress killer =
                    new Progress() {
                        long seen;

                        @Override
                        public void start(String task, long total) {}

                        @Override
                        public void step(long units) {
                            seen += units;
                            if (seen > 2000) {
                                throw new IllegalStateException("killed");
                            }
                        }
                    };
            String before = Files.readString(parts);
            assertThrows(IllegalStateException.class, () -> (config(parts, 1)).run(m, killer));
            assertEquals(
                    before,
                    Files.readString(parts),
                    "an interrupted run must not touch the result file");
            EvaluationRun.Summary s = (config(parts, 1)).run(m, Progress.NONE);
            assertEquals(1, s.retrainsCached());
            assertEquals(3, s.retrainsDone());
        }
        assertEquals(Files.readString(whole), Files.readString(parts));
    }

    @Test
    void filesFromAnotherModelAreRejectedAndLeftAlone() throws Exception {
        Path dir = root.resolve("foreign");
        Files.createDirectories(dir);
        Path f = dir.resolve("accent_5.csv");
        String text =
                "user,item,topk,counterfactual,predicted_scores,replacement\n"
                        + U0
                        + ",3,\"[3, 4, 5, 6, 7]\",{1},\"[1.0, 2.0, 1.0, 1.0, 1.0]\",4\n";
        Files.writeString(f, text);
        try (TrainedModel m = ModelStore.load(model)) {
            DataException e =
                    assertThrows(DataException.class, () -> (config(f, 1)).run(m, Progress.NONE));
            assertTrue(e.getMessage().contains("another model"), e.getMessage());
            // errors name the file and the row's line, as for RCF
            assertTrue(e.getMessage().startsWith(f + " line 2: "), e.getMessage());
            Files.writeString(f, text.replace(String.valueOf(U0), "77777"));
            e = assertThrows(DataException.class, () -> (config(f, 1)).run(m, Progress.NONE));
            assertTrue(e.getMessage().contains("unknown user 77777"), e.getMessage());
        }
        assertEquals(
                text.replace(String.valueOf(U0), "77777"),
                Files.readString(f, StandardCharsets.UTF_8));
    }

    static EvaluationJob quick(
            Path file, Optional<java.util.Set<Integer>> users, long steps, Path cache) {
        return EvaluationJob.ncf(List.of(file), 1, steps, new long[0], users, 4, 1, cache);
    }

    @Test
    void aSubsetRunKeepsTheOtherRowsResults() throws Exception {
        Path f = writeFile(root.resolve("subset"), true, true);
        try (TrainedModel m = ModelStore.load(model)) {
            (quick(f, Optional.empty(), 200, root.resolve("subset-cache"))).run(m, Progress.NONE);
            ExplanationRow otherBefore = ExplanationFile.read(f).get(1);
            assertEquals(1, otherBefore.actualScores().size());
            // a later run over U0 only (with the same protocol; another one is refused, see
            // EvaluateSafetyTest): U1's verified scores must survive
            (quick(f, Optional.of(java.util.Set.of(U0)), 200, root.resolve("subset-cache")))
                    .run(m, Progress.NONE);
        }
        List<ExplanationRow> after = ExplanationFile.read(f);
        assertEquals(U1, after.get(1).user());
        assertEquals(
                1, after.get(1).actualScores().size(), "the other user's actual scores were wiped");
        assertEquals(1, after.get(0).actualScores().size());
    }

    @Test
    void anEmptySelectionIsAnError() throws Exception {
        Path f = writeFile(root.resolve("empty-selection"), true, true);
        assertThrows(
                io.accent.core.ConfigException.class,
                () -> quick(f, Optional.of(java.util.Set.of()), 100, root.resolve("c")));
        try (TrainedModel m = ModelStore.load(model)) {
            // an id the model does not know is refused as explain refuses it
            DataException unknown =
                    assertThrows(
                            DataException.class,
                            () ->
                                    (quick(
                                                    f,
                                                    Optional.of(java.util.Set.of(999)),
                                                    100,
                                                    root.resolve("c")))
                                            .run(m, Progress.NONE));
            assertTrue(unknown.getMessage().startsWith("unknown user 999"), unknown.getMessage());
            // a known user without a row in the files
            io.accent.core.ConfigException e =
                    assertThrows(
                            io.accent.core.ConfigException.class,
                            () ->
                                    (quick(
                                                    f,
                                                    Optional.of(java.util.Set.of(U0, 5)),
                                                    100,
                                                    root.resolve("c")))
                                            .run(m, Progress.NONE));
            assertTrue(e.getMessage().startsWith("user 5 has no row"), e.getMessage());
        }
    }

    @Test
    void resultFilesOfAnotherModelAreRefusedNamingBothFingerprints() throws Exception {
        Path f = writeFile(root.resolve("manifest"), true, true);
        Files.writeString(
                f.resolveSibling(io.accent.explain.ExplanationManifest.FILE_NAME),
                "{\"format\":1,\"model_fingerprint\":\"" + "ab".repeat(32) + "\"}");
        String before = Files.readString(f);
        try (TrainedModel m = ModelStore.load(model)) {
            String mine =
                    io.accent.model.ModelFingerprint.shortForm(
                            io.accent.model.ModelFingerprint.of(m));
            DataException e =
                    assertThrows(
                            DataException.class,
                            () ->
                                    (quick(f, Optional.empty(), 100, root.resolve("c2")))
                                            .run(m, Progress.NONE));
            assertTrue(
                    e.getMessage().contains("abababababababab") && e.getMessage().contains(mine),
                    e.getMessage());
        }
        assertEquals(before, Files.readString(f));
    }
}
