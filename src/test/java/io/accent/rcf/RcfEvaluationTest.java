package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.RcfTestModels;
import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.evaluate.EvaluationJob;
import io.accent.evaluate.EvaluationProtocol;
import io.accent.evaluate.EvaluationRun;
import io.accent.evaluate.RetrainCache;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.RowOutcome;
import io.accent.evaluate.Shard;
import io.accent.evaluate.ShardedEvaluationTest;
import io.accent.evaluate.TopListCheck;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationRow;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RCF retraining from scratch (docs/SPEC.md §7.2) and its evaluation job. */
class RcfEvaluationTest {

    private static TrainedModel model;

    @TempDir Path tmp;

    @BeforeAll
    static void load() {
        model = ModelStore.load(RcfTestModels.small());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static RcfRetrainer retrainer() {
        return new RcfRetrainer(
                RcfConfig.fromMap(model.metadata().config()), ((RcfModel) model).rcfData(), 1);
    }

    private static int[] top(int u, int k) {
        return model.recommend(u, k).stream().mapToInt(ScoredItem::item).toArray();
    }

    @Test
    void retrainWithTheTrainingSeedAndNothingRemovedReproducesTheModel() {
        // the test model was trained with one thread, init seed 2016 and shuffle seed 2512
        int u = 0;
        int[] items = top(u, 5);
        float[] again =
                retrainer()
                        .retrain(
                                new RetrainJob(u, Set.of(), RcfRetrainer.SEEDS[0]),
                                items,
                                Progress.NONE);
        int[] users = new int[items.length];
        assertArrayEquals(model.score(users, items), again, 1e-4f);
    }

    @Test
    void removalDropsExactlyTheUsersTriplesOfTheSet() {
        int u = 1;
        int[] pos = ((RcfModel) model).rcfData().lists().positives(u);
        var job = new RetrainJob(u, Set.of(pos[0], pos[2]), 3512);
        var reduced = retrainer().reduced(job);
        var full = ((RcfModel) model).rcfData();
        assertEquals(full.train().size() - 2, reduced.train().size());
        assertEquals(pos.length - 2, reduced.lists().positives(u).length);
        assertArrayEquals(full.lists().positives(u + 1), reduced.lists().positives(u + 1));
        // removing an item that is not a positive of u is refused
        assertThrows(
                io.accent.core.ConfigException.class,
                () -> retrainer().reduced(new RetrainJob(u, Set.of(top(u, 1)[0]), 2512)));
    }

    private Path write(List<ExplanationRow> rows) {
        Path f = tmp.resolve("accent_5.csv");
        ExplanationFile.writeEvaluated(f, rows, 0);
        return f;
    }

    private static ExplanationRow row(int u, List<Integer> cf, int k) {
        List<Integer> t = new ArrayList<>();
        for (int i : top(u, k)) {
            t.add(model.items().raw(i));
        }
        List<Double> pred = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            pred.add(j == 1 ? 1.0 : 0.0);
        }
        return new ExplanationRow(
                model.users().raw(u),
                t.get(0),
                t,
                cf,
                cf.isEmpty() ? List.of() : pred,
                cf.isEmpty() ? -1 : t.get(1),
                List.of(),
                List.of());
    }

    @Test
    void setsWithItemsThatAreNotThePositivesAreRejectedBeforeRetraining() {
        int u = 0;
        int notPositive = model.items().raw(top(u, 5)[3]);
        Path f = write(List.of(row(u, List.of(notPositive), 5)));
        Path cache = tmp.resolve("cache");
        DataException e =
                assertThrows(
                        DataException.class,
                        () ->
                                (EvaluationJob.rcf(List.of(f), 1, Optional.empty(), 1, cache, 1))
                                        .run(model, Progress.NONE));
        assertTrue(
                e.getMessage().contains("line 2")
                        && e.getMessage().contains("not among the training actions"),
                e.getMessage());
        assertFalse(Files.exists(cache), "nothing retrained");
    }

