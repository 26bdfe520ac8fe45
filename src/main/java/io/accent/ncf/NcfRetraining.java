package io.accent.ncf;

import io.accent.core.Progress;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.Retraining;
import java.util.List;

/**
 * NCF's retraining for the evaluation (docs/SPEC.md §7.1): warm start from the model (Adam state
 * included), shuffle seeds 0..R−1, B copies stacked in one {@link NcfBatchedRetrainer}, scores also
 * recorded at the checkpoints.
 */
final class NcfRetraining implements Retraining {

    private final NcfModel model;
    private final long steps;
    private final long[] checkpoints;
    private final int threads;
    private NcfBatchedRetrainer retrainer;
    private io.accent.tf.ParameterSet start;

    NcfRetraining(NcfModel model, long steps, long[] checkpoints, int threads) {
        this.model = model;
        this.steps = steps;
        this.checkpoints = checkpoints.clone();
        this.threads = threads;
    }

    @Override
    public String budgetUnit() {
        return "steps";
    }

    @Override
    public long budget() {
        return steps;
    }

    @Override
    public long[] checkpoints() {
        return checkpoints.clone();
    }

    @Override
    public String cachePrefix() {
        return "";
    }

    @Override
    public int orderVersion() {
        return NcfDeviceEpochOrder.VERSION;
    }

    @Override
    public float[] referenceScores(int user) {
        return model.scoreAll(user);
    }

    @Override
    public long seed(int index) {
        return index;
    }

    @Override
    public long work(int jobs, int batch) {
        return (jobs + batch - 1L) / batch * steps;
    }

    @Override
    public float[][][] run(List<RetrainJob> jobs, int batch, int[][] items, Progress progress) {
        if (retrainer == null) {
            start = model.parameters();
            NcfConfig nc = NcfConfig.fromMap(model.metadata().config());
            retrainer =
                    new NcfBatchedRetrainer(
                            nc,
                            model.data().users().size(),
                            model.data().items().size(),
                            model.data().train(),
                            batch,
                            threads);
        }
        long[] marks = java.util.Arrays.copyOf(checkpoints, checkpoints.length + 1);
        marks[marks.length - 1] = steps;
        java.util.Arrays.sort(marks);
        return retrainer.run(start, jobs, steps, marks, items, progress);
    }

    @Override
    public void close() {
        if (retrainer != null) {
            retrainer.close();
        }
    }
}
