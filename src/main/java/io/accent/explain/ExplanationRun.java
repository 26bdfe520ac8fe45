package io.accent.explain;

import io.accent.core.AtomicFiles;
import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.InfluenceSetup;
import io.accent.influence.RemovalScores;
import io.accent.influence.UserInfluence;
import io.accent.model.ModelFingerprint;
import io.accent.model.TrainedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code explain} job: influences for many users in batches, then every explainer for every k
 * from that one computation. With an output directory, rows go to {@code {algo}_{k}.csv}
 * incrementally, and users already present in every file are skipped, so an interrupted run
 * resumes. With a {@link SearchVerifier} (ACCENT only, SPEC §11.3) every stopped ACCENT search is
 * verified, and possibly continued, before its row is written; the rows then carry the retrained
 * scores and the verifier's columns.
 */
public final class ExplanationRun {

    /**
     * @param users dense user ids, in output order
     * @param ks the k values (each in 2..topK)
     * @param explainers the algorithms
     * @param outDir where result files go; empty to only report through the callback
     * @param usersPerBatch users whose influences share session calls
     * @param verifier verifies ACCENT's sets and continues its search (§11.3; the only explainer
     *     then is {@code accent}, and result files are required); empty for plain explanations
     */
    public record Config(
            int[] users,
            int[] ks,
            List<Explainer> explainers,
            Optional<Path> outDir,
            int usersPerBatch,
            Optional<SearchVerifier> verifier) {

        /** Plain explanations, without verification. */
        public Config(
                int[] users,
                int[] ks,
                List<Explainer> explainers,
                Optional<Path> outDir,
                int usersPerBatch) {
            this(users, ks, explainers, outDir, usersPerBatch, Optional.empty());
        }

        public Config {
            users = users.clone();
            ks = ks.clone();
            explainers = List.copyOf(explainers);
            if (explainers.isEmpty()) {
                throw new ConfigException("no explanation algorithm given");
            }
            if (usersPerBatch < 1) {
                throw new ConfigException("users per batch must be positive, got " + usersPerBatch);
            }
            if (verifier.isPresent()) {
                requireVerifiable(explainers);
                if (outDir.isEmpty()) {
                    throw new ConfigException("verification needs an output directory");
                }
            }
        }

        /** The columns of the result files after the six standard ones. */
        List<String> extraColumns() {
            if (verifier.isEmpty()) {
                return List.of();
            }
            List<String> c =
                    new ArrayList<>(ExplanationFile.evaluatedColumns(verifier.get().retrains()));
            c.addAll(verifier.get().columns());
            return c;
        }
    }

    /**
     * Everything found for one user.
     *
     * @param fields algorithm → k → the row's fields after the standard ones (verification only;
     *     empty otherwise)
     */
    public record UserResult(
            InfluenceResult influence,
            Map<String, Map<Integer, Optional<CounterfactualExplanation>>> byAlgorithm,
            Map<String, Map<Integer, List<String>>> fields) {

        /** Plain explanations, without further fields. */
        public UserResult(
                InfluenceResult influence,
                Map<String, Map<Integer, Optional<CounterfactualExplanation>>> byAlgorithm) {
            this(influence, byAlgorithm, Map.of());
        }
    }

    /**
     * Where the users' explanations are computed: {@link #LOCAL} in this process with one influence
     * engine; another implementation (the spark module) hands subsets of the users to tasks that
     * each call {@link ExplanationRun#compute}.
     */
    public interface Workers {

        /** One influence engine in this process, {@link Config#usersPerBatch()} users at a time. */
        Workers LOCAL =
                (model, influence, config, users, sink) -> {
                    try (InfluenceEngine engine = influence.open(model)) {
                        compute(engine, config, users, sink);
                    }
                };

        /**
         * Explains {@code users} (dense ids, none without training ratings) with every explainer
         * and k of {@code config} and hands each result to {@code sink}, in the order of {@code
         * users}, on the calling thread.
         */
        void explain(
                TrainedModel model,
                InfluenceSetup influence,
                Config config,
                int[] users,
                Consumer<UserResult> sink);
    }