    /**
     * Top lists are checked through the Java-built lists and the network with {@link
     * TopListCheck}'s tolerance: the closest near-tie of the model's top lists swapped (as scores
     * from another device or thread count may order it) verifies; a real gap swapped, or another
     * user's list, is rejected before any retraining, naming the position.
     */
    @Test
    void topListsVerifyUpToNumericNoiseAndOtherListsAreRejected() {
        RcfModel rm = (RcfModel) model;
        double closest = Double.MAX_VALUE;
        int cu = -1;
        int cp = -1;
        List<List<Integer>> lists = new ArrayList<>();
        try (var scorer =
                new io.accent.rcf.RcfScorer(
                        RcfConfig.fromMap(model.metadata().config()),
                        rm.rcfData(),
                        model.parameters(),
                        1)) {
            for (int u = 0; u < model.metadata().numUsers(); u++) {
                List<ScoredItem> t =
                        TrainedModel.topK(scorer.scoreAll(u), model.trainingItems(u), 20);
                List<Integer> raw = new ArrayList<>();
                for (ScoredItem x : t) {
                    raw.add(model.items().raw(x.item()));
                }
                lists.add(raw);
                for (int i = 0; i + 1 < 5; i++) {
                    double gap =
                            (t.get(i).score() - t.get(i + 1).score())
                                    / Math.max(1, Math.abs(t.get(i).score()));
                    if (gap < closest) {
                        closest = gap;
                        cu = u;
                        cp = i;
                    }
                }
            }
        }
        assertTrue(
                closest < TopListCheck.RELATIVE_TOLERANCE,
                "no near-tie to swap: closest gap " + closest);
        List<Integer> nearTie = new ArrayList<>(lists.get(cu).subList(0, 5));
        java.util.Collections.swap(nearTie, cp, cp + 1);
        Path cache = tmp.resolve("cache");
        Path ok = write(List.of(listRow(cu, nearTie)));
        EvaluationRun.Summary s =
                (EvaluationJob.rcf(List.of(ok), 1, Optional.empty(), 1, cache, 1))
                        .run(model, Progress.NONE);
        assertEquals(0, s.retrainsDone());
        // a real gap swapped: the model's first and third items
        int u = cu == 0 ? 1 : 0;
        List<Integer> gap = new ArrayList<>(lists.get(u).subList(0, 5));
        java.util.Collections.swap(gap, 0, 2);
        // another user's list
        int v = u + 2;
        List<Integer> other = new ArrayList<>(lists.get(v).subList(0, 5));
        other.removeIf(i -> model.trainingItems(u).get(model.items().require(i, "item")));
        for (List<Integer> bad : List.of(gap, other)) {
            Path f = write(List.of(listRow(u, bad)));
            DataException e =
                    assertThrows(
                            DataException.class,
                            () ->
                                    (EvaluationJob.rcf(
                                                    List.of(f), 1, Optional.empty(), 1, cache, 1))
                                            .run(model, Progress.NONE));
            assertTrue(
                    e.getMessage().contains("line 2")
                            && e.getMessage().contains("is not this model's (position"),
                    e.getMessage());
        }
    }

    /** A row of user {@code u} with the given top list (raw ids) and no counterfactual set. */
    private static ExplanationRow listRow(int u, List<Integer> top) {
        return new ExplanationRow(
                model.users().raw(u),
                top.get(0),
                top,
                List.of(),
                List.of(),
                -1,
                List.of(),
                List.of());
    }

    @Test
    void evaluationRetrainsCachesAndResumes() throws Exception {
        int u = 2;
        int p = ((RcfModel) model).rcfData().lists().positives(u)[0];
        Path f = write(List.of(row(u, List.of(model.items().raw(p)), 5), row(3, List.of(), 5)));
        Path cache = tmp.resolve("cache");
        var config = EvaluationJob.rcf(List.of(f), 2, Optional.empty(), 1, cache, 1);
        EvaluationRun.Summary s = (config).run(model, Progress.NONE);
        assertEquals(1, s.distinctSets());
        assertEquals(2, s.retrainsDone());
        List<ExplanationRow> rows = ExplanationFile.read(f);
        assertEquals(2, rows.get(0).actualScores().size());
        assertEquals(5, rows.get(0).actualScoresAvg().size());
        assertTrue(rows.get(1).actualScoresAvg().isEmpty());
        // the cached retrain equals a retrain run alone with the same seed
        var rt = retrainer();
        float[] alone =
                rt.retrain(
                        new RetrainJob(u, Set.of(p), RcfRetrainer.SEEDS[1]),
                        top(u, 5),
                        Progress.NONE);
        for (int j = 0; j < 5; j++) {
            assertEquals(alone[j], rows.get(0).actualScores().get(1).get(j), 1e-6);
        }
        EvaluationRun.Summary again = (config).run(model, Progress.NONE);
        assertEquals(0, again.retrainsDone());
        assertEquals(2, again.retrainsCached());
        // the protocol is recorded beside the file, and rows of another one are not added
        long epochs = RcfConfig.fromMap(model.metadata().config()).epochs();
        EvaluationProtocol recorded = EvaluationProtocol.recorded(f).orElseThrow();
        assertEquals(
                new EvaluationProtocol(
                        "rcf", io.accent.model.ModelFingerprint.of(model), 2, "epochs", epochs),
                recorded);
        var fewer =
                EvaluationJob.rcf(
                        List.of(f), 1, Optional.of(Set.of(model.users().raw(3))), 1, cache, 1);
        io.accent.core.ConfigException mixed =
                assertThrows(
                        io.accent.core.ConfigException.class,
                        () -> (fewer).run(model, Progress.NONE));
        assertTrue(
                mixed.getMessage().contains("rows evaluated with rcf model")
                        && mixed.getMessage().contains("2 retrains of " + epochs + " epochs")
                        && mixed.getMessage().contains("1 retrain of " + epochs + " epochs"),
                mixed.getMessage());
        try (var dirs = Files.list(cache)) {
            assertTrue(
                    dirs.allMatch(d -> d.getFileName().toString().startsWith("rcf-")),
                    "cache keyed by model");
        }
    }

