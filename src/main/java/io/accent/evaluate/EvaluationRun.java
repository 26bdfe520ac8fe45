package io.accent.evaluate;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.data.IdMap;
import io.accent.evaluate.RetrainCache.SetKey;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationManifest;
import io.accent.explain.ExplanationRow;
import io.accent.model.ModelFingerprint;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code evaluate} job (docs/SPEC.md §7), one pipeline for every family: each distinct (user,
 * counterfactual set) found in the result files is retrained R times without the set by the
 * family's {@link Retraining} (NCF: warm start from the model, stacked copies; RCF: from scratch);
 * every retrain's scores of the user's top items are cached as soon as it finishes ({@link
 * RetrainCache}, keyed by the model's fingerprint), so a killed run resumes without redoing
 * finished retrains and shards merge by copying caches; finally the result files are rewritten
 * (atomically) with {@code actual_scores_*} and their {@link EvaluationProtocol} recorded. Every
 * row is checked before any retraining (errors name the file and line): a user the model knows,
 * this model's top list, a set of the user's training actions, a replacement in the list.
 */
public final class EvaluationRun {

    /**
     * @param files result files ({@code {algo}_{k}.csv}) of this model
     * @param retrains R, retrains per set
     * @param users raw user ids to evaluate, or empty for all rows
     * @param batch B, retrains stacked in one graph
     * @param threads TensorFlow threads
     * @param cacheDir where per-retrain results are kept
     */
    public record Config(
            List<Path> files,
            int retrains,
            Optional<Set<Integer>> users,
            int batch,
            int threads,
            Path cacheDir) {
        public Config {
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new ConfigException("no result files to evaluate");
            }
            if (retrains < 1) {
                throw new ConfigException("--retrains must be positive, got " + retrains);
            }
            if (batch < 1) {
                throw new ConfigException("--batch must be positive, got " + batch);
            }
            if (users.isPresent() && users.get().isEmpty()) {
                throw new ConfigException("the user selection is empty");
            }
        }
    }

    /** Per file: its outcome statistics, gap agreement, and success agreement per checkpoint. */
    public record FileReport(
            Path file,
            OutcomeStats stats,
            GapAgreement gaps,
            DropAgreement drops,
            Map<Long, Double> checkpointAgreement) {}

    /**
     * Outcome of a run.
     *
     * @param budgetUnit what the retrains' length counts ({@code steps}, {@code epochs})
     * @param budget the retrains' length
     */
    public record Summary(
            List<FileReport> files,
            int distinctSets,
            int retrainsDone,
            int retrainsCached,
            double seconds,
            String budgetUnit,
            long budget) {}

    /**
     * How many of the model's top items per user a retrain records the scores of (besides items a
     * file lists beyond them): the longest top list of the reference.
     */
    static final int RECORDED_TOP = 20;

    private EvaluationRun() {}

    /** Runs the evaluation; see the class comment. */
    public static Summary run(
            TrainedModel model, RetrainingSetup setup, Config config, Progress progress) {
        return run(model, setup, config, Shard.ALL, progress);
    }

    /**
     * Runs the retrains of one shard of the distinct sets (all of them for {@link Shard#ALL}). A
     * partial shard only fills the cache and returns no file reports; the result files are written
     * by a run over all shards once their caches are merged (copied into one directory).
     */
    public static Summary run(
            TrainedModel model,
            RetrainingSetup setup,
            Config config,
            Shard shard,
            Progress progress) {
        return run(model, setup, config, shard, progress, RetrainBatches.Workers.LOCAL);
    }

    /**
     * As {@link #run(TrainedModel, RetrainingSetup, Config, Shard, Progress)}, with the retrains
     * run by {@code workers} (in this process, or by tasks elsewhere); the cache, result files and
     * statistics are written here either way.
     */
    public static Summary run(
            TrainedModel model,
            RetrainingSetup setup,
            Config config,
            Shard shard,
            Progress progress,
            RetrainBatches.Workers workers) {
        if (config.retrains() > setup.maxRetrains()) {
            throw new ConfigException(
                    "--retrains must be in 1.."
                            + setup.maxRetrains()
                            + " for "
                            + model.metadata().family().toUpperCase(java.util.Locale.ROOT)
                            + " models, got "
                            + config.retrains());
        }
        try (io.accent.core.FileLocks.Held lock = lock(config.files(), shard);
                Retraining retraining = setup.open(model, config.threads())) {
            return runLocked(model, retraining, config, shard, progress, lock, workers);
        }
    }

    /**
     * Locks the result files against other runs for the duration of an evaluation, with the lock
     * {@code explain --out} takes ({@link io.accent.core.FileLocks}): a run that writes the files
     * (all shards) locks them whole, so another evaluate or an explain appending to them is
     * refused; a shard run, which only reads them, locks the byte that stands for its shard, so
     * runs of other shards may go on beside it and a second run of the same shard, a run that
     * writes the files or an explain is refused.
     *
     * @throws DataException naming the first file in use
     */
    public static io.accent.core.FileLocks.Held lock(List<Path> files, Shard shard) {
        List<Path> distinct =
                files.stream().map(f -> f.toAbsolutePath().normalize()).distinct().toList();
        return io.accent.core.FileLocks.lockAll(
                distinct,
                shard.all()
                        ? 0
                        : io.accent.core.FileLocks.shardPosition(shard.index(), shard.count()),
                shard.all() ? Long.MAX_VALUE : 1,
                f ->
                        "explanations file "
                                + f
                                + (shard.all()
                                        ? " is in use by another evaluate or explain run"
                                        : " is in use by an explain run, an evaluate that writes"
                                                + " it or another evaluate of shard "
                                                + shard)
                                + "; wait for it to finish");
    }

    /**
     * Refuses a selected user that the model does not know (as {@code explain} does, naming the id)
     * or that has no row in the result files (naming it and the files).
     */
    public static void requireSelectedUsers(
            TrainedModel model,
            Optional<Set<Integer>> users,
            Map<Path, List<ExplanationRow>> files) {
        if (users.isEmpty()) {
            return;
        }
        for (int raw : users.get()) {
            model.users().require(raw, "user");
        }
        Set<Integer> listed = new java.util.HashSet<>();
        files.values().forEach(rows -> rows.forEach(r -> listed.add(r.user())));
        for (int raw : users.get()) {
            if (!listed.contains(raw)) {
                throw new ConfigException(
                        "user "
                                + raw
                                + " has no row in the result files "
                                + files.keySet().stream()
                                        .map(f -> f.getFileName().toString())
                                        .toList()
                                + "; explain it first or leave it out of --users");
            }
        }
    }

    private static Summary runLocked(
            TrainedModel model,
            Retraining retraining,
            Config config,
            Shard shard,
            Progress progress,
            io.accent.core.FileLocks.Held lock,
            RetrainBatches.Workers workers) {
        long t0 = System.nanoTime();
        String fingerprint = ModelFingerprint.of(model);
        for (Path f : config.files()) {
            Path dir = f.toAbsolutePath().getParent();
            ExplanationManifest.read(dir)
                    .ifPresent(fp -> ExplanationManifest.requireSame(dir, fp, fingerprint));
        }
        Map<Path, List<ExplanationRow>> files = new LinkedHashMap<>();
        for (Path f : config.files()) {
            files.put(f, ExplanationFile.read(f, lock.readString(f)));
        }
        requireSelectedUsers(model, config.users(), files);
        EvaluationProtocol protocol =
                new EvaluationProtocol(
                        model.metadata().family(),
                        fingerprint,
                        config.retrains(),
                        retraining.budgetUnit(),
                        retraining.budget());
        protocol.requireCompatible(files, config.users().isEmpty());
        // every row is checked before any retraining; the family's reference scores once per user
        Map<Integer, int[]> top20 = new HashMap<>();
        Map<Integer, float[]> scores = new HashMap<>();
        for (Map.Entry<Path, List<ExplanationRow>> e : files.entrySet()) {
            List<ExplanationRow> rows = e.getValue();
            for (int i = 0; i < rows.size(); i++) {
                ExplanationRow r = rows.get(i);
                validate(
                        model,
                        u -> scores.computeIfAbsent(u, retraining::referenceScores),
                        e.getKey(),
                        i + 2,
                        r,
                        selected(config, r) ? top20 : null);
            }
        }
        // distinct sets, in a deterministic order
        TreeMap<String, SetKey> sets = new TreeMap<>();
        for (List<ExplanationRow> rows : files.values()) {
            for (ExplanationRow r : rows) {
                if (r.hasCounterfactual() && selected(config, r)) {
                    SetKey k = new SetKey(r.user(), List.copyOf(new TreeSet<>(r.counterfactual())));
                    sets.put(k.id(), k);
                }
            }
        }
        RetrainCache cache = RetrainBatches.cache(config.cacheDir(), retraining, fingerprint);
        List<RetrainBatches.Pending> pending = new ArrayList<>();
        int cached = 0;
        List<SetKey> mine = shard.select(new ArrayList<>(sets.values()));
        for (SetKey k : mine) {
            for (int s = 0; s < config.retrains(); s++) {
                if (cache.has(k, s)) {
                    cached++;
                } else {
                    pending.add(new RetrainBatches.Pending(k, s));
                }
            }
        }
        long[] checkpoints = retraining.checkpoints();
        RetrainBatches.run(
                model, retraining, cache, pending, config.batch(), top20::get, progress, workers);
        if (!shard.all()) {
            return new Summary(
                    List.of(),
                    mine.size(),
                    pending.size(),
                    cached,
                    (System.nanoTime() - t0) / 1e9,
                    retraining.budgetUnit(),
                    retraining.budget());
        }
        // rewrite the result files with the retrained scores, then record their protocol
        long budget = retraining.budget();
        List<Path> unrecorded = protocol.unrecord(files.keySet());
        List<FileReport> reports = new ArrayList<>();
        for (Map.Entry<Path, List<ExplanationRow>> e : files.entrySet()) {
            List<ExplanationRow> out = new ArrayList<>();
            Map<Long, List<ExplanationRow>> atCheckpoint = new TreeMap<>();
            for (long c : checkpoints) {
                atCheckpoint.put(c, new ArrayList<>());
            }
            for (ExplanationRow r : e.getValue()) {
                if (!selected(config, r)) {
                    out.add(r); // another selection's result: kept as it is
                    for (List<ExplanationRow> l : atCheckpoint.values()) {
                        l.add(withActual(r, List.of()));
                    }
                    continue;
                }
                if (!r.hasCounterfactual()) {
                    out.add(withActual(r, List.of()));
                    for (List<ExplanationRow> l : atCheckpoint.values()) {
                        l.add(withActual(r, List.of()));
                    }
                    continue;
                }
                SetKey k = new SetKey(r.user(), List.copyOf(new TreeSet<>(r.counterfactual())));
                out.add(withActual(r, cache.scores(k, config.retrains(), budget, r.topK())));
                for (long c : checkpoints) {
                    atCheckpoint
                            .get(c)
                            .add(withActual(r, cache.scores(k, config.retrains(), c, r.topK())));
                }
            }
            ExplanationFile.writeEvaluated(e.getKey(), out, config.retrains());
            // statistics over the evaluated users only (all rows unless --users/--sample narrowed
            // them)
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                if (selected(config, out.get(i))) {
                    keep.add(i);
                }
            }
            List<RowOutcome> outcomes = RowOutcome.of(keep.stream().map(out::get).toList());
            for (Map.Entry<Long, List<ExplanationRow>> c : atCheckpoint.entrySet()) {
                c.setValue(keep.stream().map(c.getValue()::get).toList());
            }
            Map<Long, Double> agreement = new TreeMap<>();
            for (Map.Entry<Long, List<ExplanationRow>> c : atCheckpoint.entrySet()) {
                List<RowOutcome> early = RowOutcome.of(c.getValue());
                int same = 0;
                int n = 0;
                for (int i = 0; i < outcomes.size(); i++) {
                    if (outcomes.get(i).verified()) {
                        n++;
                        same += outcomes.get(i).success() == early.get(i).success() ? 1 : 0;
                    }
                }
                agreement.put(c.getKey(), n == 0 ? Double.NaN : (double) same / n);
            }
            // estimated vs actual score drops of the top-k items, for every verified row
            List<double[]> drops = new ArrayList<>();
            for (int i : keep) {
                addDrops(model, model.users(), model.items(), out.get(i), drops);
            }
            reports.add(
                    new FileReport(
                            e.getKey(),
                            OutcomeStats.of(outcomes),
                            GapAgreement.of(outcomes),
                            DropAgreement.of(drops),
                            agreement));
        }
        protocol.record(unrecorded);
        return new Summary(
                reports,
                sets.size(),
                pending.size(),
                cached,
                (System.nanoTime() - t0) / 1e9,
                retraining.budgetUnit(),
                retraining.budget());
    }

    /**
     * A seeded sample of {@code n} users (raw ids) among those in the files: the same seed and
     * files give the same sample.
     */
    public static Set<Integer> sample(List<Path> files, int n, long seed) {
        TreeSet<Integer> all = new TreeSet<>();
        for (Path f : files) {
            for (ExplanationRow r : ExplanationFile.read(f)) {
                all.add(r.user());
            }
        }
        int[] users = all.stream().mapToInt(Integer::intValue).toArray();
        TreeSet<Integer> out = new TreeSet<>();
        for (int u : io.accent.core.SeededSample.of(users, n, seed)) {
            out.add(u);
        }
        return out;
    }

    private static boolean selected(Config c, ExplanationRow r) {
        return c.users().map(s -> s.contains(r.user())).orElse(true);
    }

    /**
     * Checks one row before any retraining: a known user, this model's top list up to numeric noise
     * ({@link TopListCheck}: files made on another device or thread count verify, files of another
     * model do not), distinct items outside the user's training actions, a set of the user's
     * training actions only, and a replacement in the list.
     *
     * @param scoresOf the family's reference scores of every item for a dense user
     * @param line the row's line in the file (the header is line 1)
     * @param top20 the items whose retrained scores are recorded per raw user (the model's top 20
     *     and items the files list beyond them), filled as needed; null: the top list is not
     *     checked (a row that is not evaluated)
     */
    static void validate(
            TrainedModel model,
            java.util.function.IntFunction<float[]> scoresOf,
            Path f,
            int line,
            ExplanationRow r,
            Map<Integer, int[]> top20) {
        String where = f + " line " + line + ": ";
        int u;
        try {
            u = model.users().require(r.user(), "user");
        } catch (DataException e) {
            throw new DataException(where + e.getMessage());
        }
        java.util.BitSet actions = model.trainingItems(u);
        if (top20 != null) {
            if (actions.isEmpty()) {
                throw new DataException(
                        where
                                + "user "
                                + r.user()
                                + " has no training actions: the model cannot recommend for it");
            }
            float[] all = scoresOf.apply(u);
            List<ScoredItem> modelTop = TrainedModel.topK(all, actions, RECORDED_TOP);
            if (r.topK().size() > modelTop.size()) {
                throw new DataException(
                        where
                                + "top list of "
                                + r.topK().size()
                                + " items is longer than "
                                + modelTop.size());
            }
            if (new java.util.HashSet<>(r.topK()).size() != r.topK().size()) {
                throw new DataException(where + "the top list " + r.topK() + " repeats an item");
            }
            float[] topScores = new float[modelTop.size()];
            int[] rawTop = new int[modelTop.size()];
            for (int k = 0; k < topScores.length; k++) {
                topScores[k] = modelTop.get(k).score();
                rawTop[k] = model.items().raw(modelTop.get(k).item());
            }
            float[] fileScores = new float[r.topK().size()];
            for (int k = 0; k < fileScores.length; k++) {
                int i;
                try {
                    i = model.items().require(r.topK().get(k), "item");
                } catch (DataException e) {
                    throw new DataException(
                            where
                                    + e.getMessage()
                                    + "; the file comes from another model or data set");
                }
                if (actions.get(i)) {
                    throw new DataException(
                            where
                                    + "top-list item "
                                    + r.topK().get(k)
                                    + " is among the user's training actions;"
                                    + " the file comes from another model or data set");
                }
                fileScores[k] = all[i];
            }
            TopListCheck.require(where, r.topK(), fileScores, topScores);
            top20.put(r.user(), withListed(top20.getOrDefault(r.user(), rawTop), r.topK()));
        }
        for (int raw : r.counterfactual()) {
            int i;
            try {
                i = model.items().require(raw, "item");
            } catch (DataException e) {
                throw new DataException(where + e.getMessage());
            }
            if (!actions.get(i)) {
                throw new DataException(
                        where
                                + "counterfactual item "
                                + raw
                                + " is not among the training actions of user "
                                + r.user());
            }
        }
        if (r.hasCounterfactual() && !r.topK().contains(r.replacement())) {
            throw new DataException(
                    where + "replacement " + r.replacement() + " is not in the top list");
        }
    }

    /**
     * The items whose retrained scores are recorded: the model's top 20 and, after them, items a
     * file lists beyond them (near-ties at the end of a list made on another device).
     */
    public static int[] withListed(int[] scored, List<Integer> listed) {
        Set<Integer> extra = new TreeSet<>(listed);
        for (int i : scored) {
            extra.remove(i);
        }
        int[] all = java.util.Arrays.copyOf(scored, scored.length + extra.size());
        int k = scored.length;
        for (int i : extra) {
            all[k++] = i;
        }
        return all;
    }

    /**
     * Adds to {@code drops}, for each top-k item of {@code r}, its estimated and its actual score
     * drop, {@code [before - predicted, before - actual average]}, with {@code before} the score of
     * {@code model}; nothing when {@code r} has no predicted or no retrained scores.
     */
    public static void addDrops(
            TrainedModel model, IdMap users, IdMap items, ExplanationRow r, List<double[]> drops) {
        if (r.actualScoresAvg().isEmpty() || r.predictedScores().isEmpty()) {
            return;
        }
        int u = users.require(r.user(), "user");
        int[] us = new int[r.topK().size()];
        java.util.Arrays.fill(us, u);
        float[] before =
                model.score(
                        us, r.topK().stream().mapToInt(x -> items.require(x, "item")).toArray());
        for (int j = 0; j < before.length; j++) {
            drops.add(
                    new double[] {
                        before[j] - r.predictedScores().get(j),
                        before[j] - r.actualScoresAvg().get(j)
                    });
        }
    }

    /** {@code r} with the retrained scores {@code actual} (one list per retrain) and their mean. */
    public static ExplanationRow withActual(ExplanationRow r, List<List<Double>> actual) {
        return new ExplanationRow(
                r.user(),
                r.item(),
                r.topK(),
                r.counterfactual(),
                r.predictedScores(),
                r.replacement(),
                actual,
                ExplanationFile.average(actual),
                r.extra());
    }
}
