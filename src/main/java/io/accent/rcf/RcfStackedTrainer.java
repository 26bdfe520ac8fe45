package io.accent.rcf;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.data.Triples;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains B RCF models from the same seeded initialization in one graph ({@link
 * RcfStackedTrainingGraph}), one session call per step for all copies. Copy b trains on its own
 * data (a base data set with some of one user's triples removed), with its own shuffle seed and
 * N_train, exactly as {@link RcfTrainer} would train it alone: its data order is that copy's {@link
 * RcfSchedule}, and it follows its own step schedule (its own ceil(N_b/batch) steps per epoch and
 * relational batch size). The loop runs max_b(steps_b · epochs) calls; a copy whose schedule is
 * shorter gets masked padding in the calls after its last step, which leave it unchanged. After
 * training, each copy scores its user's items with its own lists (§7.3).
 */
public final class RcfStackedTrainer {

    private final RcfConfig config;
    private final int threads;
    private final RcfData base;
    private RcfNeighbourLists.Pair[][] baseLists;

    /**
     * @param config the hyperparameters, epochs and init seed (its shuffle seed is not used: each
     *     copy has its own)
     * @param base the data all copies are reductions of (its lists, built once on first use, are
     *     shared by every copy for every user other than the copy's own)
     */
    public RcfStackedTrainer(RcfConfig config, RcfData base, int threads) {
        this.config = config;
        this.base = base;
        this.threads = threads;
    }

    /**
     * One copy: {@code data} is the base data without some triples of {@code user} (its lists
     * rebuilt from its triples), {@code keptRows[k]} the base row of its triple k; {@code seed} its
     * shuffle seed; {@code items} the dense items of {@code user} it scores after training.
     */
    public record Copy(RcfData data, int[] keptRows, int user, long seed, int[] items) {}

    /** What each copy produced: its user's scores of its items, and its state if asked for. */
    public record Outcome(List<float[]> scores, List<ParameterSet> states) {}