    @Test
    void unknownOrUnlistedSelectedUsersAreRefusedBeforeRetraining() {
        int p = ((RcfModel) model).rcfData().lists().positives(2)[0];
        Path f = write(List.of(row(2, List.of(model.items().raw(p)), 5)));
        Path cache = tmp.resolve("cache");
        int raw = model.users().raw(2);
        DataException unknown =
                assertThrows(
                        DataException.class,
                        () ->
                                (EvaluationJob.rcf(
                                                List.of(f),
                                                1,
                                                Optional.of(
                                                        new java.util.LinkedHashSet<>(
                                                                List.of(raw, 99999))),
                                                1,
                                                cache,
                                                1))
                                        .run(model, Progress.NONE));
        assertTrue(unknown.getMessage().startsWith("unknown user 99999"), unknown.getMessage());
        int other = model.users().raw(3);
        io.accent.core.ConfigException unlisted =
                assertThrows(
                        io.accent.core.ConfigException.class,
                        () ->
                                (EvaluationJob.rcf(
                                                List.of(f),
                                                1,
                                                Optional.of(Set.of(other)),
                                                1,
                                                cache,
                                                1))
                                        .run(model, Progress.NONE));
        assertTrue(
                unlisted.getMessage().startsWith("user " + other + " has no row"),
                unlisted.getMessage());
        assertFalse(Files.exists(cache));
    }

    /**
     * {@code --shard i/n} on RCF: two shards fill two caches with disjoint sets and write no result
     * file; their caches copied together give, with nothing retrained, a result file byte-identical
     * to an unsharded run's.
     */
    @Test
    void shardsMergeToTheUnshardedResultFile() throws Exception {
        List<ExplanationRow> rows = new ArrayList<>();
        for (int u = 1; u <= 3; u++) {
            int[] pos = ((RcfModel) model).rcfData().lists().positives(u);
            rows.add(row(u, List.of(model.items().raw(pos[u - 1])), 5));
        }
        Path whole = tmp.resolve("whole");
        Path sharded = tmp.resolve("sharded");
        Files.createDirectories(whole);
        Files.createDirectories(sharded);
        Path fw = whole.resolve("accent_5.csv");
        Path fs = sharded.resolve("accent_5.csv");
        ExplanationFile.writeEvaluated(fw, rows, 0);
        ExplanationFile.writeEvaluated(fs, rows, 0);
        byte[] before = Files.readAllBytes(fs);
        (EvaluationJob.rcf(List.of(fw), 1, Optional.empty(), 1, tmp.resolve("c-whole"), 1))
                .run(model, Progress.NONE);
        int sets = 0;
        for (int i = 1; i <= 2; i++) {
            EvaluationRun.Summary s =
                    (EvaluationJob.rcf(
                                    List.of(fs), 1, Optional.empty(), 1, tmp.resolve("c" + i), 1))
                            .run(model, new Shard(i, 2), Progress.NONE);
            assertTrue(s.files().isEmpty(), "a shard writes no results");
            assertEquals(s.distinctSets(), s.retrainsDone());
            sets += s.distinctSets();
        }
        assertEquals(3, sets, "the shards partition the sets");
        assertArrayEquals(before, Files.readAllBytes(fs), "a shard leaves the file alone");
        Path merged = tmp.resolve("merged");
        for (int i = 1; i <= 2; i++) {
            ShardedEvaluationTest.copyInto(tmp.resolve("c" + i), merged);
        }
        EvaluationRun.Summary all =
                (EvaluationJob.rcf(List.of(fs), 1, Optional.empty(), 1, merged, 1))
                        .run(model, Progress.NONE);
        assertEquals(0, all.retrainsDone());
        assertEquals(3, all.retrainsCached());
        assertArrayEquals(Files.readAllBytes(fw), Files.readAllBytes(fs));
    }

