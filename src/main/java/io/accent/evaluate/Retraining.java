package io.accent.evaluate;

import io.accent.core.Progress;
import java.util.List;

/**
 * One model's retraining for the evaluation (docs/SPEC.md §7): how long a retrain is, how its
 * results are cached, the scores the result files' top lists are checked against, and the retrains
 * themselves. Owns native resources; close it.
 */
public interface Retraining extends AutoCloseable {

    /** What the training length counts ({@code steps}, {@code epochs}). */
    String budgetUnit();

    /** The training length of one retrain, in {@link #budgetUnit()}. */
    long budget();

    /** Earlier lengths at which scores are also recorded (each below {@link #budget()}). */
    default long[] checkpoints() {
        return new long[0];
    }

    /**
     * Whether each retrain is a distributed job of its own (Spark's ALS): then its chunks run in
     * this process, one after the other, and are never handed to workers elsewhere ({@link
     * RetrainBatches.Workers}), which could not start such a job from inside theirs.
     */
    default boolean distributedItself() {
        return false;
    }

    /** Put before the model's directory name in the retrain cache ({@code ""} for NCF). */
    String cachePrefix();

    /** Version of the retrains' data order; results of another version are never reused. */
    int orderVersion();

    /**
     * The model's scores of every item for {@code user}, as the family's explanations saw them (the
     * result files' top lists are checked against them).
     */
    float[] referenceScores(int user);

    /** The seed of the {@code index}-th retrain of a set (0..R−1). */
    long seed(int index);

    /** Progress units of {@code jobs} retrains run {@code batch} at a time. */
    long work(int jobs, int batch);

    /**
     * Runs the retrains (at most {@code batch}, as given to the first call, at a time) and returns
     * the retrained scores of {@code items[j]} for job j, at every length of {@link #checkpoints()}
     * in ascending order and then at {@link #budget()}: {@code [mark][job][item]}.
     */
    float[][][] run(List<RetrainJob> jobs, int batch, int[][] items, Progress progress);

    @Override
    void close();
}
