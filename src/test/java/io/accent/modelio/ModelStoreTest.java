package io.accent.modelio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.PreparedDataset;
import io.accent.model.ModelMetadata;
import io.accent.model.PreparedFixture;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTrainer;
import io.accent.ncf.NcfTraining;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir static Path tmp;
    static Path dataDir;
    static Path modelDir;
    static RatingTraining.Report report;

    @BeforeAll
    static void train() {
        dataDir = PreparedFixture.create(tmp.resolve("d"), 40, 120);
        modelDir = tmp.resolve("model");
        NcfConfig c = new NcfConfig(16, 1e-3, 1e-3, 256, 600, 0, 7);
        report = NcfTraining.run(dataDir, modelDir, c, 1, Progress.NONE);
    }

    @Test
    void reloadedSavedModelGivesBitIdenticalScores() {
        PreparedDataset d = PreparedDataset.load(dataDir);
        int[] users = d.train().users();
        int[] items = d.train().items();
        try (TrainedModel m = ModelStore.load(modelDir)) {
            NcfConfig c = NcfConfig.fromMap(m.metadata().config());
            float[] inMemory =
                    new NcfTrainer(c, 1)
                            .score(
                                    m.metadata().numUsers(),
                                    m.metadata().numItems(),
                                    m.parameters(),
                                    users,
                                    items);
            assertArrayEquals(inMemory, m.score(users, items));
            try (TrainedModel again = ModelStore.load(modelDir)) {
                assertArrayEquals(m.score(users, items), again.score(users, items));
            }
        }
    }

    @Test
    void metadataRecordsWhatProducedTheModel() {
        ModelMetadata m = ModelStore.readMetadata(modelDir);
        assertEquals("ncf", m.family());
        assertEquals(600L, m.steps());
        assertEquals(PreparedDataset.load(dataDir).fingerprint(), m.provenance().datasetSha256());
        assertEquals(m.trainingMse(), report.trainingRmse() * report.trainingRmse(), 1e-9);
        assertTrue(Double.isFinite(m.heldOutMse()));
        assertEquals("1.1.0", m.provenance().tensorflowVersion());
    }

    @Test
    void recommendExcludesTrainingItemsAndIsSorted() {
        try (TrainedModel m = ModelStore.load(modelDir)) {
            int u = 3;
            List<ScoredItem> top = m.recommend(u, 20);
            assertEquals(20, top.size());
            int[] rows = ((io.accent.ncf.NcfModel) m).data().train().rowsOf(u);
            for (ScoredItem s : top) {
                for (int r : rows) {
                    assertTrue(
                            ((io.accent.ncf.NcfModel) m).data().train().item(r) != s.item(),
                            "training item recommended");
                }
            }
            for (int k = 1; k < top.size(); k++) {
                assertTrue(top.get(k - 1).score() >= top.get(k).score());
            }
            float[] all = m.scoreAll(u);
            assertEquals(all[top.get(0).item()], top.get(0).score());
        }
    }

    @Test
    void topKBreaksTiesByLowerIndex() {
        float[] s = {1f, 3f, 3f, 2f, 3f};
        BitSet ex = new BitSet();
        ex.set(1);
        List<ScoredItem> top = TrainedModel.topK(s, ex, 3);
        assertEquals(
                List.of(new ScoredItem(2, 3f), new ScoredItem(4, 3f), new ScoredItem(3, 2f)), top);
    }

    @Test
    void topKEqualsAFullSortWithTiesToTheLowerIndex() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(60);
            float[] s = new float[n];
            BitSet ex = new BitSet();
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(5) * 0.5f; // many ties
                if (rnd.nextInt(4) == 0) {
                    ex.set(i);
                }
            }
            int k = rnd.nextInt(n + 2);
            List<ScoredItem> expected =
                    java.util.stream.IntStream.range(0, n)
                            .filter(i -> !ex.get(i))
                            .boxed()
                            .sorted((a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : a - b)
                            .limit(k)
                            .map(i -> new ScoredItem(i, s[i]))
                            .toList();
            assertEquals(expected, TrainedModel.topK(s, ex, k), "trial " + trial);
        }
    }

    @Test
    void exportedNpyFilesHoldTheVariables() throws Exception {
        Path out = tmp.resolve("weights");
        try (TrainedModel m = ModelStore.load(modelDir)) {
            ParameterSet p = m.parameters();
            assertEquals(32, WeightExport.write(p, out));
            NamedArray w1 = p.get("W1");
            try (InputStream in = Files.newInputStream(out.resolve("W1.npy"))) {
                byte[] all = in.readAllBytes();
                int headerLen =
                        ByteBuffer.wrap(all, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
                String header = new String(all, 10, headerLen, StandardCharsets.US_ASCII);
                assertTrue(
                        header.contains("'descr': '<f4'") && header.contains("'shape': (32, 16)"),
                        header);
                assertEquals(0, (10 + headerLen) % 64);
                ByteBuffer body =
                        ByteBuffer.wrap(all, 10 + headerLen, all.length - 10 - headerLen)
                                .order(ByteOrder.LITTLE_ENDIAN);
                float[] back = new float[w1.data().length];
                body.asFloatBuffer().get(back);
                assertArrayEquals(w1.data(), back);
            }
            assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"P_mlp.adam_m\""));
        }
    }

    @Test
    void missingOrForeignDirectoriesAreModelErrors() {
        ModelException e =
                assertThrows(ModelException.class, () -> ModelStore.load(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"));
        e = assertThrows(ModelException.class, () -> ModelStore.load(dataDir));
        assertTrue(e.getMessage().contains("model.json missing"), e.getMessage());
    }

    @Test
    void aFailedSaveLeavesNoDirectory() {
        Path target = tmp.resolve("half");
        ParameterSet bogus =
                new ParameterSet(List.of(new NamedArray("W1", new long[] {1}, new float[] {1f})));
        ModelMetadata meta = ModelStore.readMetadata(modelDir);
        assertThrows(RuntimeException.class, () -> ModelStore.save(target, meta, bogus, dataDir));
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(tmp.resolve(".half.tmp")));
    }
}
