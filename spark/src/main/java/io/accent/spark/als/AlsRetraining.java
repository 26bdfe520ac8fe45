package io.accent.spark.als;

import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.Retraining;
import io.accent.mf.MfModel;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALSModel;

/**
 * The ALS family's retraining for the evaluation (docs/SPARK.md, "Models trained by Spark MLlib"):
 * each retrain is Spark's ALS itself, run from scratch on the model's training ratings without the
 * removed ones, with the rank, regParam, maxIter and blocks that the model records and the seed of
 * the model plus the retrain index (so retrain 0 of an empty set repeats the imported training).
 * Ratings are given to Spark by the prepared data's raw ids, as they were for the imported model.
 * Retrains run in the running Spark session, or else in a local Spark of {@code --spark-threads}
 * threads, from the driver ({@link #distributedItself()}). A user or item left without ratings has
 * no factor in Spark; its factor is taken as zero (the least-norm solution of its empty normal
 * equations).
 */
final class AlsRetraining implements Retraining {

    /** Version of the retrains' data order. */
    static final int ORDER_VERSION = 1;

    private final MfModel model;
    private final AlsConfig config;
    private final int sparkThreads;
    private AlsSpark spark;

    AlsRetraining(MfModel model, AlsConfig config, int sparkThreads) {
        this.model = model;
        this.config = config;
        this.sparkThreads = sparkThreads;
    }

    /** ALS retrains are Spark jobs: the evaluation runs them from the driver. */
    @Override
    public boolean distributedItself() {
        return true;
    }

    @Override
    public String budgetUnit() {
        return "iterations";
    }

    @Override
    public long budget() {
        return config.maxIter();
    }

    @Override
    public String cachePrefix() {
        return "als-";
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
        return config.seed() + index;
    }

    @Override
    public long work(int jobs, int batch) {
        return jobs;
    }

    @Override
    public float[][][] run(List<RetrainJob> jobs, int batch, int[][] items, Progress progress) {
        float[][][] out = new float[1][jobs.size()][];
        for (int j = 0; j < jobs.size(); j++) {
            out[0][j] = retrain(jobs.get(j), items[j]);
            progress.step(1);
        }
        return out;
    }

    /** One retrain: ALS on the reduced ratings, then the user's scores of {@code items}. */
    float[] retrain(RetrainJob job, int[] items) {
        if (spark == null) {
            if (org.apache.spark.TaskContext.get() != null) {
                throw new ModelException(
                        "ALS retrains are Spark jobs and cannot run inside a Spark task; run them"
                                + " from the driver");
            }
            spark = AlsSpark.open(sparkThreads);
        }
        var data = model.data();
        ALSModel m =
                AlsSpark.als(config.withSeed(job.seed()))
                        .fit(
                                spark.ratings(
                                        data.train(),
                                        data.users(),
                                        data.items(),
                                        job.user(),
                                        job.removed()));
        Map<Integer, float[]> users = AlsSpark.users(m);
        Map<Integer, float[]> itemFactors = AlsSpark.items(m);
        float[] x = users.get(data.users().raw(job.user()));
        float[] scores = new float[items.length];
        for (int k = 0; k < items.length; k++) {
            float[] y = itemFactors.get(data.items().raw(items[k]));
            scores[k] = x == null || y == null ? 0f : dot(x, y);
        }
        return scores;
    }

    /** x·y in float, as Spark's ALSModel predicts. */
    static float dot(float[] x, float[] y) {
        float s = 0;
        for (int k = 0; k < x.length; k++) {
            s += x[k] * y[k];
        }
        return s;
    }

    @Override
    public void close() {
        if (spark != null) {
            spark.close();
            spark = null;
        }
    }
}