    /**
     * Trains every copy and scores its items.
     *
     * @param keepStates whether to return each copy's final weights and accumulators
     */
    public Outcome train(List<Copy> copies, boolean keepStates, Progress progress) {
        int nb = copies.size();
        if (nb == 0) {
            throw new IllegalArgumentException("no copies");
        }
        synchronized (this) {
            if (baseLists == null) {
                baseLists = RcfSchedule.lists(base);
            }
        }
        RcfSchedule[] schedules = new RcfSchedule[nb];
        int[] n = new int[nb];
        long[] total = new long[nb];
        long longest = 0;
        for (int b = 0; b < nb; b++) {
            Copy c = copies.get(b);
            RcfNeighbourLists.Pair[][] lists = listsOf(base, baseLists, c);
            schedules[b] =
                    new RcfSchedule(c.data(), c.seed(), config.batchSize(), lists[0], lists[1]);
            n[b] = c.data().train().size();
            if (n[b] == 0) {
                throw new ConfigException("copy " + b + " has no training triples");
            }
            total[b] = (long) schedules[b].steps() * config.epochs();
            longest = Math.max(longest, total[b]);
        }
        RcfTrainer single = new RcfTrainer(config, threads);
        progress.start("train", longest);
        ExecutorService prep =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "rcf-stacked-batches");
                            t.setDaemon(true);
                            return t;
                        });
        try (RcfStackedTrainingGraph g =
                new RcfStackedTrainingGraph(
                        config, base.sizes(), nb, n, base.relational().size(), threads)) {
            g.load(single.initialWeights(base.sizes()));
            // the next call's inputs are built on a second thread while TensorFlow runs this one;
            // the tasks run in order on that one thread, so every copy's epoch shuffles happen in
            // its own sequence and the run stays deterministic
            Future<Step> next = prep.submit(() -> prepared(g, schedules, total, 0));
            try {
                for (long s = 0; s < longest; s++) {
                    Step in = RcfTrainer.join(next);
                    next = null;
                    if (s + 1 < longest) {
                        long following = s + 1;
                        next = prep.submit(() -> prepared(g, schedules, total, following));
                    }
                    float[] losses = g.step(in.feed());
                    for (int b = 0; b < nb; b++) {
                        if (in.active()[b] && !Float.isFinite(losses[b])) {
                            int steps = schedules[b].steps();
                            throw single.diverged(losses[b], (int) (s / steps), (int) (s % steps));
                        }
                    }
                    progress.step(1);
                }
            } finally {
                closePending(next);
            }
            progress.close();
            RcfNeighbourLists.Batch[] scored = new RcfNeighbourLists.Batch[nb];
            for (int b = 0; b < nb; b++) {
                Copy c = copies.get(b);
                int[] users = new int[c.items().length];
                Arrays.fill(users, c.user());
                scored[b] = c.data().lists().batch(users, c.items());
            }
            List<float[]> scores = List.of(g.score(scored));
            List<ParameterSet> states = new ArrayList<>();
            if (keepStates) {
                for (int b = 0; b < nb; b++) {
                    states.add(g.snapshot(b));
                }
            }
            return new Outcome(scores, states);
        } finally {
            prep.shutdownNow();
        }
    }

    /** A prepared stacked step and which copies have a real step in it. */
    private record Step(RcfStackedTrainingGraph.Prepared feed, boolean[] active) {}

    private static Step prepared(
            RcfStackedTrainingGraph g, RcfSchedule[] schedules, long[] total, long s) {
        RcfTrainer.StepInput[] in = inputs(schedules, total, s);
        boolean[] active = new boolean[in.length];
        for (int b = 0; b < in.length; b++) {
            active[b] = in[b] != null;
        }
        return new Step(g.prepare(in), active);
    }

    /** Closes the tensors of a step prepared but never run (an error ended the loop). */
    private static void closePending(Future<Step> next) {
        if (next == null) {
            return;
        }
        next.cancel(false);
        try {
            next.get().feed().close();
        } catch (Exception ignored) {
            // cancelled before it ran, or it failed: nothing to close
        }
    }

    /** Every copy's step of call {@code s} (null for a copy past its last step). */
    private static RcfTrainer.StepInput[] inputs(RcfSchedule[] schedules, long[] total, long s) {
        RcfTrainer.StepInput[] out = new RcfTrainer.StepInput[schedules.length];
        for (int b = 0; b < schedules.length; b++) {
            if (s >= total[b]) {
                continue;
            }
            int steps = schedules[b].steps();
            int within = (int) (s % steps);
            if (within == 0) {
                schedules[b].nextEpoch();
            }
            out[b] = RcfTrainer.input(schedules[b], within);
        }
        return out;
    }

    /**
     * The lists of a copy's triples: the base lists for every other user's triples (their N_v and
     * so their lists are the base's), rebuilt from the copy's data for its own user's.
     */
    private static RcfNeighbourLists.Pair[][] listsOf(
            RcfData base, RcfNeighbourLists.Pair[][] baseLists, Copy c) {
        Triples t = c.data().train();
        Triples bt = base.train();
        if (c.keptRows().length != t.size()) {
            throw new IllegalArgumentException(
                    c.keptRows().length + " kept rows for " + t.size() + " triples");
        }
        RcfNeighbourLists.Pair[] pos = new RcfNeighbourLists.Pair[t.size()];
        RcfNeighbourLists.Pair[] neg = new RcfNeighbourLists.Pair[t.size()];
        Map<Integer, RcfNeighbourLists.Pair> own = new HashMap<>();
        BitSet none = new BitSet();
        for (int k = 0; k < t.size(); k++) {
            int r = c.keptRows()[k];
            int u = t.user(k);
            if (bt.user(r) != u
                    || bt.positive(r) != t.positive(k)
                    || bt.negative(r) != t.negative(k)) {
                throw new IllegalArgumentException(
                        "triple " + k + " of a copy is not base row " + r);
            }
            if (u != c.user()) {
                pos[k] = baseLists[0][r];
                neg[k] = baseLists[1][r];
            } else {
                pos[k] = c.data().lists().pair(u, t.positive(k), none);
                int ng = t.negative(k);
                neg[k] = own.computeIfAbsent(ng, x -> c.data().lists().pair(u, ng, none));
            }
        }
        return new RcfNeighbourLists.Pair[][] {pos, neg};
    }
}
