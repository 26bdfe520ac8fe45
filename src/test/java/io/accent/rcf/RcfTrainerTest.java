package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.data.RcfDataset;
import io.accent.data.RelationalData;
import io.accent.tf.AdagradStep;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

public class RcfTrainerTest {

    public static RcfConfig small(int epochs, long seed) {
        return new RcfConfig(8, 4, 8, 0.5, 0.01, 0.05, 1e-8, 64, epochs, 2016, seed);
    }

    public static RcfData data() {
        return RcfData.of(RcfDataset.load(TestModels.smallData()), 8, 4, 8);
    }

    @Test
    void oneThreadAndTheSameSeedGiveBitIdenticalWeights() {
        RcfData d = data();
        ParameterSet a = new RcfTrainer(small(1, 5), 1).train(d, Progress.NONE).state();
        ParameterSet b = new RcfTrainer(small(1, 5), 1).train(d, Progress.NONE).state();
        for (NamedArray x : a.arrays()) {
            assertArrayEquals(x.data(), b.get(x.name()).data(), x.name());
        }
        ParameterSet c = new RcfTrainer(small(1, 6), 1).train(d, Progress.NONE).state();
        assertFalse(
                Arrays.equals(a.get("q").data(), c.get("q").data()),
                "another shuffle seed, other weights");
    }

    @Test
    void trainingRanksTestPositivesAboveNegativesMoreOften() {
        RcfData d = data();
        RcfTrainer t = new RcfTrainer(small(6, 2512), 1);
        RcfTrainer.Outcome out = t.train(d, Progress.NONE);
        assertTrue(
                out.epochLosses().get(5) < out.epochLosses().get(0), "loss " + out.epochLosses());
        assertEquals(6L * t.stepsPerEpoch(d.train().size()), out.steps());
        // the accumulators moved from 1e-8 and the pad rows do not exist as variables
        assertTrue(out.state().get("q.adagrad").data()[0] > 1e-8);
        assertEquals(d.sizes().items(), out.state().get("q").rows());
    }

