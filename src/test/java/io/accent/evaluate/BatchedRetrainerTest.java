package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.model.ModelStore;
import io.accent.model.NamedArray;
import io.accent.model.NcfConfig;
import io.accent.model.NcfTrainer;
import io.accent.model.ParameterSet;
import io.accent.model.TrainedModel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchedRetrainerTest {

    /** Largest |a − b| / (1 + |b|) over all weights. */
    static double maxRelDiff(ParameterSet a, ParameterSet b) {
        double worst = 0;
        for (String n : io.accent.model.NcfNetwork.VARIABLES) {
            float[] x = a.get(n).data();
            float[] y = b.get(n).data();
            for (int k = 0; k < x.length; k++) {
                worst = Math.max(worst, Math.abs(x[k] - y[k]) / (1 + Math.abs(y[k])));
            }
        }
        return worst;
    }

    @Test
    void aCopyInABatchMatchesTheSameRetrainRunAlone() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            NcfConfig c = NcfConfig.fromMap(m.metadata().config());
            Ratings train = m.data().train();
            ParameterSet start = m.parameters();
            int items0 = train.item(train.rowsOf(3)[0]);
            int items1 = train.item(train.rowsOf(3)[5]);
            List<BatchedRetrainer.Job> jobs = List.of(
                    new BatchedRetrainer.Job(3, Set.of(items0, items1), 0),
                    new BatchedRetrainer.Job(7, Set.of(train.item(train.rowsOf(7)[2])), 4),
                    new BatchedRetrainer.Job(3, Set.of(), 1));
            long steps = 250;
            int u = m.metadata().numUsers();
            int i = m.metadata().numItems();
            int[][] score = {{0, 1, 2}, {3, 4, 5}, {0, 1, 2}};
            try (BatchedRetrainer r = new BatchedRetrainer(c, u, i, train, 4, 1)) {
                float[][][] s = r.run(start, jobs, steps, new long[] {steps}, score, Progress.NONE);
                for (int j = 0; j < jobs.size(); j++) {
                    BatchedRetrainer.Job job = jobs.get(j);
                    NcfTrainer alone = new NcfTrainer(c.withSteps(steps).withSeed(job.seed()), 1);
                    ParameterSet single = alone.train(u, i, train.without(job.user(), job.removed()), start,
                            Progress.NONE).state();
                    double diff = maxRelDiff(r.snapshot(j), single);
                    assertTrue(diff < 1e-5, "job " + j + " differs from its run alone by " + diff);
                    float[] want = alone.score(u, i, single, new int[] {job.user(), job.user(), job.user()}, score[j]);
                    for (int k = 0; k < 3; k++) {
                        assertEquals(want[k], s[0][j][k], 1e-4f);
                    }
                }
            }
        }
    }

    @Test
    void removingNothingWithTheSameSeedIsTheOriginalProtocol() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            NcfConfig c = NcfConfig.fromMap(m.metadata().config());
            Ratings train = m.data().train();
            int u = m.metadata().numUsers();
            int i = m.metadata().numItems();
            try (BatchedRetrainer one = new BatchedRetrainer(c, u, i, train, 1, 1);
                    BatchedRetrainer two = new BatchedRetrainer(c, u, i, train, 2, 1)) {
                List<BatchedRetrainer.Job> a = List.of(new BatchedRetrainer.Job(0, Set.of(), 2));
                List<BatchedRetrainer.Job> b = List.of(new BatchedRetrainer.Job(5, Set.of(), 2),
                        new BatchedRetrainer.Job(0, Set.of(), 3));
                int[][] items = {{0, 1}, {0, 1}};
                one.run(m.parameters(), a, 120, new long[] {120}, items, Progress.NONE);
                two.run(m.parameters(), b, 120, new long[] {120}, items, Progress.NONE);
                // an empty removal set: the user does not matter, only the seed (the shuffle) does
                assertTrue(maxRelDiff(one.snapshot(0), two.snapshot(0)) < 1e-5);
                assertTrue(maxRelDiff(one.snapshot(0), two.snapshot(1)) > 1e-4);
            }
        }
    }
}
