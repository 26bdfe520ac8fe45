package io.accent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.modelio.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every model, the embedded one included, has a fingerprint that is stable and tells models apart.
 */
class ModelFingerprintTest {

    static final Path EMBEDDED = Path.of("saved-models", "ncf-synthetic");

    static String fingerprint(Path dir) {
        try (TrainedModel m = ModelStore.load(dir)) {
            return ModelFingerprint.of(m);
        }
    }

    @Test
    void stableAcrossLoadsAndDistinctAcrossModels() {
        String a = fingerprint(EMBEDDED);
        assertTrue(a.matches("[0-9a-f]{64}"), a);
        assertEquals(a, fingerprint(EMBEDDED));
        assertNotEquals(a, fingerprint(TestModels.smallModel()));
    }

    @Test
    void theWeightsDecideNotThePath() throws Exception {
        Path copy = copyOfSmallModel();
        assertEquals(fingerprint(TestModels.smallModel()), fingerprint(copy));
    }

    @Test
    void theHyperparametersAreCovered() throws Exception {
        // the network and retraining read model.json's config: a changed value is another model
        Path copy = copyOfSmallModel();
        Path meta = copy.resolve(ModelStore.METADATA);
        String json = Files.readString(meta);
        String edited =
                json.replaceFirst("\"learning_rate\" : [0-9.eE-]+", "\"learning_rate\" : 0.5");
        assertNotEquals(json, edited);
        Files.writeString(meta, edited);
        assertNotEquals(fingerprint(TestModels.smallModel()), fingerprint(copy));
    }

    private static Path copyOfSmallModel() throws Exception {
        Path copy = Files.createTempDirectory("fp").resolve("m");
        try (var walk = Files.walk(TestModels.smallModel())) {
            for (Path p : walk.toList()) {
                Path t = copy.resolve(TestModels.smallModel().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return copy;
    }
}
