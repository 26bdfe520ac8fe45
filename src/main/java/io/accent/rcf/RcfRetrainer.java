package io.accent.rcf;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.data.Triples;
import io.accent.evaluate.RetrainJob;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.List;

/**
 * RCF retraining from scratch (docs/SPEC.md §7.2): a fresh model with the fixed initialization of
 * the model's init seed (2016), trained for the model's epochs on the triples without every (u, p,
 * ·) with p in the removed set (§1.7, so N_u loses those items and N_train is the reduced count),
 * with its own shuffle seed, by the model's own trainer ({@link RcfTrainer}); then u's scores of
 * the given items with the lists built from the reduced N_u (§7.3).
 *
 * <p>{@link #retrain} runs one retrain in its own graph; {@link #retrainStacked} runs several as
 * copies stacked in one graph (as the NCF batched retrainer does), each copy with the data order of
 * the same retrain alone.
 */
public final class RcfRetrainer {

    /**
     * The shuffle seeds of the five retrains: numpy's seed(1802) draws with the first replaced by
     * 2512.
     */
    public static final long[] SEEDS = {2512, 3512, 4091, 4214, 9846};

    /**
     * Version of the data-order protocol (the trainer's Java epoch shuffles keyed by the seed),
     * part of the retrain cache key so that retrains of another order are never mixed in.
     */
    static final int ORDER_VERSION = 1;

    private final RcfConfig config;
    private final RcfData data;
    private final int threads;
    private final RcfStackedTrainer stackedTrainer;

    /**
     * @param config the trained model's configuration (epochs, init seed, hyperparameters)
     * @param data the model's data (dense ids)
     */
    public RcfRetrainer(RcfConfig config, RcfData data, int threads) {
        this.config = config;
        this.data = data;
        this.threads = threads;
        this.stackedTrainer = new RcfStackedTrainer(config, data, threads);
    }

    /** The data without the triples (job.user, p, ·), p ∈ job.removed; lists rebuilt from it. */
    public RcfData reduced(RetrainJob job) {
        return reducedRows(job).data();
    }

    /** Reduced data and, for each of its triples, its row in the model's data. */
    private record Reduced(RcfData data, int[] keptRows) {}

    private Reduced reducedRows(RetrainJob job) {
        Triples t = data.train();
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            if (!(t.user(r) == job.user() && job.removed().contains(t.positive(r)))) {
                keep.add(r);
            }
        }
        if (t.size() - keep.size() != job.removed().size()) {
            throw new ConfigException(
                    "user "
                            + job.user()
                            + ": "
                            + job.removed().size()
                            + " items to remove but "
                            + (t.size() - keep.size())
                            + " of them are training positives");
        }
        int[] u = new int[keep.size()];
        int[] p = new int[keep.size()];
        int[] n = new int[keep.size()];
        for (int k = 0; k < keep.size(); k++) {
            u[k] = t.user(keep.get(k));
            p[k] = t.positive(keep.get(k));
            n[k] = t.negative(keep.get(k));
        }
        Triples reduced = Triples.of(u, p, n);
        RcfNeighbourLists lists = data.lists();
        RcfNeighbourLists rebuilt =
                lists.withPositives(RcfData.positives(lists.userCount(), reduced));
        return new Reduced(
                new RcfData(data.sizes(), reduced, data.test(), data.relational(), rebuilt),
                keep.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Retrains and returns the user's scores of {@code items} (dense ids) under the retrained
     * model.
     */
    public float[] retrain(RetrainJob job, int[] items, Progress progress) {
        RcfData d = reduced(job);
        RcfTrainer trainer = new RcfTrainer(config.withSeed(job.seed()), threads);
        ParameterSet state = trainer.train(d, progress).state();
        int[] users = new int[items.length];
        java.util.Arrays.fill(users, job.user());
        return trainer.score(d, state, users, items);
    }

    /**
     * Retrains the jobs as copies stacked in one graph ({@link RcfStackedTrainer}: one session call
     * per step for all of them, each copy with its own reduced data, N_train, lists and data order,
     * the same as {@link #retrain} of that job alone up to float32 round-off) and returns, per job,
     * the user's scores of {@code items[j]}.
     */
    public List<float[]> retrainStacked(List<RetrainJob> jobs, int[][] items, Progress progress) {
        return stacked(jobs, items, false, progress).scores();
    }

    /** {@link #retrainStacked}, with each copy's final state if {@code keepStates}. */
    RcfStackedTrainer.Outcome stacked(
            List<RetrainJob> jobs, int[][] items, boolean keepStates, Progress progress) {
        if (jobs.size() != items.length) {
            throw new IllegalArgumentException(
                    jobs.size() + " jobs, " + items.length + " item lists");
        }
        List<RcfStackedTrainer.Copy> copies = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            RetrainJob job = jobs.get(j);
            Reduced r = reducedRows(job);
            copies.add(
                    new RcfStackedTrainer.Copy(
                            r.data(), r.keptRows(), job.user(), job.seed(), items[j]));
        }
        return stackedTrainer.train(copies, keepStates, progress);
    }
}