    @Test
    void oneAdagradStepEqualsAHandComputation() {
        float lr = 0.05f;
        float[] x0 = {0.3f, -1.2f, 2.0f};
        float[] c = {1.5f, -0.25f, 0.0f};
        float[] acc0 = {1e-8f, 0.5f, 2.0f};
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Variable<TFloat32> x = tf.variable(tf.constant(x0));
            Variable<TFloat32> acc = tf.variable(tf.constant(acc0));
            var read = tf.identity(x);
            // loss = Σ c x + ½ Σ x², gradient c + x
            var loss =
                    tf.math.add(
                            tf.reduceSum(tf.math.mul(tf.constant(c), read), tf.constant(0)),
                            tf.math.mul(
                                    tf.constant(0.5f),
                                    tf.reduceSum(tf.math.square(read), tf.constant(0))));
            Gradients grads =
                    tf.gradients(loss, List.of(read), Gradients.dx(List.of(tf.constant(1f))));
            var step = AdagradStep.build(tf, List.of(x), List.of(acc), grads, lr);
            s.initialize();
            s.runner().addTarget(step).run().close();
            try (Result r = s.runner().fetch(x).fetch(acc).run()) {
                float[] x1 = new float[3];
                float[] a1 = new float[3];
                ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(x1);
                ((TFloat32) r.get(1)).asRawTensor().data().asFloats().read(a1);
                for (int k = 0; k < 3; k++) {
                    double gk = c[k] + x0[k];
                    double ak = acc0[k] + gk * gk;
                    assertEquals(ak, a1[k], 1e-6 * ak, "accumulator " + k);
                    assertEquals(x0[k] - lr * gk / Math.sqrt(ak), x1[k], 1e-6, "variable " + k);
                }
            }
        }
    }

    @Test
    void aFullRcfStepFollowsTheAdagradRuleOnEveryVariable() {
        RcfData d = data();
        RcfConfig cfg = small(1, 1);
        RcfTrainer t = new RcfTrainer(cfg, 1);
        ParameterSet init = t.initialWeights(d.sizes());
        try (RcfTrainingGraph g =
                new RcfTrainingGraph(cfg, d.sizes(), d.train().size(), d.relational().size(), 1)) {
            g.load(init);
            int b = 16;
            int[] us = new int[2 * b];
            int[] is = new int[2 * b];
            for (int k = 0; k < b; k++) {
                us[k] = us[b + k] = d.train().user(k);
                is[k] = d.train().positive(k);
                is[b + k] = d.train().negative(k);
            }
            RelationalData r = d.relational();
            int m = 32;
            int[] rows = java.util.stream.IntStream.range(0, m).toArray();
            g.step(
                    d.lists().batch(us, is),
                    pick(r.heads(), rows),
                    pick(r.types(), rows),
                    pick(r.values(), rows),
                    pick(r.tailPositives(), rows),
                    pick(r.tailNegatives(), rows),
                    false);
            ParameterSet after = g.snapshot();
            int moved = 0;
            for (String n : RcfNetwork.variables(3)) {
                float[] x0 = init.get(n).data();
                float[] x1 = after.get(n).data();
                float[] a1 = after.get(n + ".adagrad").data();
                for (int k = 0; k < x0.length; k++) {
                    // accum' = 1e-8 + g², x' = x − lr·g/√accum'  ⇒  (x − x')²·accum'/lr² = accum' −
                    // 1e-8
                    double g2 = a1[k] - 1e-8;
                    double dx = (double) x0[k] - x1[k];
                    double implied = dx * dx * a1[k] / (0.05 * 0.05);
                    assertEquals(g2, implied, 1e-3 * g2 + 1e-12, n + "[" + k + "]");
                    if (g2 > 1e-12) {
                        moved++;
                    }
                }
            }
            assertTrue(moved > 100, "only " + moved + " scalars moved");
            // an embedding row no list, triple or relational row touches keeps its value
            BitSet touched = new BitSet();
            for (int u : us) {
                touched.set(u);
            }
            for (int u = 0; u < d.sizes().users(); u++) {
                if (!touched.get(u)) {
                    assertArrayEquals(init.get("e_user").row(u), after.get("e_user").row(u));
                }
            }
        }
    }

    private static int[] pick(int[] a, int[] rows) {
        return Arrays.stream(rows).map(k -> a[k]).toArray();
    }

    @Test
    void badRelationalDataNamesFileAndLine(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve(RelationalData.FILE_NAME);
        Files.writeString(f, RelationalData.HEADER + "\n1,1,0,2,3\n1,0,0,2,3\n");
        DataException e = assertThrows(DataException.class, () -> RelationalData.read(f));
        assertTrue(
                e.getMessage().contains(f.toString()) && e.getMessage().contains("3"),
                e.getMessage());
        Files.writeString(f, RelationalData.HEADER + "\n1,1,0,2\n");
        e = assertThrows(DataException.class, () -> RelationalData.read(f));
        assertTrue(
                e.getMessage().contains(f.toString()) && e.getMessage().contains("2"),
                e.getMessage());
    }

    @Test
    void unknownUsersAndItemsAreClearErrors() {
        RcfData d = data();
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> d.lists().pair(d.sizes().users(), 0, new BitSet()));
        assertTrue(e.getMessage().contains("user index"), e.getMessage());
        e =
                assertThrows(
                        DataException.class,
                        () -> d.lists().pair(0, d.sizes().items(), new BitSet()));
        assertTrue(e.getMessage().contains("item index"), e.getMessage());
    }

    /** Lists built per step (data too large to keep them) give exactly the kept lists' steps. */
    @Test
    void listsBuiltPerStepEqualTheKeptOnes() {
        RcfData d = data();
        RcfNeighbourLists.Pair[][] kept = RcfSchedule.lists(d);
        RcfSchedule a = new RcfSchedule(d, 7, 64, kept[0], kept[1]);
        RcfSchedule b = new RcfSchedule(d, 7, 64, null, null);
        for (int e = 0; e < 2; e++) {
            a.nextEpoch();
            b.nextEpoch();
            for (int s = 0; s < a.steps(); s++) {
                RcfTrainer.StepInput x = RcfTrainer.input(a, s);
                RcfTrainer.StepInput y = RcfTrainer.input(b, s);
                assertArrayEquals(x.batch().targets(), y.batch().targets());
                for (int t = 0; t < d.sizes().types(); t++) {
                    assertArrayEquals(x.batch().rows()[t], y.batch().rows()[t], "step " + s);
                    assertArrayEquals(x.batch().items()[t], y.batch().items()[t], "step " + s);
                    assertArrayEquals(x.batch().values()[t], y.batch().values()[t], "step " + s);
                }
                assertArrayEquals(x.values(), y.values());
            }
        }
        assertEquals(2, RcfSchedule.listsIfSmall(d).length);
        assertTrue(RcfSchedule.listsIfSmall(d)[0] != null, "small data keeps its lists");
    }
}
