package io.accent.evaluate;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.evaluate.RetrainCache.SetKey;
import io.accent.explain.AccentSearch;
import io.accent.explain.SearchVerifier;
import io.accent.influence.UserInfluence;
import io.accent.model.ModelFingerprint;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@link SearchVerifier} by retraining (ACCENT+ verify and resume, docs/SPEC.md §11.3): each set is
 * retrained R times by the family's {@link Retraining} exactly as {@code evaluate} does (§7),
 * through the same {@link RetrainCache}, so retrains are never run twice: not after a crash, not by
 * a later {@code evaluate} of the files. The loop itself is {@link VerifyAndResume}. The result
 * files record their {@link EvaluationProtocol} like evaluated files, so {@code compare} pairs them
 * with files that {@code evaluate} verified the same way. The caller owns (and closes) the
 * retraining.
 */
final class RetrainingVerifier implements SearchVerifier {

    private final TrainedModel model;
    private final Retraining retraining;
    private final RetrainCache cache;
    private final EvaluationProtocol protocol;
    private final int retrains;
    private final int maxRounds;
    private final int batch;
    private final Map<Integer, int[]> recorded = new HashMap<>();
    private int run;
    private int reused;

    RetrainingVerifier(
            TrainedModel model,
            Retraining retraining,
            Path cacheDir,
            int retrains,
            int maxRounds,
            int batch) {
        String fingerprint = ModelFingerprint.of(model);
        this.model = model;
        this.retraining = retraining;
        this.cache = RetrainBatches.cache(cacheDir, retraining, fingerprint);
        this.protocol =
                new EvaluationProtocol(
                        model.metadata().family(),
                        fingerprint,
                        retrains,
                        retraining.budgetUnit(),
                        retraining.budget());
        this.retrains = retrains;
        this.maxRounds = maxRounds;
        this.batch = Math.min(batch, retrains);
    }

    @Override
    public int retrains() {
        return retrains;
    }

    @Override
    public List<String> columns() {
        return VerifyAndResume.COLUMNS;
    }

    /**
     * Records the protocol of a new file; refuses a file whose rows were verified under another one
     * (or an unknown one), which would mix rows of two protocols.
     */
    @Override
    public void claim(Path file, boolean hasRows) {
        Optional<EvaluationProtocol> was = EvaluationProtocol.recorded(file);
        if (!hasRows) {
            if (was.isEmpty() || !was.get().equals(protocol)) {
                protocol.record(List.of(file));
            }
            return;
        }
        if (was.isEmpty() || !was.get().equals(protocol)) {
            throw new ConfigException(
                    file
                            + " holds rows verified with "
                            + was.map(EvaluationProtocol::describe).orElse("an unknown protocol")
                            + ", not with this run's "
                            + protocol.describe()
                            + "; use the same options or another --out");
        }
    }

    @Override
    public Verified verify(UserInfluence in, int k, Optional<AccentSearch> search) {
        VerifyAndResume.Result r = VerifyAndResume.run(search, maxRounds, s -> retrained(in, k, s));
        return new Verified(
                r.search().map(AccentSearch::explanation), r.actualScores(), r.fields());
    }

    /** The R retrained scores of the top-k items without the set of {@code s}. */
    private List<List<Double>> retrained(UserInfluence in, int k, AccentSearch s) {
        int rawUser = model.users().raw(in.user());
        TreeSet<Integer> set = new TreeSet<>();
        for (int z : s.actions()) {
            set.add(model.items().raw(in.action(z)));
        }
        SetKey key = new SetKey(rawUser, List.copyOf(set));
        List<RetrainBatches.Pending> pending = new ArrayList<>();
        for (int seed = 0; seed < retrains; seed++) {
            if (cache.has(key, seed)) {
                reused++;
            } else {
                pending.add(new RetrainBatches.Pending(key, seed));
            }
        }
        RetrainBatches.run(
                model,
                retraining,
                cache,
                pending,
                batch,
                u -> recorded.computeIfAbsent(u, x -> recordedItems(in)),
                Progress.NONE);
        run += pending.size();
        List<Integer> top = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            top.add(model.items().raw(in.topItem(j)));
        }
        return cache.scores(key, retrains, retraining.budget(), top);
    }

    /**
     * The items a retrain records, as {@code evaluate} records them: the model's top items by the
     * family's reference scores, then the explanation's top items beyond them.
     */
    private int[] recordedItems(UserInfluence in) {
        List<ScoredItem> top =
                TrainedModel.topK(
                        retraining.referenceScores(in.user()),
                        model.trainingItems(in.user()),
                        EvaluationRun.RECORDED_TOP);
        int[] raw = top.stream().mapToInt(x -> model.items().raw(x.item())).toArray();
        List<Integer> listed = new ArrayList<>();
        for (int j = 0; j < in.topK(); j++) {
            listed.add(model.items().raw(in.topItem(j)));
        }
        return EvaluationRun.withListed(raw, listed);
    }

    /** What a retrain's length counts ({@code steps}, {@code epochs}). */
    String budgetUnit() {
        return retraining.budgetUnit();
    }

    /** A retrain's length. */
    long budget() {
        return retraining.budget();
    }

    /** Retrains run so far. */
    int retrainsRun() {
        return run;
    }

    /** Retrains taken from the cache so far. */
    int retrainsReused() {
        return reused;
    }
}
