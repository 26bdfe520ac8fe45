package io.accent.ncf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.data.Ratings;
import io.accent.model.SmallData;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import org.junit.jupiter.api.Test;

class NcfTrainerTest {

    static final int U = 40;
    static final int I = 60;
    static final Ratings DATA = SmallData.ratings(U, I, 25, 7);

    static NcfConfig config(long steps) {
        return new NcfConfig(8, 1e-2, 1e-3, 100, steps, 3, 4);
    }

    @Test
    void trainingLowersTheLoss() {
        NcfTrainer t = new NcfTrainer(config(400), 1);
        ParameterSet init = t.initialWeights(U, I);
        double before = mse(t, init);
        NcfTrainer.Outcome out = t.train(U, I, DATA, Progress.NONE);
        assertTrue(out.trainingMse() < 0.5 * before, "mse " + before + " -> " + out.trainingMse());
        assertEquals(out.trainingMse(), mse(t, out.state()), 1e-5);
    }

    @Test
    void sameSeedSameModelWhateverTheFusionAndThreads() {
        NcfTrainer a = new NcfTrainer(config(250), 1);
        NcfTrainer b = new NcfTrainer(config(250).withStepsPerCall(1), 2);
        ParameterSet sa = a.train(U, I, DATA, Progress.NONE).state();
        ParameterSet sb = b.train(U, I, DATA, Progress.NONE).state();
        for (NamedArray x : sa.arrays()) {
            assertArrayEquals(x.data(), sb.get(x.name()).data(), x.name());
        }
    }

    @Test
    void differentSeedDifferentModel() {
        ParameterSet sa = new NcfTrainer(config(50), 1).train(U, I, DATA, Progress.NONE).state();
        ParameterSet sb =
                new NcfTrainer(config(50).withSeed(4), 1).train(U, I, DATA, Progress.NONE).state();
        assertTrue(sa.get("W1").data()[0] != sb.get("W1").data()[0]);
    }

    @Test
    void initializationIsTruncatedNormalWithReferenceScales() {
        NcfTrainer t = new NcfTrainer(NcfConfig.reference(0, 0), 1);
        ParameterSet p = t.initialWeights(452, 1600);
        assertEquals(66_353, p.size());
        float[] q = p.get("Q_mlp").data();
        double sum = 0;
        double sq = 0;
        for (float v : q) {
            assertTrue(Math.abs(v) <= 2 * 0.25 + 1e-6, "beyond two std: " + v);
            sum += v;
            sq += v * v;
        }
        double std = Math.sqrt(sq / q.length - Math.pow(sum / q.length, 2));
        // a normal truncated at 2 sigma has std 0.8796 sigma
        assertEquals(0.25 * 0.8796, std, 0.01);
        for (float v : p.get("b1").data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void scoresMatchAnIndependentJavaForwardPass() {
        NcfTrainer t = new NcfTrainer(config(30), 1);
        ParameterSet s = t.train(U, I, DATA, Progress.NONE).state();
        int[] users = {0, 5, 39, 12};
        int[] items = {0, 59, 3, 17};
        float[] tf = t.score(U, I, s, users, items);
        for (int b = 0; b < users.length; b++) {
            assertEquals(JavaNcf.score(s, users[b], items[b]), tf[b], 1e-5);
        }
    }

    @Test
    void divergenceIsAnErrorNotAModel() {
        NcfConfig wild = new NcfConfig(8, 1e12, 1e-3, 100, 200, 3, 4);
        assertThrows(
                SolverException.class,
                () -> new NcfTrainer(wild, 1).train(U, I, DATA, Progress.NONE));
    }

    @Test
    void scoringMoreThanAChunkEqualsScoringEachPairAlone() {
        NcfTrainer t = new NcfTrainer(config(20), 1);
        ParameterSet s = t.train(U, I, DATA, Progress.NONE).state();
        int n = io.accent.tf.PairScores.CHUNK + 7;
        int[] users = new int[n];
        int[] items = new int[n];
        for (int k = 0; k < n; k++) {
            users[k] = (k * 7) % U;
            items[k] = (k * 13) % I;
        }
        float[] all = t.score(U, I, s, users, items);
        for (int k : new int[] {0, 1, n / 2, io.accent.tf.PairScores.CHUNK - 1, n - 7, n - 1}) {
            float[] one = t.score(U, I, s, new int[] {users[k]}, new int[] {items[k]});
            assertEquals(one[0], all[k], 1e-6f, "pair " + k);
        }
    }

    private static double mse(NcfTrainer t, ParameterSet s) {
        float[] p = t.score(U, I, s, DATA.users(), DATA.items());
        double sum = 0;
        for (int r = 0; r < p.length; r++) {
            double d = p[r] - DATA.rating(r);
            sum += d * d;
        }
        return sum / p.length;
    }
}