    /**
     * Explains {@code users} with {@code engine} (influences {@link Config#usersPerBatch()} users
     * at a time, then every explainer for every k), handing each result to {@code sink} in order;
     * {@link Config#outDir()} and {@link Config#verifier()} are not used.
     */
    public static void compute(
            InfluenceEngine engine, Config config, int[] users, Consumer<UserResult> sink) {
        boolean needsRemoval = config.explainers().stream().anyMatch(Explainer::needsRemovalScores);
        for (int start = 0; start < users.length; start += config.usersPerBatch()) {
            int[] batch =
                    Arrays.copyOfRange(
                            users, start, Math.min(users.length, start + config.usersPerBatch()));
            for (InfluenceResult r : engine.computeUsers(batch, Progress.NONE)) {
                UserInfluence in = r.influence();
                RemovalScores removal = needsRemoval ? engine.removal(in).orElseThrow() : null;
                Map<String, Map<Integer, Optional<CounterfactualExplanation>>> all =
                        new LinkedHashMap<>();
                for (Explainer e : config.explainers()) {
                    all.put(
                            e.name(),
                            new LinkedHashMap<>(
                                    e.needsRemovalScores()
                                            ? e.explainAll(in, removal, config.ks())
                                            : e.explainAll(in, config.ks())));
                }
                sink.accept(new UserResult(r, all));
            }
        }
    }

    /** The verified run (§11.3): ACCENT's searches, verified before their rows are written. */
    private static void verifyAll(
            InfluenceEngine engine,
            Config config,
            int[] users,
            Map<String, Map<Integer, ExplanationFileWriter>> writers,
            Consumer<UserResult> sink) {
        for (int start = 0; start < users.length; start += config.usersPerBatch()) {
            int[] batch =
                    Arrays.copyOfRange(
                            users, start, Math.min(users.length, start + config.usersPerBatch()));
            for (InfluenceResult r : engine.computeUsers(batch, Progress.NONE)) {
                Map<String, Map<Integer, Optional<CounterfactualExplanation>>> all =
                        new LinkedHashMap<>();
                Map<String, Map<Integer, List<String>>> fields = new LinkedHashMap<>();
                for (Explainer e : config.explainers()) {
                    Map<Integer, Optional<CounterfactualExplanation>> byK = new LinkedHashMap<>();
                    Map<Integer, List<String>> f = new LinkedHashMap<>();
                    verify(
                            config.verifier().get(),
                            r.influence(),
                            config.ks(),
                            writers.get(e.name()),
                            byK,
                            f);
                    all.put(e.name(), byK);
                    fields.put(e.name(), f);
                }
                sink.accept(new UserResult(r, all, fields));
            }
        }
    }

    /** Per algorithm and k: users processed, sets found, and the sum of found set sizes. */
    public record Tally(int users, int found, long sizeSum) {
        public double foundShare() {
            return users == 0 ? 0 : (double) found / users;
        }

        public double meanSize() {
            return found == 0 ? Double.NaN : (double) sizeSum / found;
        }

        Tally add(Optional<CounterfactualExplanation> e) {
            return new Tally(
                    users + 1,
                    found + (e.isPresent() ? 1 : 0),
                    sizeSum + e.map(x -> x.removed().size()).orElse(0));
        }
    }

    /**
     * Outcome of a run.
     *
     * @param tallies algorithm → k → tally over the users processed in this run, or, with result
     *     files, over every user in the files (so a resumed run reports the whole result)
     * @param processed users computed in this run
     * @param skipped users already present in every output file
     * @param fallbacks inverse-HVP solves that needed the direct fallback
     * @param seconds wall time after model load
     * @param withoutRatings dense ids of requested users with no training rating (nothing to
     *     explain; reported and left out)
     * @param repairs what opening the result files repaired after an interrupted run, one sentence
     *     each (for the caller to report as warnings)
     */
    public record Summary(
            Map<String, Map<Integer, Tally>> tallies,
            int processed,
            int skipped,
            long fallbacks,
            double seconds,
            List<Integer> withoutRatings,
            List<String> repairs) {
        public Summary {
            withoutRatings = List.copyOf(withoutRatings);
            repairs = List.copyOf(repairs);
        }
    }

    private ExplanationRun() {}

    /**
     * Refuses explainers that verification cannot continue: it applies to ACCENT alone (§11.3).
     *
     * @throws ConfigException naming the first other algorithm
     */
    public static void requireVerifiable(List<Explainer> explainers) {
        for (Explainer e : explainers) {
            if (!e.name().equals(AccentExplainer.NAME)) {
                throw new ConfigException(
                        "verification continues ACCENT's search and applies to the "
                                + AccentExplainer.NAME
                                + " algorithm only, not to "
                                + e.name());
            }
        }
    }

