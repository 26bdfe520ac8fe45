package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.ncf.NcfBatchedRetrainer;
import io.accent.ncf.NcfBatchedRetrainerTest;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTrainer;
import io.accent.tf.AdamOracle;
import io.accent.tf.ParameterSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The batched retrainer against the hand computation of {@link AdamOracle} (not against the
 * trainer, so a bug shared by both through the common Adam step cannot cancel): warm start with
 * Adam state, the removed rows gone, the first epoch of the kept rows in order, the tail dropped,
 * the next epoch in the job's device-made order.
 */
class RetrainerOracleTest {

    static final int U = 3;
    static final int I = 4;
    static final Ratings ROWS =
            Ratings.of(
                    new int[] {0, 1, 2, 0, 1, 0, 2},
                    new int[] {0, 1, 2, 3, 0, 1, 3},
                    new float[] {5, 3, 4, 1, 2, 4, 5},
                    new long[] {1, 2, 3, 4, 5, 6, 7});
    static final double LR = 1e-2;
    static final double LAMBDA = 0.3;

    @Test
    void everyCopyIsTheHandComputedRetrain() {
        NcfConfig c = new NcfConfig(2, LR, LAMBDA, 3, 3, 0, 1);
        ParameterSet start = AdamOracle.warmStart(new NcfTrainer(c, 1), U, I, 23, 7);
        List<RetrainJob> jobs =
                List.of(
                        new RetrainJob(1, Set.of(1), 4), // kept rows 0,2,3,4,5,6: no tail
                        new RetrainJob(0, Set.of(), 6)); // all 7 rows: row 6 is the tail
        int[][] score = {{0, 2, 3}, {1, 2, 3}};
        try (NcfBatchedRetrainer r = new NcfBatchedRetrainer(c, U, I, ROWS, 2, 1)) {
            float[][][] s = r.run(start, jobs, 3, new long[] {1, 3}, score, Progress.NONE);
            for (int j = 0; j < jobs.size(); j++) {
                RetrainJob job = jobs.get(j);
                Ratings kept = ROWS.without(job.user(), job.removed());
                // epoch 1: the kept rows in the device's order (written out in plain Java by
                // NcfBatchedRetrainerTest.javaOrder), as positions in the kept list
                int[] keptRows =
                        java.util.stream.IntStream.range(0, ROWS.size())
                                .filter(
                                        row ->
                                                !(ROWS.user(row) == job.user()
                                                        && job.removed().contains(ROWS.item(row))))
                                .toArray();
                long[] order =
                        NcfBatchedRetrainerTest.javaOrder(job.seed(), 1, keptRows, ROWS.size());
                int[] perm = new int[order.length];
                for (int k = 0; k < order.length; k++) {
                    perm[k] = java.util.Arrays.binarySearch(keptRows, (int) order[k]);
                }
                AdamOracle o = new AdamOracle(start);
                o.train(kept, 3, LR, LAMBDA, 3, List.of(perm));
                double d = o.maxAbsDiff(r.snapshot(j));
                assertTrue(o.maxAbsChange(start) > 1e-3);
                assertTrue(d < 6e-6, "copy " + j + " vs hand-computed retrain: max |diff| " + d);
                // the scores returned for the last checkpoint are those of the final state
                float[] want =
                        new NcfTrainer(c, 1)
                                .score(
                                        U,
                                        I,
                                        r.snapshot(j),
                                        new int[] {job.user(), job.user(), job.user()},
                                        score[j]);
                for (int k = 0; k < 3; k++) {
                    assertEquals(want[k], s[1][j][k], 1e-5f);
                    assertTrue(
                            Math.abs(s[0][j][k] - s[1][j][k]) > 1e-5,
                            "checkpoint 1 must differ from step 3");
                }
            }
        }
    }
}
