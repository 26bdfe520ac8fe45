package io.accent.rcf;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.evaluate.DropAgreement;
import io.accent.evaluate.EvaluationProtocol;
import io.accent.evaluate.EvaluationRun;
import io.accent.evaluate.GapAgreement;
import io.accent.evaluate.OutcomeStats;
import io.accent.evaluate.RetrainCache;
import io.accent.evaluate.RetrainCache.SetKey;
import io.accent.evaluate.RowOutcome;
import io.accent.evaluate.Shard;
import io.accent.evaluate.TopListCheck;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationRow;
import io.accent.model.ModelFingerprint;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code evaluate} job for RCF (docs/SPEC.md §7.2–7.4): every distinct (user, counterfactual
 * set) of the result files is retrained from scratch R times ({@link RcfRetrainer}, shuffle seeds
 * {@link RcfRetrainer#SEEDS}); each retrain's scores of the user's top-20 (lists from N_u ∖ CF) are
 * cached in the shared {@link RetrainCache} (one entry per set and seed, keyed by the model's
 * fingerprint and checked on read), so a killed run resumes and another model never reads them;
 * then the result files get {@code actual_scores_*}. Every row is checked before any retraining:
 * the user exists, the top list is this model's, and the set holds only the user's training
 * positives.
 */
public final class RcfEvaluationRun {

    /**
     * @param files result files of this model
     * @param retrains R (1..5: the seeds of §7.2)
     * @param users raw user ids to evaluate, or empty for all rows
     * @param cacheDir where per-retrain results are kept
     * @param batch retrains stacked in one graph (1: one at a time, each in its own graph)
     */
    public record Config(
            List<Path> files,
            int retrains,
            Optional<Set<Integer>> users,
            int threads,
            Path cacheDir,
            int batch) {
        public Config {
            if (batch < 1) {
                throw new ConfigException("--batch must be positive, got " + batch);
            }
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new ConfigException("no result files to evaluate");
            }
            if (retrains < 1 || retrains > RcfRetrainer.SEEDS.length) {
                throw new ConfigException(
                        "--retrains must be in 1.."
                                + RcfRetrainer.SEEDS.length
                                + " for RCF, got "
                                + retrains);
            }
        }
    }

    private RcfEvaluationRun() {}

    /**
     * Runs the evaluation; the summary has the shape of {@link EvaluationRun}'s (no checkpoints).
     */
    public static EvaluationRun.Summary run(TrainedModel model, Config config, Progress progress) {
        return run(model, config, Shard.ALL, progress);
    }

    /**
     * Runs the retrains of one shard of the distinct sets (all of them for {@link Shard#ALL}), as
     * {@link EvaluationRun#run(TrainedModel, EvaluationRun.Config, Shard, Progress)} does for NCF:
     * a partial shard only fills the cache and returns no file reports; a run over the merged
     * caches writes the result files.
     */
    public static EvaluationRun.Summary run(
            TrainedModel model, Config config, Shard shard, Progress progress) {
        try (io.accent.core.FileLocks.Held lock = EvaluationRun.lock(config.files(), shard)) {
            return runLocked(model, config, shard, progress, lock);
        }
    }

    private static EvaluationRun.Summary runLocked(
            TrainedModel model,
            Config config,
            Shard shard,
            Progress progress,
            io.accent.core.FileLocks.Held lock) {
        if (!(model instanceof RcfModel rm)) {
            throw new ModelException(
                    "RCF evaluation needs an RCF model, got a "
                            + model.metadata().family()
                            + " model");
        }
        long t0 = System.nanoTime();
        RcfConfig rc = RcfConfig.fromMap(model.metadata().config());
        Map<Integer, int[]> top20 = new HashMap<>();
        Map<Path, List<ExplanationRow>> files = new LinkedHashMap<>();
        String fingerprint = ModelFingerprint.of(model);
        for (Path f : config.files()) {
            Path dir = f.toAbsolutePath().getParent();
            io.accent.explain.ExplanationManifest.read(dir)
                    .ifPresent(
                            fp ->
                                    io.accent.explain.ExplanationManifest.requireSame(
                                            dir, fp, fingerprint));
        }
        for (Path f : config.files()) {
            files.put(f, ExplanationFile.read(f, lock.readString(f)));
        }
        EvaluationRun.requireSelectedUsers(model, config.users(), files);
        EvaluationProtocol protocol =
                new EvaluationProtocol(
                        "rcf", fingerprint, config.retrains(), "epochs", rc.epochs());
        protocol.requireCompatible(files, config.users().isEmpty());
        // the model's scores through Java-built lists and the network (RcfScorer), once per user
        try (RcfScorer scorer =
                new RcfScorer(rc, rm.rcfData(), model.parameters(), config.threads())) {
            Map<Integer, float[]> scores = new HashMap<>();
            Function<Integer, float[]> scoresOf = u -> scores.computeIfAbsent(u, scorer::scoreAll);
            for (Map.Entry<Path, List<ExplanationRow>> e : files.entrySet()) {
                Path f = e.getKey();
                List<ExplanationRow> rows = e.getValue();
                for (int i = 0; i < rows.size(); i++) {
                    validate(
                            model,
                            scoresOf,
                            f,
                            i + 2,
                            rows.get(i),
                            selected(config, rows.get(i)) ? top20 : null);
                }
            }
        }
        TreeMap<String, SetKey> sets = new TreeMap<>();
        for (List<ExplanationRow> rows : files.values()) {
            for (ExplanationRow r : rows) {
                if (r.hasCounterfactual() && selected(config, r)) {
                    SetKey k = new SetKey(r.user(), List.copyOf(new TreeSet<>(r.counterfactual())));
                    sets.put(k.id(), k);
                }
            }
        }
        RetrainCache cache =
                new RetrainCache(
                        config.cacheDir(),
                        "rcf-",
                        fingerprint,
                        RcfRetrainer.ORDER_VERSION,
                        "epochs",
                        rc.epochs());
        long[] marks = {rc.epochs()};
        RcfRetrainer retrainer = new RcfRetrainer(rc, rm.rcfData(), config.threads());
        record Pending(SetKey key, int seed) {}
        List<Pending> pending = new ArrayList<>();
        int cached = 0;
        List<SetKey> mine = shard.select(new ArrayList<>(sets.values()));
        for (SetKey k : mine) {
            for (int s = 0; s < config.retrains(); s++) {
                if (cache.has(k, s)) {
                    cached++;
                } else {
                    pending.add(new Pending(k, s));
                }
            }
        }
        progress.start("retrain", pending.size());
        // B pending retrains at a time, stacked in one graph; each copy's result is cached as soon
        // as its batch finishes (a killed run loses at most the batch in flight)
        for (int from = 0; from < pending.size(); from += config.batch()) {
            List<Pending> group =
                    pending.subList(from, Math.min(pending.size(), from + config.batch()));
            List<RcfRetrainer.Job> jobs = new ArrayList<>();
            int[][] items = new int[group.size()][];
            int[][] rawTops = new int[group.size()][];
            for (int j = 0; j < group.size(); j++) {
                Pending p = group.get(j);
                int rawUser = p.key().user();
                int u = model.users().require(rawUser, "user");
                Set<Integer> removed = new TreeSet<>();
                for (int raw : p.key().removed()) {
                    removed.add(model.items().require(raw, "item"));
                }
                rawTops[j] = top20.get(rawUser);
                items[j] =
                        java.util.Arrays.stream(rawTops[j])
                                .map(raw -> model.items().require(raw, "item"))
                                .toArray();
                jobs.add(new RcfRetrainer.Job(u, removed, RcfRetrainer.SEEDS[p.seed()]));
            }
            List<float[]> scores =
                    config.batch() == 1
                            ? List.of(retrainer.retrain(jobs.get(0), items[0], Progress.NONE))
                            : retrainer.retrainStacked(jobs, items, Progress.NONE);
            for (int j = 0; j < group.size(); j++) {
                Pending p = group.get(j);
                cache.put(p.key(), p.seed(), marks, new float[][] {scores.get(j)}, rawTops[j]);
                progress.step(1);
            }
        }
        progress.close();
        if (!shard.all()) {
            return new EvaluationRun.Summary(
                    List.of(), mine.size(), pending.size(), cached, (System.nanoTime() - t0) / 1e9);
        }
        List<Path> unrecorded = protocol.unrecord(files.keySet());
        List<EvaluationRun.FileReport> reports = new ArrayList<>();
        for (Map.Entry<Path, List<ExplanationRow>> e : files.entrySet()) {
            List<ExplanationRow> out = new ArrayList<>();
            for (ExplanationRow r : e.getValue()) {
                if (!r.hasCounterfactual() || !selected(config, r)) {
                    out.add(EvaluationRun.withActual(r, List.of()));
                    continue;
                }
                SetKey k = new SetKey(r.user(), List.copyOf(new TreeSet<>(r.counterfactual())));
                List<List<Double>> actual =
                        cache.scores(k, config.retrains(), rc.epochs(), r.topK());
                out.add(EvaluationRun.withActual(r, actual));
            }
            ExplanationFile.writeEvaluated(e.getKey(), out, config.retrains());
            List<ExplanationRow> kept = out.stream().filter(r -> selected(config, r)).toList();
            List<RowOutcome> outcomes = RowOutcome.of(kept);
            List<double[]> drops = new ArrayList<>();
            for (ExplanationRow r : kept) {
                EvaluationRun.addDrops(model, model.users(), model.items(), r, drops);
            }
            reports.add(
                    new EvaluationRun.FileReport(
                            e.getKey(),
                            OutcomeStats.of(outcomes),
                            GapAgreement.of(outcomes),
                            DropAgreement.of(drops),
                            Map.of()));
        }
        protocol.record(unrecorded);
        return new EvaluationRun.Summary(
                reports, sets.size(), pending.size(), cached, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Checks one row before any retraining: a known user with training positives, this model's top
     * list up to numeric noise ({@link TopListCheck}: at every position the model's score of the
     * file's item within 1e-4 relative of the model's score at that rank, so files made on another
     * device or thread count verify and files of another model do not), distinct items outside N_u,
     * and a set of the user's training positives only.
     *
     * @param scoresOf the model's scores of every item for a dense user
     * @param line the row's line in the file (the header is line 1)
     * @param top20 the items whose retrained scores are recorded per raw user (the model's top 20
     *     and items the files list beyond them), filled as needed; null: the top list is not
     *     checked (a row that is not evaluated)
     */
    static void validate(
            TrainedModel model,
            Function<Integer, float[]> scoresOf,
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
        BitSet positives = model.trainingItems(u);
        if (top20 != null) {
            if (positives.isEmpty()) {
                throw new DataException(
                        where
                                + "user "
                                + r.user()
                                + " has no training positives: RCF cannot recommend for it");
            }
            float[] all = scoresOf.apply(u);
            List<ScoredItem> modelTop = TrainedModel.topK(all, positives, 20);
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
                if (positives.get(i)) {
                    throw new DataException(
                            where
                                    + "top-list item "
                                    + r.topK().get(k)
                                    + " is among the user's training positives;"
                                    + " the file comes from another model or data set");
                }
                fileScores[k] = all[i];
            }
            TopListCheck.require(where, r.topK(), fileScores, topScores);
            top20.put(
                    r.user(),
                    EvaluationRun.withListed(top20.getOrDefault(r.user(), rawTop), r.topK()));
        }
        for (int raw : r.counterfactual()) {
            int i;
            try {
                i = model.items().require(raw, "item");
            } catch (DataException e) {
                throw new DataException(where + e.getMessage());
            }
            if (!positives.get(i)) {
                throw new DataException(
                        where
                                + "counterfactual item "
                                + raw
                                + " is not among the training positives"
                                + " of user "
                                + r.user());
            }
        }
        if (r.hasCounterfactual() && !r.topK().contains(r.replacement())) {
            throw new DataException(
                    where + "replacement " + r.replacement() + " is not in the top list");
        }
    }

    private static boolean selected(Config c, ExplanationRow r) {
        return c.users().map(s -> s.contains(r.user())).orElse(true);
    }
}
