package io.accent.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.model.ModelMetadata;
import io.accent.modelio.ModelStore;
import org.junit.jupiter.api.Test;

/** The device kind that provenance records comes from TensorFlow's own device list. */
class TfSessionsTest {

    @Test
    void theDeviceListIsReadAndNamesTheCpu() {
        assertTrue(TfSessions.deviceTypes().contains("CPU"), TfSessions.deviceTypes().toString());
        assertEquals(
                TfSessions.deviceTypes().contains("GPU") ? "gpu" : "cpu", TfSessions.deviceKind());
    }

    @Test
    void aTrainedModelRecordsTheDeviceItRanOn() {
        ModelMetadata m = ModelStore.readMetadata(TestModels.smallModel());
        assertEquals(TfSessions.deviceKind(), m.provenance().device());
    }
}
