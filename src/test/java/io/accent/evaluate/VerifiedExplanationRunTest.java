package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.explain.AccentSearch;
import io.accent.explain.Explainers;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationRow;
import io.accent.explain.ExplanationRun;
import io.accent.influence.InfluenceSetup;
import io.accent.influence.LinearSolver;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfFamily;
import io.accent.ncf.NcfInfluenceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain --verify}'s job on the embedded NCF model with real influences, and a planted
 * {@link Retraining} injected through the family seam ({@link RetrainingSetup}): its retrains give
 * the model's own scores, except that the recommendation drops far below every other item once at
 * least {@code threshold(user)} actions are removed. With the threshold one above the size of
 * ACCENT's first set, the first set is refuted and the search must be resumed; the outcome of every
 * row is predicted from the user's influences and {@link AccentSearch}. The planted retraining
 * counts every retrain it completes, so a run interrupted between two batches and resumed is seen
 * to run no retrain twice and to write the same bytes as an uninterrupted run.
 */
class VerifiedExplanationRunTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");
    static final InfluenceSetup K5 =
            NcfFamily.influenceSetup(
                    new NcfInfluenceConfig(1e-6, LinearSolver.CG, true, 5, 4096, 1));
    static final int K = 5;
    static final int R = 2;

    /** Users of the embedded model: 2, 10, 12 and 18 resume, 5 and 14 cannot. */
    static final int[] RAW_USERS = {2, 5, 10, 12, 14, 18};

    static TrainedModel model;

    @TempDir Path tmp;

    @BeforeAll
    static void load() {
        model = ModelStore.load(MODEL);
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    /** The planted retraining; {@code crashAtCall}: the run call (0-based) that fails, or −1. */
    static final class Planted implements RetrainingSetup {
        final Map<Integer, Integer> threshold;
        final Map<String, Integer> completed;
        final int crashAtCall;
        int calls;

        Planted(Map<Integer, Integer> threshold, Map<String, Integer> completed, int crashAtCall) {
            this.threshold = threshold;
            this.completed = completed;
            this.crashAtCall = crashAtCall;
        }

        @Override
        public int defaultBatch() {
            return 16;
        }

        @Override
        public int maxRetrains() {
            return 5;
        }

        @Override
        public Retraining open(TrainedModel m, int threads) {
            return new Retraining() {
                @Override
                public String budgetUnit() {
                    return "steps";
                }

                @Override
                public long budget() {
                    return 7;
                }

                @Override
                public String cachePrefix() {
                    return "planted-";
                }

                @Override
                public int orderVersion() {
                    return 1;
                }

                @Override
                public float[] referenceScores(int user) {
                    return m.scoreAll(user);
                }

                @Override
                public long seed(int index) {
                    return index;
                }

                @Override
                public long work(int jobs, int batch) {
                    return jobs;
                }

                @Override
                public float[][][] run(
                        List<RetrainJob> jobs, int batch, int[][] items, Progress progress) {
                    if (calls++ == crashAtCall) {
                        throw new IllegalStateException("planted crash");
                    }
                    assertTrue(jobs.size() <= R, "the R retrains of one set run together");
                    float[][][] out = new float[1][jobs.size()][];
                    for (int j = 0; j < jobs.size(); j++) {
                        RetrainJob job = jobs.get(j);
                        float[] all = m.scoreAll(job.user());
                        int rec = m.recommend(job.user(), 1).get(0).item();
                        boolean overtaken =
                                job.removed().size()
                                        >= threshold.getOrDefault(job.user(), Integer.MAX_VALUE);
                        out[0][j] = new float[items[j].length];
                        for (int i = 0; i < items[j].length; i++) {
                            int item = items[j][i];
                            out[0][j][i] = all[item] - (overtaken && item == rec ? 10f : 0f);
                        }
                    }
                    for (RetrainJob job : jobs) {
                        completed.merge(
                                job.user() + "-" + job.removed() + "@" + job.seed(),
                                1,
                                Integer::sum);
                    }
                    return out;
                }

                @Override
                public void close() {}
            };
        }
    }

    static int[] denseUsers() {
        return java.util.Arrays.stream(RAW_USERS)
                .map(u -> model.users().require(u, "user"))
                .toArray();
    }

    /** ACCENT's first searches per dense user, from a plain run's influences. */
    static Map<Integer, UserInfluence> influences() {
        Map<Integer, UserInfluence> out = new TreeMap<>();
        ExplanationRun.run(
                model,
                K5,
                new ExplanationRun.Config(
                        denseUsers(),
                        new int[] {K},
                        List.of(Explainers.byName("accent")),
                        Optional.empty(),
                        64),
                Progress.NONE,
                r -> out.put(r.influence().influence().user(), r.influence().influence()));
        return out;
    }

    VerifiedExplanationRun.Summary verify(Path out, Planted planted, int rounds) {
        return VerifiedExplanationRun.run(
                model,
                K5,
                planted,
                new ExplanationRun.Config(
                        denseUsers(),
                        new int[] {K},
                        List.of(Explainers.byName("accent")),
                        Optional.of(out),
                        2),
                new VerifiedExplanationRun.Config(R, rounds, out.resolve("retrains"), 1),
                Progress.NONE,
                r -> {});
    }

    @Test
    void refutedSetsAreResumedToVerifiedSetsAsPredicted() throws Exception {
        Map<Integer, UserInfluence> in = influences();
        Map<Integer, Integer> threshold = new HashMap<>();
        Map<Integer, AccentSearch> first = new HashMap<>();
        for (Map.Entry<Integer, UserInfluence> e : in.entrySet()) {
            AccentSearch.searchAll(e.getValue(), new int[] {K})
                    .get(K)
                    .ifPresent(
                            s -> {
                                first.put(e.getKey(), s);
                                threshold.put(e.getKey(), s.taken() + 1);
                            });
        }
        Map<String, Integer> completed = new HashMap<>();
        Path out = tmp.resolve("v");
        VerifiedExplanationRun.Summary s = verify(out, new Planted(threshold, completed, -1), 3);
        List<ExplanationRow> rows = ExplanationFile.read(out.resolve("accent_5.csv"));
        assertEquals(RAW_USERS.length, rows.size());
        int verified = 0;
        int exhausted = 0;
        for (ExplanationRow row : rows) {
            int u = model.users().require(row.user(), "user");
            AccentSearch a = first.get(u);
            if (a == null) {
                assertEquals("none", row.extra().get("verify_outcome"));
                continue;
            }
            // the planted retrains keep every score, so round 1 measures the model's own gap
            float[] all = model.scoreAll(u);
            double gap = all[in.get(u).topItem(0)] - all[in.get(u).topItem(a.replacementRank())];
            Optional<AccentSearch> resumed = a.resume(gap);
            if (resumed.isPresent()) {
                verified++;
                assertEquals("verified", row.extra().get("verify_outcome"), "user " + row.user());
                assertEquals("2", row.extra().get("verify_rounds"));
                assertEquals(String.valueOf(2 * R), row.extra().get("verify_retrains"));
                assertEquals(
                        "[" + a.taken() + ", " + resumed.get().taken() + "]",
                        row.extra().get("verify_sizes"));
                List<Integer> set =
                        resumed.get().explanation().removed().stream()
                                .map(i -> model.items().raw(i))
                                .sorted()
                                .toList();
                assertEquals(set, row.counterfactual().stream().sorted().toList());
                assertTrue(
                        row.actualScoresAvg().get(a.replacementRank())
                                > row.actualScoresAvg().get(0));
            } else {
                exhausted++;
                assertEquals("exhausted", row.extra().get("verify_outcome"), "user " + row.user());
                assertEquals("1", row.extra().get("verify_rounds"));
                assertEquals(String.valueOf(R), row.extra().get("verify_retrains"));
            }
        }
        assertEquals(4, verified, "users verified after resuming");
        assertEquals(2, exhausted, "users whose search could not resume");
        assertEquals(s.stats().get(K).verified(), verified);
        assertEquals(s.stats().get(K).exhausted(), exhausted);
        // one retrain per set and seed, all run here
        assertTrue(completed.values().stream().allMatch(c -> c == 1), completed.toString());
        assertEquals(completed.size(), s.retrainsRun());
        // the rows say which protocol verified them, as evaluate's files do
        assertEquals(
                new EvaluationProtocol(
                        "ncf", io.accent.model.ModelFingerprint.of(model), R, "steps", 7),
                EvaluationProtocol.recorded(out.resolve("accent_5.csv")).orElseThrow());
        // a second run finds every row written and retrains nothing
        VerifiedExplanationRun.Summary again =
                verify(out, new Planted(threshold, completed, -1), 3);
        assertEquals(0, again.retrainsRun());
        assertEquals(0, again.explanations().processed());
    }

    @Test
    void withoutOvertakingTheSearchStopsAtTheRoundLimit() throws Exception {
        Path out = tmp.resolve("limit");
        verify(out, new Planted(Map.of(), new HashMap<>(), -1), 2);
        int limited = 0;
        for (ExplanationRow row : ExplanationFile.read(out.resolve("accent_5.csv"))) {
            String o = row.extra().get("verify_outcome");
            int rounds = Integer.parseInt(row.extra().get("verify_rounds"));
            assertTrue(rounds <= 2);
            if (o.equals("round-limit")) {
                limited++;
                assertEquals(2, rounds);
            } else {
                assertTrue(o.equals("none") || (o.equals("exhausted") && rounds >= 1), o);
            }
            assertTrue(!o.equals("verified"));
        }
        assertEquals(4, limited, "rows at the round limit");
    }

    @Test
    void anInterruptedRunResumesWithoutRetrainingTwiceAndWritesTheSameFile() throws Exception {
        Map<Integer, Integer> threshold = new HashMap<>();
        for (Map.Entry<Integer, UserInfluence> e : influences().entrySet()) {
            AccentSearch.searchAll(e.getValue(), new int[] {K})
                    .get(K)
                    .ifPresent(s -> threshold.put(e.getKey(), s.taken() + 1));
        }
        Path whole = tmp.resolve("whole");
        Map<String, Integer> once = new HashMap<>();
        verify(whole, new Planted(threshold, once, -1), 3);

        Path cut = tmp.resolve("cut");
        Map<String, Integer> completed = new HashMap<>();
        assertThrows(
                IllegalStateException.class,
                () -> verify(cut, new Planted(threshold, completed, 4), 3));
        int before = completed.size();
        assertEquals(4, before / R, "four sets retrained before the crash");
        VerifiedExplanationRun.Summary s = verify(cut, new Planted(threshold, completed, -1), 3);
        assertTrue(completed.values().stream().allMatch(c -> c == 1), completed.toString());
        assertEquals(once.keySet(), completed.keySet());
        assertEquals(completed.size() - before, s.retrainsRun());
        assertTrue(s.retrainsReused() > 0);
        assertArrayEquals(
                Files.readAllBytes(whole.resolve("accent_5.csv")),
                Files.readAllBytes(cut.resolve("accent_5.csv")));
    }

    @Test
    void verificationIsRefusedForOtherAlgorithmsAndProtocols() throws Exception {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                VerifiedExplanationRun.run(
                                        model,
                                        K5,
                                        new Planted(Map.of(), new HashMap<>(), -1),
                                        new ExplanationRun.Config(
                                                denseUsers(),
                                                new int[] {K},
                                                List.of(Explainers.byName("fia")),
                                                Optional.of(tmp.resolve("fia")),
                                                2),
                                        new VerifiedExplanationRun.Config(
                                                R, 3, tmp.resolve("c"), 1),
                                        Progress.NONE,
                                        r -> {}));
        assertTrue(e.getMessage().contains("accent algorithm only"), e.getMessage());
        assertThrows(
                ConfigException.class,
                () ->
                        VerifiedExplanationRun.requireRetrains(
                                new Planted(Map.of(), new HashMap<>(), -1), 6, "NCF"));
        // rows verified with R = 2 are not continued with another protocol
        Path out = tmp.resolve("p");
        verify(out, new Planted(Map.of(), new HashMap<>(), -1), 1);
        ExplanationRow first = ExplanationFile.read(out.resolve("accent_5.csv")).get(0);
        String text = Files.readString(out.resolve("accent_5.csv"));
        Files.writeString(
                out.resolve("accent_5.csv"),
                text.substring(0, text.indexOf('\n', text.indexOf('\n') + 1) + 1));
        EvaluationProtocol other =
                new EvaluationProtocol(
                        "ncf", io.accent.model.ModelFingerprint.of(model), R, "steps", 8);
        other.record(List.of(out.resolve("accent_5.csv")));
        ConfigException p =
                assertThrows(
                        ConfigException.class,
                        () -> verify(out, new Planted(Map.of(), new HashMap<>(), -1), 1));
        assertTrue(p.getMessage().contains("8 steps"), p.getMessage());
        assertEquals(first.user(), RAW_USERS[0]);
    }
}