    /**
     * {@code --batch 2}: the pending retrains run as stacked copies (a batch of two and a batch of
     * one), entries already cached are reused, and a copy's scores are those of the same retrain
     * alone (made by a {@code --batch 1} run) up to float32 round-off.
     */
    @Test
    void batchedEvaluationReusesTheCacheAndMatchesRetrainsAlone() throws Exception {
        List<ExplanationRow> rows = new ArrayList<>();
        for (int u = 1; u <= 2; u++) {
            int[] pos = ((RcfModel) model).rcfData().lists().positives(u);
            Set<Integer> set = u == 2 ? Set.of(pos[0], pos[1]) : Set.of(pos[u]);
            rows.add(row(u, set.stream().map(i -> model.items().raw(i)).sorted().toList(), 5));
        }
        Path f = write(rows);
        Path cache = tmp.resolve("cache");
        // one at a time: seed 0 of both sets
        EvaluationRun.Summary first =
                (EvaluationJob.rcf(List.of(f), 1, Optional.empty(), 1, cache, 1))
                        .run(model, Progress.NONE);
        assertEquals(2, first.retrainsDone());
        List<ExplanationRow> alone = ExplanationFile.read(f);
        // drop the first set's entry: it is retrained again, stacked, with seed 1 of both sets
        List<Path> entries;
        try (var walk = Files.walk(cache)) {
            entries = walk.filter(p -> p.getFileName().toString().equals("seed-0.json")).toList();
        }
        assertEquals(2, entries.size());
        String firstSet =
                new RetrainCache.SetKey(rows.get(0).user(), rows.get(0).counterfactual()).id();
        Path dropped =
                entries.stream()
                        .filter(p -> p.getParent().getFileName().toString().equals(firstSet))
                        .findFirst()
                        .orElseThrow();
        Files.delete(dropped);
        EvaluationRun.Summary s =
                (EvaluationJob.rcf(List.of(f), 2, Optional.empty(), 1, cache, 2))
                        .run(model, Progress.NONE);
        assertEquals(3, s.retrainsDone(), "seed 0 of the first set, seed 1 of both");
        assertEquals(1, s.retrainsCached(), "seed 0 of the second set is reused");
        List<ExplanationRow> after = ExplanationFile.read(f);
        assertEquals(
                alone.get(1).actualScores().get(0),
                after.get(1).actualScores().get(0),
                "the cached entry is reused as it is");
        for (int j = 0; j < 5; j++) {
            double want = alone.get(0).actualScores().get(0).get(j);
            double got = after.get(0).actualScores().get(0).get(j);
            assertEquals(want, got, 2e-5 * Math.max(1, Math.abs(want)), "stacked copy vs alone");
        }
        assertEquals(2, after.get(0).actualScores().size());
    }

    /**
     * A planted set and a control, one retrain each (seed 2512, one thread: deterministic).
     * Removing every positive of user 0 drops all of its triples, so e_u keeps its initialization
     * and every list is empty: the scores fall to the untrained level (about 3 instead of 10) and
     * the recommendation loses its lead to the rank-1 item; removing one positive keeps the lead.
     */
    @Test
    void aPlantedSetFlipsTheRecommendationAfterRetrainingAndAControlDoesNot() {
        int u = 0;
        int[] pos = ((RcfModel) model).rcfData().lists().positives(u);
        List<Integer> all = new ArrayList<>();
        for (int p : pos) {
            all.add(model.items().raw(p));
        }
        List<Integer> one = List.of(model.items().raw(pos[pos.length - 1]));
        Path f = write(List.of(row(u, all, 5)));
        Path g = tmp.resolve("fia_5.csv");
        ExplanationFile.writeEvaluated(g, List.of(row(u, one, 5)), 0);
        EvaluationRun.Summary s =
                (EvaluationJob.rcf(List.of(f, g), 1, Optional.empty(), 1, tmp.resolve("cache"), 1))
                        .run(model, Progress.NONE);
        assertEquals(2, s.retrainsDone());
        List<RowOutcome> planted = RowOutcome.of(ExplanationFile.read(f));
        List<RowOutcome> control = RowOutcome.of(ExplanationFile.read(g));
        assertTrue(planted.get(0).success(), "the planted set flips the recommendation");
        assertFalse(control.get(0).success(), "the control set does not");
        assertEquals(1, s.files().get(0).stats().successes());
        assertEquals(0, s.files().get(1).stats().successes());
    }
}
