package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.ncf.NcfDeviceEpochOrder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrain cache: keyed by model, identity-checked on read, free of machine-specific content.
 */
class RetrainCacheTest {

    @TempDir Path tmp;

    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final RetrainCache.SetKey KEY = new RetrainCache.SetKey(7, List.of(3, 5));

    void fill(RetrainCache c) {
        c.put(KEY, 0, new long[] {100}, new float[][] {{1.5f, 2.5f}}, new int[] {11, 12});
    }

    @Test
    void entriesOfAnotherModelAreNeitherFoundNorUsed() throws Exception {
        RetrainCache a = new RetrainCache(tmp, A, NcfDeviceEpochOrder.VERSION, 100);
        fill(a);
        assertTrue(a.has(KEY, 0));
        assertEquals(List.of(List.of(2.5, 1.5)), a.scores(KEY, 1, 100, List.of(12, 11)));
        RetrainCache b = new RetrainCache(tmp, B, NcfDeviceEpochOrder.VERSION, 100);
        assertFalse(b.has(KEY, 0), "another model's retrain counted as done");
        // an entry copied into the other model's place is refused, naming both fingerprints
        Path entry = a.directory().resolve("7-3-5").resolve("seed-0.json");
        Path moved = b.directory().resolve("7-3-5").resolve("seed-0.json");
        Files.createDirectories(moved.getParent());
        Files.copy(entry, moved);
        DataException e =
                assertThrows(DataException.class, () -> b.scores(KEY, 1, 100, List.of(11, 12)));
        assertTrue(
                e.getMessage().contains("a".repeat(16)) && e.getMessage().contains("b".repeat(16)),
                e.getMessage());
    }

    @Test
    void aTopListTheCacheDoesNotCoverIsADataErrorNotANullPointer() {
        RetrainCache a = new RetrainCache(tmp, A, NcfDeviceEpochOrder.VERSION, 100);
        fill(a);
        DataException e =
                assertThrows(DataException.class, () -> a.scores(KEY, 1, 100, List.of(11, 99)));
        assertTrue(e.getMessage().contains("item 99"), e.getMessage());
    }

    @Test
    void entriesHoldNoAbsolutePathOrMachineName() throws Exception {
        RetrainCache a = new RetrainCache(tmp, A, NcfDeviceEpochOrder.VERSION, 100);
        fill(a);
        String host = InetAddress.getLocalHost().getHostName();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f);
                assertFalse(text.contains(tmp.toString()), f + ": " + text);
                assertFalse(host.length() > 2 && text.contains(host), f + ": " + text);
                assertTrue(text.contains(A), "entry lacks its model fingerprint: " + text);
            }
        }
    }

    @Test
    void entriesOfAnotherDataOrderAreNeitherFoundNorUsed() throws Exception {
        RetrainCache v1 = new RetrainCache(tmp, A, 1, 100);
        fill(v1);
        RetrainCache now = new RetrainCache(tmp, A, NcfDeviceEpochOrder.VERSION, 100);
        assertFalse(now.has(KEY, 0), "a retrain of another data order counted as done");
        // an entry of the old layout (no version in its path or body) copied into the new place is
        // refused
        Path old =
                v1.directory()
                        .getParent()
                        .getParent()
                        .resolve("steps-100")
                        .resolve("7-3-5")
                        .resolve("seed-0.json");
        Files.createDirectories(old.getParent());
        Files.writeString(
                old,
                Files.readString(v1.directory().resolve("7-3-5").resolve("seed-0.json"))
                        .replace("\"order\":1,", ""));
        assertFalse(now.has(KEY, 0));
        Path moved = now.directory().resolve("7-3-5").resolve("seed-0.json");
        Files.createDirectories(moved.getParent());
        Files.copy(old, moved);
        DataException e =
                assertThrows(DataException.class, () -> now.scores(KEY, 1, 100, List.of(11, 12)));
        assertTrue(e.getMessage().contains("order version 1"), e.getMessage());
    }
}
