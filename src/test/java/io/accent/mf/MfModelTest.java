package io.accent.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.PreparedDataset;
import io.accent.data.Ratings;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.NamedArray;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.ParameterSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MF model directories: scores, stored variables, training and shape checks. */
class MfModelTest {

    @TempDir Path tmp;

    /** ŷ(u, i) = P[u]·Q[i] + Bu[u] + Bi[i] + mu in float64 from the loaded float32 values. */
    static double plainScore(ParameterSet p, int u, int i) {
        float[] pu = p.get("P").row(u);
        float[] qi = p.get("Q").row(i);
        double s = 0;
        for (int k = 0; k < pu.length; k++) {
            s += (double) pu[k] * qi[k];
        }
        return s + p.get("Bu").data()[u] + p.get("Bi").data()[i] + p.get("mu").data()[0];
    }

    @Test
    void scoresAreTheFactorProductPlusBiasesInFloat64() {
        for (Path dir : new Path[] {MfTestModels.SYNTHETIC, MfTestModels.small()}) {
            try (TrainedModel m = ModelStore.load(dir)) {
                assertEquals("mf", m.metadata().family());
                assertTrue(m instanceof MfModel);
                ParameterSet p = m.parameters();
                int users = m.metadata().numUsers();
                int items = m.metadata().numItems();
                for (int u = 0; u < users; u += 7) {
                    float[] all = m.scoreAll(u);
                    assertEquals(items, all.length);
                    for (int i = 0; i < items; i++) {
                        double want = plainScore(p, u, i);
                        assertEquals(want, all[i], 2e-6 * Math.max(1, Math.abs(want)), u + "," + i);
                    }
                }
            }
        }
    }

    @Test
    void theModelStoresItsVariablesAdamStateAndTheMeanRating() {
        try (TrainedModel m = ModelStore.load(MfTestModels.small())) {
            ParameterSet p = m.parameters();
            int d = MfTestModels.config(1).embeddingSize();
            assertArrayEquals(new long[] {m.metadata().numUsers(), d}, p.get("P").shape());
            assertArrayEquals(new long[] {m.metadata().numItems(), d}, p.get("Q").shape());
            assertArrayEquals(new long[] {m.metadata().numUsers(), 1}, p.get("Bu").shape());
            assertArrayEquals(new long[] {m.metadata().numItems(), 1}, p.get("Bi").shape());
            assertArrayEquals(new long[0], p.get("mu").shape());
            for (String v : MfNetwork.TRAINED) {
                assertArrayEquals(p.get(v).shape(), p.get(OptimizerSlots.adamM(v)).shape());
                assertArrayEquals(p.get(v).shape(), p.get(OptimizerSlots.adamV(v)).shape());
            }
            assertTrue(p.find(OptimizerSlots.adamM("mu")).isEmpty(), "mu is not trained");
            assertTrue(p.find(OptimizerSlots.BETA1_POWER).isPresent());
            assertTrue(p.find(OptimizerSlots.BETA2_POWER).isPresent());
            // mu is the mean training rating and stays so through training
            Ratings train = PreparedDataset.load(TestModels.smallData()).train();
            assertEquals(
                    (float) MfTrainer.meanRating(train), p.get("mu").data()[0], 0f, "mu changed");
            assertTrue(Double.isFinite(m.metadata().trainingMse()));
            assertTrue(Double.isFinite(m.metadata().heldOutMse()));
        }
    }

    @Test
    void trainingIsReplayableAndMarksSeeTheFinalState() {
        Ratings train = PreparedDataset.load(TestModels.smallData()).train();
        PreparedDataset data = PreparedDataset.load(TestModels.smallData());
        int users = data.users().size();
        int items = data.items().size();
        MfTrainer t = new MfTrainer(MfTestModels.config(150), 1);
        ParameterSet start = t.initialWeights(users, items, train);
        int[] us = {0, 1, 2, 3};
        int[] is = {5, 6, 7, 8};
        float[][] seen = new float[2][];
        MfTrainer.Outcome a =
                t.train(
                        users,
                        items,
                        train,
                        start,
                        new long[] {40, 150},
                        (step, scorer) -> seen[step == 40 ? 0 : 1] = scorer.score(us, is),
                        Progress.NONE);
        MfTrainer.Outcome b = t.train(users, items, train, Progress.NONE);
        for (NamedArray x : a.state().arrays()) {
            assertArrayEquals(x.data(), b.state().get(x.name()).data(), x.name());
        }
        assertArrayEquals(seen[1], t.score(users, items, a.state(), us, is));
        // 40 steps alone reach the state seen at the mark 40
        MfTrainer.Outcome c =
                new MfTrainer(MfTestModels.config(40), 1)
                        .train(
                                users,
                                items,
                                train,
                                start,
                                new long[0],
                                (s, g) -> {},
                                Progress.NONE);
        assertArrayEquals(seen[0], t.score(users, items, c.state(), us, is));
    }

    @Test
    void theLibraryApiServesAnMfModel() {
        try (io.accent.api.AccentModel a = io.accent.api.Accent.open(MfTestModels.SYNTHETIC);
                TrainedModel m = ModelStore.load(MfTestModels.SYNTHETIC)) {
            assertEquals("mf", a.family());
            int raw = m.users().raw(0);
            var recs = a.recommend(raw, 5);
            assertEquals(5, recs.size());
            assertEquals(20, a.influence(raw).targets().size());
            assertTrue(a.explain(raw).get("accent", 5) != null);
        }
    }

    @Test
    void aModelWhoseVariablesDisagreeWithItsMetadataIsRefused() throws Exception {
        Path copy = tmp.resolve("m");
        copyTree(MfTestModels.small(), copy);
        Path json = copy.resolve(ModelStore.METADATA);
        Files.writeString(
                json,
                Files.readString(json)
                        .replaceFirst("\"embedding_size\" : 8", "\"embedding_size\" : 4"));
        ModelException e = assertThrows(ModelException.class, () -> ModelStore.load(copy));
        assertTrue(e.getMessage().contains("'P'"), e.getMessage());
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
