package io.accent.evaluate;

import io.accent.core.Progress;
import io.accent.evaluate.RetrainCache.SetKey;
import io.accent.model.TrainedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Runs retrains that the cache lacks through the family's {@link Retraining}, B at a time, and
 * caches each one as soon as its batch finishes (a killed run loses at most the batch in flight).
 * Shared by {@code evaluate} ({@link EvaluationRun}) and {@code explain --verify} ({@link
 * RetrainingVerifier}), so both fill the same cache the same way.
 */
public final class RetrainBatches {

    /** One missing retrain: the r-th retrain ({@code seed} = r) of a set. */
    public record Pending(SetKey key, int seed) implements java.io.Serializable {}

    /**
     * One finished retrain: the scores of {@code items} (raw ids) at every mark ({@link #marks}),
     * {@code [mark][item]}.
     */
    public record Done(Pending pending, float[][] byMark, int[] items)
            implements java.io.Serializable {}

    /**
     * Where the chunks of retrains run: {@link #LOCAL} one after the other in this process; another
     * implementation (the spark module) hands each chunk to a task that calls {@link #runChunk}.
     * Either way every finished retrain reaches {@code done} on the calling thread as soon as its
     * chunk finishes, and is cached there.
     */
    public interface Workers {

        /** The chunks in order, in this process, with the retraining already open. */
        Workers LOCAL =
                (model, retraining, chunks, batch, rawItems, done, progress) -> {
                    for (List<Pending> chunk : chunks) {
                        runChunk(model, retraining, chunk, batch, rawItems, progress).forEach(done);
                    }
                };

        /**
         * Runs every chunk (each at most {@code batch} retrains, run {@code batch} at a time) and
         * hands each finished retrain to {@code done}.
         *
         * @param rawItems the raw ids of the items whose scores are recorded, per raw user
         * @param progress steps of the retrains run here (a worker elsewhere may report none)
         */
        void run(
                TrainedModel model,
                Retraining retraining,
                List<List<Pending>> chunks,
                int batch,
                IntFunction<int[]> rawItems,
                java.util.function.Consumer<Done> done,
                Progress progress);
    }

    private RetrainBatches() {}

    /** The cache of {@code retraining}'s retrains of the model {@code fingerprint}. */
    static RetrainCache cache(java.nio.file.Path root, Retraining retraining, String fingerprint) {
        return new RetrainCache(
                root,
                retraining.cachePrefix(),
                fingerprint,
                retraining.orderVersion(),
                retraining.budgetUnit(),
                retraining.budget());
    }

    /** The lengths at which scores are recorded: the checkpoints, then the budget, ascending. */
    public static long[] marks(Retraining retraining) {
        long[] checkpoints = retraining.checkpoints();
        long[] marks = Arrays.copyOf(checkpoints, checkpoints.length + 1);
        marks[marks.length - 1] = retraining.budget();
        Arrays.sort(marks);
        return marks;
    }

    /**
     * Runs {@code pending} in this process and caches every result.
     *
     * @param rawItems the raw ids of the items whose scores are recorded, per raw user
     * @param progress started here with the retrains' work and closed at the end
     */
    static void run(
            TrainedModel model,
            Retraining retraining,
            RetrainCache cache,
            List<Pending> pending,
            int batch,
            IntFunction<int[]> rawItems,
            Progress progress) {
        run(model, retraining, cache, pending, batch, rawItems, progress, Workers.LOCAL);
    }

    /**
     * Runs {@code pending} through {@code workers}, in chunks of B = min({@code batch}, pending)
     * retrains, and caches every result as it arrives (a killed run loses at most the chunks in
     * flight).
     */
    static void run(
            TrainedModel model,
            Retraining retraining,
            RetrainCache cache,
            List<Pending> pending,
            int batch,
            IntFunction<int[]> rawItems,
            Progress progress,
            Workers workers) {
        if (pending.isEmpty()) {
            return;
        }
        long[] marks = marks(retraining);
        int b = Math.min(batch, pending.size());
        progress.start("retrain", retraining.work(pending.size(), b));
        List<List<Pending>> chunks = new ArrayList<>();
        for (int from = 0; from < pending.size(); from += b) {
            chunks.add(List.copyOf(pending.subList(from, Math.min(pending.size(), from + b))));
        }
        // a retraining that is a distributed job itself starts its jobs from here
        (retraining.distributedItself() ? Workers.LOCAL : workers)
                .run(
                        model,
                        retraining,
                        chunks,
                        b,
                        rawItems,
                        d ->
                                cache.put(
                                        d.pending().key(),
                                        d.pending().seed(),
                                        marks,
                                        d.byMark(),
                                        d.items()),
                        new Forward(progress));
        progress.close();
    }

    /**
     * Runs one chunk of retrains ({@code batch} at a time, as every chunk of the run) and returns
     * them finished, in order.
     */
    public static List<Done> runChunk(
            TrainedModel model,
            Retraining retraining,
            List<Pending> chunk,
            int batch,
            IntFunction<int[]> rawItems,
            Progress progress) {
        long[] marks = marks(retraining);
        List<RetrainJob> jobs = new ArrayList<>();
        int[][] items = new int[chunk.size()][];
        for (int j = 0; j < chunk.size(); j++) {
            Pending p = chunk.get(j);
            int u = model.users().require(p.key().user(), "user");
            Set<Integer> removed = new TreeSet<>();
            for (int raw : p.key().removed()) {
                removed.add(model.items().require(raw, "item"));
            }
            jobs.add(new RetrainJob(u, removed, retraining.seed(p.seed())));
            items[j] =
                    Arrays.stream(rawItems.apply(p.key().user()))
                            .map(raw -> model.items().require(raw, "item"))
                            .toArray();
        }
        float[][][] retrained = retraining.run(jobs, batch, items, progress);
        List<Done> out = new ArrayList<>();
        for (int j = 0; j < chunk.size(); j++) {
            float[][] byMark = new float[marks.length][];
            for (int c = 0; c < marks.length; c++) {
                byMark[c] = retrained[c][j];
            }
            Pending p = chunk.get(j);
            out.add(new Done(p, byMark, rawItems.apply(p.key().user())));
        }
        return out;
    }

    /** Passes step counts through to the caller's progress without restarting it per batch. */
    private record Forward(Progress p) implements Progress {
        @Override
        public void start(String task, long total) {}

        @Override
        public void step(long units) {
            p.step(units);
        }

        @Override
        public void close() {}
    }
}
