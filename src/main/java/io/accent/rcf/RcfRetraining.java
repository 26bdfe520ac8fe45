package io.accent.rcf;

import io.accent.core.Progress;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.Retraining;
import java.util.List;

/**
 * RCF's retraining for the evaluation (docs/SPEC.md §7.2): from scratch with the model's epochs,
 * init seed and the shuffle seeds {@link RcfRetrainer#SEEDS}, one retrain at a time or a batch
 * stacked in one graph; the model's scores for the top-list check come from {@link RcfScorer}
 * (Java-built lists through the network), as the explanations saw them.
 */
final class RcfRetraining implements Retraining {

    private final RcfConfig config;
    private final RcfRetrainer retrainer;
    private final RcfScorer scorer;

    RcfRetraining(RcfModel model, int threads) {
        this.config = RcfConfig.fromMap(model.metadata().config());
        this.retrainer = new RcfRetrainer(config, model.rcfData(), threads);
        this.scorer = new RcfScorer(config, model.rcfData(), model.parameters(), threads);
    }

    @Override
    public String budgetUnit() {
        return "epochs";
    }

    @Override
    public long budget() {
        return config.epochs();
    }

    @Override
    public String cachePrefix() {
        return "rcf-";
    }

    @Override
    public int orderVersion() {
        return RcfRetrainer.ORDER_VERSION;
    }

    @Override
    public float[] referenceScores(int user) {
        return scorer.scoreAll(user);
    }

    @Override
    public long seed(int index) {
        return RcfRetrainer.SEEDS[index];
    }

    @Override
    public long work(int jobs, int batch) {
        return jobs;
    }

    @Override
    public float[][][] run(List<RetrainJob> jobs, int batch, int[][] items, Progress progress) {
        List<float[]> scores =
                jobs.size() == 1 && batch == 1
                        ? List.of(retrainer.retrain(jobs.get(0), items[0], Progress.NONE))
                        : retrainer.retrainStacked(jobs, items, Progress.NONE);
        progress.step(jobs.size());
        return new float[][][] {scores.toArray(new float[0][])};
    }

    @Override
    public void close() {
        scorer.close();
    }
}
