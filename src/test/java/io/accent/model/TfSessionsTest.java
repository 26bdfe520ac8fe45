package io.accent.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
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
