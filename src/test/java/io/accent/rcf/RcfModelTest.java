package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.RcfDataset;
import io.accent.model.ModelFingerprint;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-contained SavedModel (lists built in the graph) against Java-built lists. */
class RcfModelTest {

    @Test
    void savedModelScoresEveryPairLikeJavaBuiltLists(@TempDir Path tmp) throws Exception {
        RcfConfig cfg = RcfTrainerTest.small(2, 3);
        Path out = tmp.resolve("m");
        RcfTraining.Report report =
                RcfTraining.run(TestModels.smallData(), out, cfg, 1, Progress.NONE);
        assertTrue(report.sanity() > 0 && report.sanity() < 1);
        RcfData data = RcfData.of(RcfDataset.load(TestModels.smallData()), 8, 4, 8);
        int users = data.sizes().users();
        int items = data.sizes().items();
        int[] us = new int[users * items];
        int[] is = new int[users * items];
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                us[u * items + i] = u;
                is[u * items + i] = i;
            }
        }
        try (TrainedModel m = ModelStore.load(out)) {
            float[] served = m.score(us, is);
            float[] java = new RcfTrainer(cfg, 1).score(data, m.parameters(), us, is);
            double max = 0;
            for (int k = 0; k < us.length; k++) {
                max = Math.max(max, Math.abs(served[k] - java[k]));
                assertEquals(
                        java[k], served[k], 1e-5 * Math.max(1, Math.abs(java[k])), "pair " + k);
            }
            assertTrue(Float.isFinite(served[0]));
            // metadata carries the typed config, parsed back the same
            assertEquals(cfg, RcfConfig.fromMap(m.metadata().config()));
            assertEquals("rcf", m.metadata().family());
            // the model identity is defined for every family
            String fp = ModelFingerprint.of(m);
            assertEquals(64, fp.length());
            try (TrainedModel again = ModelStore.load(out)) {
                assertEquals(fp, ModelFingerprint.of(again));
            }
        }
        // a model.json naming an unknown family is a one-line model error listing the known ones
        Path meta = out.resolve(ModelStore.METADATA);
        Files.writeString(meta, Files.readString(meta).replace("\"rcf\"", "\"xyz\""));
        ModelException e = assertThrows(ModelException.class, () -> ModelStore.load(out));
        assertTrue(
                e.getMessage().contains("xyz") && e.getMessage().contains("ncf, rcf"),
                e.getMessage());
    }
}
