package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.influence.LinearSolver;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfInfluenceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explain job on the embedded NCF model with K = 5 and three users (a few seconds): what the
 * callback sees equals what each explainer gives on the same influences, the files hold exactly
 * those rows in raw ids, the tallies are recounted from the callback and from the files, and a
 * second run resumes by skipping users already in every file.
 */
class ExplanationRunTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");
    static final NcfInfluenceConfig K5 =
            new NcfInfluenceConfig(1e-6, LinearSolver.CG, true, 5, 4096, 1);
    static final int[] KS = {2, 4};

    static TrainedModel model;

    @BeforeAll
    static void load() {
        model = ModelStore.load(MODEL);
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    static List<Explainer> algorithms() {
        return List.of(Explainers.byName("accent"), Explainers.byName("fia"));
    }

    /** Records the progress calls. */
    static final class Recorder implements Progress {
        final List<String> starts = new ArrayList<>();
        long steps;
        int closes;

        @Override
        public void start(String task, long total) {
            starts.add(task + ":" + total);
        }

        @Override
        public void step(long units) {
            steps += units;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    /** Tallies recounted from what the callback saw. */
    static Map<String, Map<Integer, ExplanationRun.Tally>> recount(
            List<ExplanationRun.UserResult> seen) {
        Map<String, Map<Integer, ExplanationRun.Tally>> out = new LinkedHashMap<>();
        for (Explainer e : algorithms()) {
            Map<Integer, ExplanationRun.Tally> byK = new LinkedHashMap<>();
            for (int k : KS) {
                int users = 0;
                int found = 0;
                long size = 0;
                for (ExplanationRun.UserResult r : seen) {
                    users++;
                    Optional<CounterfactualExplanation> x = r.byAlgorithm().get(e.name()).get(k);
                    if (x.isPresent()) {
                        found++;
                        size += x.get().removed().size();
                    }
                }
                byK.put(k, new ExplanationRun.Tally(users, found, size));
            }
            out.put(e.name(), byK);
        }
        return out;
    }

    @Test
    void filesCallbackAndTalliesAgreeAndASecondRunResumes(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        List<ExplanationRun.UserResult> seen = new ArrayList<>();
        Recorder progress = new Recorder();
        ExplanationRun.Summary s =
                ExplanationRun.run(
                        model,
                        io.accent.ncf.NcfFamily.influenceSetup(K5),
                        new ExplanationRun.Config(
                                new int[] {7, 2}, KS, algorithms(), Optional.of(out), 1),
                        progress,
                        seen::add);
        assertEquals(2, s.processed());
        assertEquals(0, s.skipped());
        assertEquals(List.of(), s.withoutRatings());
        assertEquals(List.of("explain:2"), progress.starts);
        assertEquals(2, progress.steps);
        assertEquals(1, progress.closes);
        assertEquals(
                List.of(7, 2), seen.stream().map(r -> r.influence().influence().user()).toList());
        assertEquals(seen.stream().mapToLong(r -> r.influence().fallbacks()).sum(), s.fallbacks());
        assertTrue(s.seconds() > 0);

        // the callback holds each explainer's own answer on the same influences
        for (ExplanationRun.UserResult r : seen) {
            UserInfluence in = r.influence().influence();
            assertEquals(5, in.topK());
            assertEquals(List.of("accent", "fia"), new ArrayList<>(r.byAlgorithm().keySet()));
            for (Explainer e : algorithms()) {
                assertEquals(e.explainAll(in, KS), r.byAlgorithm().get(e.name()));
            }
        }
        assertEquals(recount(seen), s.tallies());

        // the files hold the same rows, in raw ids and in processing order
        for (Explainer e : algorithms()) {
            for (int k : KS) {
                List<ExplanationRow> rows =
                        ExplanationFile.read(out.resolve(ExplanationFile.fileName(e, k)));
                assertEquals(2, rows.size());
                for (int j = 0; j < 2; j++) {
                    UserInfluence in = seen.get(j).influence().influence();
                    ExplanationRow row = rows.get(j);
                    assertEquals(
                            ((io.accent.ncf.NcfModel) model).data().users().raw(in.user()),
                            row.user());
                    assertEquals(k, row.k());
                    for (int q = 0; q < k; q++) {
                        assertEquals(
                                ((io.accent.ncf.NcfModel) model).data().items().raw(in.topItem(q)),
                                row.topK().get(q));
                    }
                    Optional<CounterfactualExplanation> x =
                            seen.get(j).byAlgorithm().get(e.name()).get(k);
                    assertEquals(x.isPresent(), row.hasCounterfactual());
                    if (x.isPresent()) {
                        TreeSet<Integer> raw = new TreeSet<>();
                        x.get()
                                .removed()
                                .forEach(
                                        i ->
                                                raw.add(
                                                        ((io.accent.ncf.NcfModel) model)
                                                                .data()
                                                                .items()
                                                                .raw(i)));
                        assertEquals(raw, new TreeSet<>(row.counterfactual()));
                        assertEquals(
                                ((io.accent.ncf.NcfModel) model)
                                        .data()
                                        .items()
                                        .raw(x.get().replacement()),
                                row.replacement());
                    }
                }
            }
        }
        assertTrue(Files.isRegularFile(out.resolve(ExplanationManifest.FILE_NAME)));

        // second run: users 7 and 2 are in every file and skipped; user 11 is computed; the tallies
        // count every user of the files
        List<ExplanationRun.UserResult> seen2 = new ArrayList<>();
        Recorder progress2 = new Recorder();
        ExplanationRun.Summary s2 =
                ExplanationRun.run(
                        model,
                        io.accent.ncf.NcfFamily.influenceSetup(K5),
                        new ExplanationRun.Config(
                                new int[] {7, 11, 2}, KS, algorithms(), Optional.of(out), 2),
                        progress2,
                        seen2::add);
        assertEquals(1, s2.processed());
        assertEquals(2, s2.skipped());
        assertEquals(List.of("explain:1"), progress2.starts);
        assertEquals(
                List.of(11), seen2.stream().map(r -> r.influence().influence().user()).toList());
        List<ExplanationRun.UserResult> all = new ArrayList<>(seen);
        all.addAll(seen2);
        assertEquals(recount(all), s2.tallies());
        for (Explainer e : algorithms()) {
            for (int k : KS) {
                List<ExplanationRow> rows =
                        ExplanationFile.read(out.resolve(ExplanationFile.fileName(e, k)));
                assertEquals(
                        List.of(7, 2, 11).stream()
                                .map(u -> ((io.accent.ncf.NcfModel) model).data().users().raw(u))
                                .toList(),
                        rows.stream().map(ExplanationRow::user).toList());
            }
        }

        // a new k: user 2 is missing from the k = 3 files only, so it is computed again and written
        // there, but not a second time into the k = 2 files
        int[] ks3 = {2, 3};
        List<ExplanationRun.UserResult> seen3 = new ArrayList<>();
        ExplanationRun.Summary s3 =
                ExplanationRun.run(
                        model,
                        io.accent.ncf.NcfFamily.influenceSetup(K5),
                        new ExplanationRun.Config(
                                new int[] {2}, ks3, algorithms(), Optional.of(out), 4),
                        Progress.NONE,
                        seen3::add);
        assertEquals(1, s3.processed());
        assertEquals(0, s3.skipped());
        for (Explainer e : algorithms()) {
            assertEquals(
                    List.of(7, 2, 11).stream()
                            .map(u -> ((io.accent.ncf.NcfModel) model).data().users().raw(u))
                            .toList(),
                    ExplanationFile.read(out.resolve(ExplanationFile.fileName(e, 2))).stream()
                            .map(ExplanationRow::user)
                            .toList());
            assertEquals(
                    List.of(((io.accent.ncf.NcfModel) model).data().users().raw(2)),
                    ExplanationFile.read(out.resolve(ExplanationFile.fileName(e, 3))).stream()
                            .map(ExplanationRow::user)
                            .toList());
            assertEquals(3, s3.tallies().get(e.name()).get(2).users());
            assertEquals(1, s3.tallies().get(e.name()).get(3).users());
        }
        // the found branches were exercised: some of these users have counterfactual sets
        all.addAll(seen3);
        assertTrue(
                all.stream()
                        .anyMatch(
                                r ->
                                        r.byAlgorithm().values().stream()
                                                .anyMatch(
                                                        byK ->
                                                                byK.values().stream()
                                                                        .anyMatch(
                                                                                Optional
                                                                                        ::isPresent))),
                "no set found at all");
        assertTrue(
                s2.tallies().values().stream()
                        .anyMatch(
                                byK ->
                                        byK.values().stream()
                                                .anyMatch(
                                                        t ->
                                                                t.found() > 0
                                                                        && t.sizeSum()
                                                                                >= t.found())),
                "no set found in the files");
    }

    /**
     * A resume redoes a user wherever one file lacks it, not only when the last file does: the
     * first file deleted, then a middle file cut after its first row (as a killed run or a user
     * leaves them). Only the missing rows are written; every file ends as a run without the
     * interruption wrote it.
     */
    @Test
    void aResumeRedoesAUserMissingFromAnyOneFile(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        int[] users = {7, 2, 11};
        ExplanationRun.Config config =
                new ExplanationRun.Config(users, KS, algorithms(), Optional.of(out), 1);
        ExplanationRun.run(
                model, io.accent.ncf.NcfFamily.influenceSetup(K5), config, Progress.NONE, r -> {});
        List<Path> files = new ArrayList<>();
        for (Explainer e : algorithms()) {
            for (int k : KS) {
                files.add(out.resolve(ExplanationFile.fileName(e, k)));
            }
        }
        assertEquals(4, files.size());
        Map<Path, String> whole = new LinkedHashMap<>();
        for (Path f : files) {
            whole.put(f, Files.readString(f));
        }

        // the first file gone: every user is redone, and written to that file only
        Files.delete(files.get(0));
        ExplanationRun.Summary s =
                ExplanationRun.run(
                        model,
                        io.accent.ncf.NcfFamily.influenceSetup(K5),
                        config,
                        Progress.NONE,
                        r -> {});
        assertEquals(3, s.processed());
        assertEquals(0, s.skipped());
        for (Path f : files) {
            assertEquals(whole.get(f), Files.readString(f), f.toString());
        }

        // a middle file holding only its first user: the two others are redone and appended
        Path middle = files.get(2);
        List<String> lines = Files.readAllLines(middle);
        Files.writeString(middle, lines.get(0) + "\n" + lines.get(1) + "\n");
        List<Integer> seen = new ArrayList<>();
        s =
                ExplanationRun.run(
                        model,
                        io.accent.ncf.NcfFamily.influenceSetup(K5),
                        config,
                        Progress.NONE,
                        r -> seen.add(r.influence().influence().user()));
        assertEquals(List.of(2, 11), seen);
        assertEquals(2, s.processed());
        assertEquals(1, s.skipped());
        for (Path f : files) {
            assertEquals(whole.get(f), Files.readString(f), f.toString());
        }
    }

    @Test
    void withoutAnOutputDirectoryTheTalliesCountThisRun() {
        List<ExplanationRun.UserResult> seen = new ArrayList<>();
        ExplanationRun.Summary s =
                ExplanationRun.run(
                        model,
                        io.accent.ncf.NcfFamily.influenceSetup(K5),
                        new ExplanationRun.Config(
                                new int[] {4, 4}, KS, algorithms(), Optional.empty(), 2),
                        Progress.NONE,
                        seen::add);
        // without files nothing is skipped, not even a repeated user
        assertEquals(2, s.processed());
        assertEquals(0, s.skipped());
        assertEquals(
                List.of(4, 4), seen.stream().map(r -> r.influence().influence().user()).toList());
        assertEquals(recount(seen), s.tallies());
        assertEquals(s.tallies().get("fia").get(4).users(), 2);
    }

    @Test
    void configurationErrors() {
        List<Explainer> algos = algorithms();
        for (int k : new int[] {1, 6}) {
            ConfigException e =
                    assertThrows(
                            ConfigException.class,
                            () ->
                                    ExplanationRun.run(
                                            model,
                                            io.accent.ncf.NcfFamily.influenceSetup(K5),
                                            new ExplanationRun.Config(
                                                    new int[] {1},
                                                    new int[] {2, k},
                                                    algos,
                                                    Optional.empty(),
                                                    1),
                                            Progress.NONE,
                                            r -> {}));
            assertEquals("k = " + k + " is outside 2..5", e.getMessage());
        }
        assertThrows(
                ConfigException.class,
                () -> new ExplanationRun.Config(new int[] {1}, KS, List.of(), Optional.empty(), 1));
        ConfigException b =
                assertThrows(
                        ConfigException.class,
                        () ->
                                new ExplanationRun.Config(
                                        new int[] {1}, KS, algos, Optional.empty(), 0));
        assertEquals("users per batch must be positive, got 0", b.getMessage());
        new ExplanationRun.Config(new int[] {1}, KS, algos, Optional.empty(), 1); // one is enough

        // the config keeps its own copies
        int[] users = {1, 2};
        ExplanationRun.Config c = new ExplanationRun.Config(users, KS, algos, Optional.empty(), 1);
        users[0] = 9;
        assertArrayEquals(new int[] {1, 2}, c.users());

        assertArrayEquals(new int[] {5, 10, 20}, ExplanationRun.parseKs("5, 10,20"));
        ConfigException p =
                assertThrows(ConfigException.class, () -> ExplanationRun.parseKs("5,x"));
        assertEquals("--k must be a comma-separated list of integers, got '5,x'", p.getMessage());
    }

    @Test
    void tallyShares() {
        ExplanationRun.Tally none = new ExplanationRun.Tally(0, 0, 0);
        assertEquals(0.0, none.foundShare());
        assertTrue(Double.isNaN(none.meanSize()));
        ExplanationRun.Tally t = new ExplanationRun.Tally(4, 2, 7);
        assertEquals(0.5, t.foundShare());
        assertEquals(3.5, t.meanSize());
    }
}
