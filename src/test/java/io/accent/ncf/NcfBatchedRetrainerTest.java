package io.accent.ncf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.evaluate.RetrainJob;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.ParameterSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

public class NcfBatchedRetrainerTest {

    /** Largest |a − b| / (1 + |b|) over all weights. */
    static double maxRelDiff(ParameterSet a, ParameterSet b) {
        double worst = 0;
        for (String n : io.accent.ncf.NcfNetwork.VARIABLES) {
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
        // alone = the same retrainer with B = 1: a copy's orders depend only on its seed, epoch and
        // kept rows, so only the batched kernels' float32 round-off may differ
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            NcfConfig c = NcfConfig.fromMap(m.metadata().config());
            Ratings train = ((io.accent.ncf.NcfModel) m).data().train();
            ParameterSet start = m.parameters();
            int items0 = train.item(train.rowsOf(3)[0]);
            int items1 = train.item(train.rowsOf(3)[5]);
            List<RetrainJob> jobs =
                    List.of(
                            new RetrainJob(3, Set.of(items0, items1), 0),
                            new RetrainJob(7, Set.of(train.item(train.rowsOf(7)[2])), 4),
                            new RetrainJob(3, Set.of(), 1));
            long steps = 250;
            assertTrue(
                    steps > 3L * train.size() / c.batchSize(),
                    "the run should cross several epochs");
            int u = m.metadata().numUsers();
            int i = m.metadata().numItems();
            int[][] score = {{0, 1, 2}, {3, 4, 5}, {0, 1, 2}};
            try (NcfBatchedRetrainer r = new NcfBatchedRetrainer(c, u, i, train, 4, 1);
                    NcfBatchedRetrainer alone = new NcfBatchedRetrainer(c, u, i, train, 1, 1)) {
                float[][][] s = r.run(start, jobs, steps, new long[] {steps}, score, Progress.NONE);
                for (int j = 0; j < jobs.size(); j++) {
                    float[][][] a =
                            alone.run(
                                    start,
                                    List.of(jobs.get(j)),
                                    steps,
                                    new long[] {steps},
                                    new int[][] {score[j]},
                                    Progress.NONE);
                    double diff = maxRelDiff(r.snapshot(j), alone.snapshot(0));
                    assertTrue(diff < 1e-5, "job " + j + " differs from its run alone by " + diff);
                    for (int k = 0; k < 3; k++) {
                        assertEquals(a[0][0][k], s[0][j][k], 1e-4f);
                    }
                }
                // and the copies did train on different data: job 0 and job 2 share the user, not
                // the rows
                assertTrue(maxRelDiff(r.snapshot(0), r.snapshot(2)) > 1e-4);
            }
        }
    }

    /**
     * The order of epoch e of a copy with this seed and kept rows, computed in plain Java the
     * direct way: the forward hash h of NcfDeviceEpochOrder on every kept row, then a sort (the
     * device walks h⁻¹ over all slots and counts instead).
     */
    public static long[] javaOrder(long seed, long epoch, int[] kept, int rows) {
        int bits = NcfDeviceEpochOrder.bits(rows);
        long mask = (1L << bits) - 1;
        long[] rk = NcfDeviceEpochOrder.roundKeys(seed, epoch, bits);
        long[] c = NcfDeviceEpochOrder.multipliers(bits);
        int[] sh = NcfDeviceEpochOrder.shifts(bits);
        java.util.function.LongUnaryOperator mix =
                x -> {
                    x ^= x >>> sh[0];
                    x = (x * c[0]) & mask;
                    x ^= x >>> sh[1];
                    x = (x * c[1]) & mask;
                    return x ^ (x >>> sh[0]);
                };
        java.util.function.LongUnaryOperator h =
                r -> mix.applyAsLong(mix.applyAsLong(mix.applyAsLong(r ^ rk[0]) ^ rk[1]) ^ rk[2]);
        return Arrays.stream(kept)
                .boxed()
                .sorted(Comparator.comparingLong(r -> epoch == 0 ? r : h.applyAsLong(r)))
                .mapToLong(Integer::longValue)
                .toArray();
    }

    @Test
    void theKeyedHashIsABijectionOfItsSlots() {
        for (int rows : new int[] {5, 1000, 61054}) {
            int bits = NcfDeviceEpochOrder.bits(rows);
            long[] c = NcfDeviceEpochOrder.multipliers(bits);
            long mask = (1L << bits) - 1;
            assertEquals(1, (c[0] * c[2]) & mask);
            assertEquals(1, (c[1] * c[3]) & mask);
            int[] all = IntStream.range(0, 1 << bits).toArray();
            long[] order = javaOrder(3, 2, all, rows);
            assertEquals(1L << bits, Arrays.stream(order).distinct().count());
        }
    }