    /**
     * Runs the job with the influence engine that {@code influence} opens (the model's family's);
     * {@code perUser} sees every computed user (for printing).
     */
    public static Summary run(
            TrainedModel model,
            InfluenceSetup influence,
            Config config,
            Progress progress,
            Consumer<UserResult> perUser) {
        return run(model, influence, config, progress, perUser, Workers.LOCAL);
    }

    /**
     * Runs the job with {@code workers} computing the users' explanations (this process's {@link
     * Workers#LOCAL}, or tasks elsewhere); the result files are written here, in user order, so
     * they do not depend on where the users were computed. Verification ({@link Config#verifier()})
     * always runs here.
     */
    public static Summary run(
            TrainedModel model,
            InfluenceSetup influence,
            Config config,
            Progress progress,
            Consumer<UserResult> perUser,
            Workers workers) {
        InfluenceSetup.Capabilities can = influence.capabilities();
        for (int k : config.ks()) {
            if (k < 2 || k > can.topK()) {
                throw new ConfigException("k = " + k + " is outside 2.." + can.topK());
            }
        }
        for (Explainer e : config.explainers()) {
            if (e.needsRemovalScores() && !can.removalScores()) {
                throw new ConfigException(
                        "the "
                                + e.name()
                                + " explainer needs attention weights and forward passes without"
                                + " actions, which "
                                + model.metadata().family().toUpperCase(java.util.Locale.ROOT)
                                + " models do not have");
            }
        }
        long t0 = System.nanoTime();
        Map<String, Map<Integer, ExplanationFileWriter>> writers = new LinkedHashMap<>();
        Map<String, Map<Integer, Tally>> tallies = new LinkedHashMap<>();
        List<String> repairs = new ArrayList<>();
        if (config.outDir().isPresent()) {
            Path dir = config.outDir().get();
            try {
                Files.createDirectories(dir);
            } catch (IOException ex) {
                throw new UncheckedIOException(
                        "cannot create " + dir + ": " + AtomicFiles.reason(ex), ex);
            }
            ExplanationManifest.claim(dir, ModelFingerprint.of(model));
        }
        try {
            for (Explainer e : config.explainers()) {
                Map<Integer, ExplanationFileWriter> byK = new LinkedHashMap<>();
                Map<Integer, Tally> t = new LinkedHashMap<>();
                for (int k : config.ks()) {
                    t.put(k, new Tally(0, 0, 0));
                    if (config.outDir().isPresent()) {
                        Path dir = config.outDir().get();
                        ExplanationFileWriter w =
                                ExplanationFile.openForAppend(
                                        dir.resolve(ExplanationFile.fileName(e, k)),
                                        u -> model.users().raw(u),
                                        i -> model.items().raw(i),
                                        config.extraColumns());
                        byK.put(k, w);
                        repairs.addAll(w.repairs());
                        if (config.verifier().isPresent()) {
                            config.verifier().get().claim(w.file(), !w.writtenUsers().isEmpty());
                        }
                    }
                }
                writers.put(e.name(), byK);
                tallies.put(e.name(), t);
            }
            List<Integer> todo = new ArrayList<>();
            List<Integer> withoutRatings = new ArrayList<>();
            int skipped = 0;
            for (int u : config.users()) {
                if (model.trainingItems(u).isEmpty()) {
                    withoutRatings.add(u);
                    continue;
                }
                boolean done = !writers.isEmpty() && config.outDir().isPresent();
                for (Map<Integer, ExplanationFileWriter> byK : writers.values()) {
                    for (ExplanationFileWriter w : byK.values()) {
                        done &= w.contains(u);
                    }
                }
                if (done) {
                    skipped++;
                } else {
                    todo.add(u);
                }
            }
            long[] fallbacks = {0};
            progress.start("explain", todo.size());
            Consumer<UserResult> record =
                    r -> {
                        fallbacks[0] += r.influence().fallbacks();
                        UserInfluence in = r.influence().influence();
                        for (Explainer e : config.explainers()) {
                            Map<Integer, ExplanationFileWriter> ws = writers.get(e.name());
                            Map<Integer, Optional<CounterfactualExplanation>> byK =
                                    r.byAlgorithm().get(e.name());
                            for (int k : config.ks()) {
                                Optional<CounterfactualExplanation> x = byK.get(k);
                                tallies.get(e.name()).computeIfPresent(k, (kk, t) -> t.add(x));
                                ExplanationFileWriter w = ws.get(k);
                                if (w != null && !w.contains(in.user())) {
                                    w.append(
                                            in,
                                            k,
                                            x,
                                            r.fields()
                                                    .getOrDefault(e.name(), Map.of())
                                                    .getOrDefault(k, List.of()));
                                }
                            }
                        }
                        perUser.accept(r);
                        progress.step(1);
                    };
            int[] todoUsers = todo.stream().mapToInt(Integer::intValue).toArray();
            if (config.verifier().isPresent()) {
                try (InfluenceEngine engine = influence.open(model)) {
                    verifyAll(engine, config, todoUsers, writers, record);
                }
            } else {
                workers.explain(model, influence, config, todoUsers, record);
            }
            progress.close();
            for (Map<Integer, ExplanationFileWriter> byK : writers.values()) {
                byK.values().forEach(ExplanationFileWriter::close);
            }
            if (config.outDir().isPresent()) {
                return new Summary(
                        fileTallies(config),
                        todo.size(),
                        skipped,
                        fallbacks[0],
                        (System.nanoTime() - t0) / 1e9,
                        withoutRatings,
                        repairs);
            }
            return new Summary(
                    tallies,
                    todo.size(),
                    skipped,
                    fallbacks[0],
                    (System.nanoTime() - t0) / 1e9,
                    withoutRatings,
                    repairs);
        } finally {
            for (Map<Integer, ExplanationFileWriter> byK : writers.values()) {
                byK.values().forEach(ExplanationFileWriter::close);
            }
        }
    }

