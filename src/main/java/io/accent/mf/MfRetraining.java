package io.accent.mf;

import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.Retraining;
import java.util.Arrays;
import java.util.List;

/**
 * MF's retraining for the evaluation (docs/SPEC.md §7.1 applied to MF): each retrain starts from
 * the model's weights with its Adam state, walks the reduced training rows in file order in its
 * first epoch and in shuffles seeded by the retrain's seed (0..R−1) afterwards, and records the
 * scores after every checkpoint and at the end. Retrains run one after another, each in its own
 * graph ({@link MfTrainer}); MF is small enough that stacking copies is not needed.
 */
final class MfRetraining implements Retraining {

    /** Version of the retrains' data order ({@link io.accent.tf.EpochOrder} per retrain). */
    static final int ORDER_VERSION = 1;

    private final MfModel model;
    private final long steps;
    private final long[] checkpoints;
    private final int threads;

    MfRetraining(MfModel model, long steps, long[] checkpoints, int threads) {
        this.model = model;
        this.steps = steps;
        this.checkpoints = Arrays.stream(checkpoints).sorted().distinct().toArray();
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
        return "mf-";
    }

    @Override
    public int orderVersion() {
        return ORDER_VERSION;
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
        return jobs * steps;
    }

    @Override
    public float[][][] run(List<RetrainJob> jobs, int batch, int[][] items, Progress progress) {
        long[] marks = Arrays.copyOf(checkpoints, checkpoints.length + 1);
        marks[marks.length - 1] = steps;
        Arrays.sort(marks);
        float[][][] out = new float[marks.length][jobs.size()][];
        MfConfig base = MfConfig.fromMap(model.metadata().config()).withSteps(steps);
        Ratings train = model.data().train();
        int numUsers = model.metadata().numUsers();
        int numItems = model.metadata().numItems();
        Progress steps = new Forward(progress);
        for (int j = 0; j < jobs.size(); j++) {
            RetrainJob job = jobs.get(j);
            int[] users = new int[items[j].length];
            Arrays.fill(users, job.user());
            int[] wanted = items[j];
            int jj = j;
            new MfTrainer(base.withSeed(job.seed()), threads)
                    .train(
                            numUsers,
                            numItems,
                            train.without(job.user(), job.removed()),
                            model.parameters(),
                            marks,
                            (step, scorer) ->
                                    out[Arrays.binarySearch(marks, step)][jj] =
                                            scorer.score(users, wanted),
                            steps);
        }
        return out;
    }

    /** Passes the step counts of each retrain through to the caller's progress. */
    private record Forward(Progress to) implements Progress {
        @Override
        public void start(String task, long total) {}

        @Override
        public void step(long units) {
            to.step(units);
        }

        @Override
        public void close() {}
    }

    @Override
    public void close() {}
}
