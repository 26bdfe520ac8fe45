package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a prepared directory: id conventions, lookups and errors. */
class PreparedDatasetTest {

    @TempDir static Path tmp;
    static Path prepared;

    @BeforeAll
    static void prepare() {
        Path raw = tmp.resolve("raw");
        SyntheticGenerator.generate(new SyntheticConfig(raw, 3, 30, 120), Progress.NONE);
        prepared = tmp.resolve("prepared");
        DatasetPreparation.prepare(new PrepareConfig(raw, raw, prepared, "tiny"), Progress.NONE);
    }

    private Path copy(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (var files = Files.list(prepared)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void denseIdsFollowSortedRawIds() {
        PreparedDataset d = PreparedDataset.load(prepared);
        assertEquals("tiny", d.name());
        assertEquals(Digests.sha256(prepared.resolve(PreparedDataset.NCF_TRAIN)), d.fingerprint());
        int[] users = d.users().rawIds();
        for (int k = 1; k < users.length; k++) {
            assertTrue(users[k - 1] < users[k]);
        }
        int[] items = d.items().rawIds();
        for (int k = 1; k < items.length; k++) {
            assertTrue(items[k - 1] < items[k]);
        }
        assertEquals(d.items().size(), d.train().itemCount(), "every NCF item occurs in training");
        assertEquals(d.users().size(), d.train().userCount());
        assertTrue(d.title(0).matches(".* \\(\\d{4}\\)"), d.title(0));
    }

    @Test
    void unknownIdsAreReportedClearly() {
        PreparedDataset d = PreparedDataset.load(prepared);
        DataException e = assertThrows(DataException.class, () -> d.users().require(99999, "user"));
        assertEquals("unknown user 99999: not among the 30 users of tiny", e.getMessage());
        e = assertThrows(DataException.class, () -> d.items().require(-5, "item"));
        assertTrue(e.getMessage().startsWith("unknown item -5: not among the "), e.getMessage());
        e = assertThrows(DataException.class, () -> d.title(100_000));
        assertTrue(e.getMessage().contains("item index 100000 is out of range"), e.getMessage());
    }

    @Test
    void withoutRemovesTheCounterfactualRows() {
        PreparedDataset d = PreparedDataset.load(prepared);
        Ratings train = d.train();
        int[] rows = train.rowsOf(0);
        Set<Integer> removed = Set.of(train.item(rows[0]), train.item(rows[1]));
        Ratings reduced = train.without(0, removed);
        assertEquals(train.size() - 2, reduced.size());
        for (int k = 0; k < reduced.size(); k++) {
            assertTrue(reduced.user(k) != 0 || !removed.contains(reduced.item(k)));
        }
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Path dir = copy("missing");
        Files.delete(dir.resolve(PreparedDataset.NCF_TEST));
        DataException e = assertThrows(DataException.class, () -> PreparedDataset.load(dir));
        assertEquals(dir.resolve(PreparedDataset.NCF_TEST) + ": file not found", e.getMessage());
        Path none = tmp.resolve("no-such-dir");
        e = assertThrows(DataException.class, () -> PreparedDataset.load(none));
        assertTrue(
                e.getMessage().startsWith(none.resolve("dataset.json") + ": file not found"),
                e.getMessage());
    }

    @Test
    void changedFileIsDetected() throws IOException {
        Path dir = copy("changed");
        Files.writeString(
                dir.resolve(PreparedDataset.NCF_TRAIN), "0\t0\t5\t1\n", StandardOpenOption.APPEND);
        DataException e = assertThrows(DataException.class, () -> PreparedDataset.load(dir));
        assertTrue(
                e.getMessage().startsWith(dir.resolve(PreparedDataset.NCF_TRAIN) + ": SHA-256 "),
                e.getMessage());
    }

    @Test
    void preparationErrorsNameTheInput() {
        Path empty = tmp.resolve("empty");
        DataException e =
                assertThrows(
                        DataException.class,
                        () ->
                                DatasetPreparation.prepare(
                                        new PrepareConfig(empty, empty, tmp.resolve("out"), "x"),
                                        Progress.NONE));
        assertTrue(
                e.getMessage().startsWith(empty.resolve("u.data") + ": file not found"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> new PrepareConfig(empty, empty, empty, "x"));
        assertThrows(
                ConfigException.class,
                () -> new PrepareConfig(empty, empty, tmp.resolve("o"), "a b"));
    }

    @Test
    void aTruncatedOrBinaryDescriptorIsOneLineWithoutParserText() throws IOException {
        Path dir = copy("bad-descriptor");
        Path f = dir.resolve(PreparedDataset.DESCRIPTOR);
        String json = Files.readString(f);
        Files.writeString(f, json.substring(0, json.length() / 2));
        DataException cut = assertThrows(DataException.class, () -> PreparedDataset.load(dir));
        assertTrue(
                cut.getMessage()
                        .matches(".*dataset\\.json: not valid JSON \\(line \\d+, column \\d+\\)"),
                cut.getMessage());
        Files.write(f, new byte[] {'{', (byte) 0xc3, '}'});
        DataException bin = assertThrows(DataException.class, () -> PreparedDataset.load(dir));
        assertTrue(
                bin.getMessage().endsWith("dataset.json is not UTF-8 text (line 1)"),
                bin.getMessage());
    }
}