    /**
     * ACCENT's searches for every k, each verified (and continued) by {@code verifier} unless the
     * user's row for that k is already written: the final explanations go to {@code byK}, the rows'
     * further fields to {@code fields}.
     */
    private static void verify(
            SearchVerifier verifier,
            UserInfluence in,
            int[] ks,
            Map<Integer, ExplanationFileWriter> writers,
            Map<Integer, Optional<CounterfactualExplanation>> byK,
            Map<Integer, List<String>> fields) {
        Map<Integer, Optional<AccentSearch>> searches = AccentSearch.searchAll(in, ks);
        for (int k : ks) {
            Optional<AccentSearch> s = searches.get(k);
            if (writers.get(k).contains(in.user())) {
                byK.put(k, s.map(AccentSearch::explanation));
                continue;
            }
            SearchVerifier.Verified v = verifier.verify(in, k, s);
            byK.put(k, v.explanation());
            List<String> f =
                    new ArrayList<>(
                            ExplanationFile.evaluatedFields(
                                    v.actualScores(),
                                    ExplanationFile.average(v.actualScores()),
                                    verifier.retrains()));
            f.addAll(v.fields());
            fields.put(k, f);
        }
    }

    /** Tallies over every row of the result files of {@code config}. */
    private static Map<String, Map<Integer, Tally>> fileTallies(Config config) {
        Map<String, Map<Integer, Tally>> out = new LinkedHashMap<>();
        for (Explainer e : config.explainers()) {
            Map<Integer, Tally> byK = new LinkedHashMap<>();
            for (int k : config.ks()) {
                Tally t = new Tally(0, 0, 0);
                for (ExplanationRow r :
                        ExplanationFile.read(
                                config.outDir().get().resolve(ExplanationFile.fileName(e, k)))) {
                    t =
                            new Tally(
                                    t.users() + 1,
                                    t.found() + (r.hasCounterfactual() ? 1 : 0),
                                    t.sizeSum()
                                            + (r.hasCounterfactual()
                                                    ? r.counterfactual().size()
                                                    : 0));
                }
                byK.put(k, t);
            }
            out.put(e.name(), byK);
        }
        return out;
    }

    /** Parses "5,10,20". */
    public static int[] parseKs(String s) {
        try {
            return Arrays.stream(s.split(","))
                    .map(String::trim)
                    .mapToInt(Integer::parseInt)
                    .toArray();
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "--k must be a comma-separated list of integers, got '" + s + "'");
        }
    }
}
