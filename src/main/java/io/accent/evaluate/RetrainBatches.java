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
final class RetrainBatches {

    /** One missing retrain: the r-th retrain ({@code seed} = r) of a set. */
    record Pending(SetKey key, int seed) {}

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
    static long[] marks(Retraining retraining) {
        long[] checkpoints = retraining.checkpoints();
        long[] marks = Arrays.copyOf(checkpoints, checkpoints.length + 1);
        marks[marks.length - 1] = retraining.budget();
        Arrays.sort(marks);
        return marks;
    }

    /**
     * Runs {@code pending} and caches every result.
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
        if (pending.isEmpty()) {
            return;
        }
        long[] marks = marks(retraining);
        int b = Math.min(batch, pending.size());
        progress.start("retrain", retraining.work(pending.size(), b));
        for (int from = 0; from < pending.size(); from += b) {
            List<Pending> chunk = pending.subList(from, Math.min(pending.size(), from + b));
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
            float[][][] retrained = retraining.run(jobs, b, items, new Forward(progress));
            for (int j = 0; j < chunk.size(); j++) {
                float[][] byMark = new float[marks.length][];
                for (int c = 0; c < marks.length; c++) {
                    byMark[c] = retrained[c][j];
                }
                Pending p = chunk.get(j);
                cache.put(p.key(), p.seed(), marks, byMark, rawItems.apply(p.key().user()));
            }
        }
        progress.close();
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
