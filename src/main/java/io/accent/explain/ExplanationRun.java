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
 * resumes.
 */
public final class ExplanationRun {

    /**
     * @param users dense user ids, in output order
     * @param ks the k values (each in 2..topK)
     * @param explainers the algorithms
     * @param outDir where result files go; empty to only report through the callback
     * @param usersPerBatch users whose influences share session calls
     */
    public record Config(
            int[] users,
            int[] ks,
            List<Explainer> explainers,
            Optional<Path> outDir,
            int usersPerBatch) {
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
                                        i -> model.items().raw(i));
                        byK.put(k, w);
                        repairs.addAll(w.repairs());
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
                            Map<Integer, Optional<CounterfactualExplanation>> byK =
                                    e.needsRemovalScores()
                                            ? e.explainAll(in, removal, config.ks())
                                            : e.explainAll(in, config.ks());
                            all.put(e.name(), byK);
                            Map<Integer, ExplanationFileWriter> ws = writers.get(e.name());
                            for (int k : config.ks()) {
                                Optional<CounterfactualExplanation> x = byK.get(k);
                                tallies.get(e.name()).computeIfPresent(k, (kk, t) -> t.add(x));
                                ExplanationFileWriter w = ws.get(k);
                                if (w != null && !w.contains(in.user())) {
                                    w.append(in, k, x);
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