    @Test
    void theDeviceMakesEachEpochAPermutationOfTheKeptRows() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            NcfConfig c = NcfConfig.fromMap(m.metadata().config());
            Ratings train = ((io.accent.ncf.NcfModel) m).data().train();
            int rows = train.size();
            int user = 3;
            Set<Integer> removed =
                    Set.of(train.item(train.rowsOf(user)[0]), train.item(train.rowsOf(user)[4]));
            int[] kept =
                    IntStream.range(0, rows)
                            .filter(
                                    r ->
                                            !(train.user(r) == user
                                                    && removed.contains(train.item(r))))
                            .toArray();
            assertEquals(rows - 2, kept.length);
            int perEpoch = kept.length / c.batchSize();
            List<RetrainJob> jobs =
                    List.of(
                            new RetrainJob(user, removed, 1),
                            new RetrainJob(user, removed, 2),
                            new RetrainJob(5, Set.of(), 1));
            int u = m.metadata().numUsers();
            int i = m.metadata().numItems();
            int[][] score = {{0}, {0}, {0}};
            try (NcfBatchedRetrainer r = new NcfBatchedRetrainer(c, u, i, train, 3, 1)) {
                Map<String, long[]> seen = new HashMap<>();
                for (int epoch = 0; epoch <= 2; epoch++) {
                    // the last step of the epoch, then the first step of the next one: the tail
                    // that
                    // does not fill a batch is never read
                    long end = (long) (epoch + 1) * perEpoch;
                    r.run(m.parameters(), jobs, end, new long[] {end}, score, Progress.NONE);
                    assertEquals(
                            perEpoch,
                            r.cursor(0),
                            "epoch " + epoch + " ends after ⌊kept/batch⌋ steps");
                    long[] order = Arrays.copyOf(r.currentOrder(0), kept.length);
                    long[] otherSeed = Arrays.copyOf(r.currentOrder(1), kept.length);
                    r.run(
                            m.parameters(),
                            jobs,
                            end + 1,
                            new long[] {end + 1},
                            score,
                            Progress.NONE);
                    assertEquals(1, r.cursor(0), "the next epoch starts at its first batch");
                    assertTrue(
                            !Arrays.equals(order, Arrays.copyOf(r.currentOrder(0), kept.length)));

                    long[] sorted = order.clone();
                    Arrays.sort(sorted);
                    assertArrayEquals(
                            Arrays.stream(kept).asLongStream().toArray(),
                            sorted,
                            "epoch " + epoch + ": not a permutation of the kept rows");
                    assertArrayEquals(
                            javaOrder(1, epoch, kept, rows),
                            order,
                            "epoch " + epoch + " differs from the Java oracle");
                    if (epoch == 0) {
                        assertArrayEquals(
                                Arrays.stream(kept).asLongStream().toArray(),
                                order,
                                "epoch 0 in file order");
                    } else {
                        // shuffled: no visible trace of the file order
                        assertTrue(
                                Math.abs(rankCorrelation(order)) < 0.05,
                                "epoch " + epoch + " looks unshuffled");
                        assertTrue(
                                !Arrays.equals(order, otherSeed), "seeds 1 and 2 share an order");
                    }
                    for (long[] before : seen.values()) {
                        assertTrue(
                                !Arrays.equals(before, order),
                                "epoch " + epoch + " repeats an earlier order");
                    }
                    seen.put("epoch " + epoch, order);
                }
            }
        }
    }

    /** Spearman correlation between positions and the values (distinct) at them. */
    private static double rankCorrelation(long[] order) {
        long[] sorted = order.clone();
        Arrays.sort(sorted);
        int n = order.length;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            int rank = Arrays.binarySearch(sorted, order[k]);
            double d = k - rank;
            sum += d * d;
        }
        return 1 - 6 * sum / ((double) n * ((double) n * n - 1));
    }

    @Test
    void removingNothingWithTheSameSeedIsTheOriginalProtocol() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            NcfConfig c = NcfConfig.fromMap(m.metadata().config());
            Ratings train = ((io.accent.ncf.NcfModel) m).data().train();
            int u = m.metadata().numUsers();
            int i = m.metadata().numItems();
            try (NcfBatchedRetrainer one = new NcfBatchedRetrainer(c, u, i, train, 1, 1);
                    NcfBatchedRetrainer two = new NcfBatchedRetrainer(c, u, i, train, 2, 1)) {
                List<RetrainJob> a = List.of(new RetrainJob(0, Set.of(), 2));
                List<RetrainJob> b =
                        List.of(new RetrainJob(5, Set.of(), 2), new RetrainJob(0, Set.of(), 3));
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
