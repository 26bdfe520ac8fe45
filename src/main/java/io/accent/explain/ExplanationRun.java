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

    /** Everything found for one user. */
    public record UserResult(
            InfluenceResult influence,
            Map<String, Map<Integer, Optional<CounterfactualExplanation>>> byAlgorithm) {}

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
        boolean needsRemoval = config.explainers().stream().anyMatch(Explainer::needsRemovalScores);
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
            long fallbacks = 0;
            progress.start("explain", todo.size());
            try (InfluenceEngine engine = influence.open(model)) {
                for (int start = 0; start < todo.size(); start += config.usersPerBatch()) {
                    int[] batch =
                            todo
                                    .subList(
                                            start,
                                            Math.min(todo.size(), start + config.usersPerBatch()))
                                    .stream()
                                    .mapToInt(Integer::intValue)
                                    .toArray();
                    for (InfluenceResult r : engine.computeUsers(batch, Progress.NONE)) {
                        fallbacks += r.fallbacks();
                        UserInfluence in = r.influence();
                        RemovalScores removal =
                                needsRemoval ? engine.removal(in).orElseThrow() : null;
                        Map<String, Map<Integer, Optional<CounterfactualExplanation>>> all =
                                new LinkedHashMap<>();
                        for (Explainer e : config.explainers()) {
                            Map<Integer, ExplanationFileWriter> ws = writers.get(e.name());
                            Map<Integer, Optional<CounterfactualExplanation>> byK =
                                    new LinkedHashMap<>();
                            Map<Integer, List<String>> fields = new LinkedHashMap<>();
                            if (config.verifier().isPresent()) {
                                verify(config.verifier().get(), in, config.ks(), ws, byK, fields);
                            } else {
                                byK.putAll(
                                        e.needsRemovalScores()
                                                ? e.explainAll(in, removal, config.ks())
                                                : e.explainAll(in, config.ks()));
                            }
                            all.put(e.name(), byK);
                            for (int k : config.ks()) {
                                Optional<CounterfactualExplanation> x = byK.get(k);
                                tallies.get(e.name()).computeIfPresent(k, (kk, t) -> t.add(x));
                                ExplanationFileWriter w = ws.get(k);
                                if (w != null && !w.contains(in.user())) {
                                    w.append(in, k, x, fields.getOrDefault(k, List.of()));
                                }
                            }
                        }
                        perUser.accept(new UserResult(r, all));
                        progress.step(1);
                    }
                }
            }
            progress.close();
            for (Map<Integer, ExplanationFileWriter> byK : writers.values()) {
                byK.values().forEach(ExplanationFileWriter::close);
            }
            if (config.outDir().isPresent()) {
                tallies = fileTallies(config);
            }
            return new Summary(
                    tallies,
                    todo.size(),
                    skipped,
                    fallbacks,
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
