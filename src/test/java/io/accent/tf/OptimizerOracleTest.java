package io.accent.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer's Adam steps against {@link AdamOracle}, a hand computation of docs/SPEC.md §2.3–2.4
 * on a tiny model (3 users, 4 items, E = 2): bias correction, the λ/2·‖θ‖² decay, the first epoch
 * in file order, the dropped tail batch and the restart of the next epoch.
 */
class OptimizerOracleTest {

    static final int U = 3;
    static final int I = 4;

    /** 7 rows with batch 3: two batches in the first epoch, row 6 is the dropped tail. */
    static final Ratings ROWS =
            Ratings.of(
                    new int[] {0, 1, 2, 0, 1, 0, 2},
                    new int[] {0, 1, 2, 3, 0, 1, 3},
                    new float[] {5, 3, 4, 1, 2, 4, 5},
                    new long[] {1, 2, 3, 4, 5, 6, 7});

    static final double LR = 1e-2;

    /** Large on purpose: the decay term must be visible next to the data gradient. */
    static final double LAMBDA = 0.3;

    static NcfConfig config(long steps, long seed) {
        return new NcfConfig(2, LR, LAMBDA, 3, steps, seed, 1);
    }

    /** Tolerance: float32 arithmetic in TensorFlow against float64 here, updates of order LR. */
    static final double TOL = 2e-6;

    @Test
    void oneWarmStartedStepIsTheHandComputedAdamStep() {
        NcfTrainer t = new NcfTrainer(config(1, 5), 1);
        ParameterSet start = AdamOracle.warmStart(t, U, I, 17, 5);
        ParameterSet out = t.train(U, I, ROWS, start, Progress.NONE).state();
        AdamOracle o = new AdamOracle(start);
        o.step(ROWS, new int[] {0, 1, 2}, LR, LAMBDA);
        assertTrue(
                o.maxAbsChange(start) > 1e-3,
                "the step must move the weights: " + o.maxAbsChange(start));
        double d = o.maxAbsDiff(out);
        assertTrue(d < TOL, "trainer vs hand-computed Adam step: max |diff| " + d);
    }

    @Test
    void aFreshStartUsesTheFirstBetaPowers() {
        NcfTrainer t = new NcfTrainer(config(2, 5), 1);
        ParameterSet start = t.initialWeights(U, I);
        ParameterSet out = t.train(U, I, ROWS, start, Progress.NONE).state();
        AdamOracle o = new AdamOracle(start);
        o.train(ROWS, 3, LR, LAMBDA, 2, List.of());
        double d = o.maxAbsDiff(out);
        assertTrue(d < TOL, "two fresh Adam steps: max |diff| " + d);
    }

    @Test
    void theTailBatchIsDroppedAndTheNextEpochIsShuffled() {
        // a seed whose second epoch does not start with the tail row, so that keeping the tail is
        // visible
        long seed = 9;
        while (!firstBatchLacksTail(seed)) {
            seed++;
        }
        NcfTrainer t = new NcfTrainer(config(3, seed), 1);
        ParameterSet start = AdamOracle.warmStart(t, U, I, 3, 2);
        ParameterSet out = t.train(U, I, ROWS, start, Progress.NONE).state();
        // epoch 2's order is the trainer's seeded shuffle stream (EpochOrder is its definition;
        // the
        // Java
        // port does not reproduce numpy's permutation); what is checked here is that epoch 1 ends
        // after
        // two batches (row 6 dropped) and epoch 2 restarts at its first batch
        int[] perm = EpochOrder.identity(ROWS.size());
        new EpochOrder(seed).shuffle(perm);
        AdamOracle o = new AdamOracle(start);
        o.train(ROWS, 3, LR, LAMBDA, 3, List.of(perm));
        double d = o.maxAbsDiff(out);
        assertTrue(d < 3 * TOL, "three steps across an epoch boundary: max |diff| " + d);
        // the oracle is sharp enough to tell the tail apart: training on row 6 as well differs
        AdamOracle wrong = new AdamOracle(start);
        wrong.step(ROWS, new int[] {0, 1, 2}, LR, LAMBDA);
        wrong.step(ROWS, new int[] {3, 4, 5}, LR, LAMBDA);
        wrong.step(ROWS, new int[] {6, perm[0], perm[1]}, LR, LAMBDA);
        assertTrue(
                wrong.maxAbsDiff(out) > 100 * TOL,
                "keeping the tail row differs by only " + wrong.maxAbsDiff(out));
    }

    private static boolean firstBatchLacksTail(long seed) {
        int[] perm = EpochOrder.identity(ROWS.size());
        new EpochOrder(seed).shuffle(perm);
        return perm[0] != 6 && perm[1] != 6 && perm[2] != 6;
    }
}
