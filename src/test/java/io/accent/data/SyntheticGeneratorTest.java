package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticGeneratorTest {

    static final List<String> RAW_FILES =
            List.of("u.data", "u.item", AuxiliaryMapping.FILE_NAME, RelationalData.FILE_NAME);

    @TempDir static Path tmp;
    static Path raw;
    static SyntheticSummary synth;

    @BeforeAll
    static void generate() {
        raw = tmp.resolve("raw");
        synth = SyntheticGenerator.generate(new SyntheticConfig(raw, 7, 40, 150), Progress.NONE);
    }

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        Path again = tmp.resolve("again");
        SyntheticGenerator.generate(new SyntheticConfig(again, 7, 40, 150), Progress.NONE);
        for (String f : RAW_FILES) {
            assertArrayEquals(
                    Files.readAllBytes(raw.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
        Path other = tmp.resolve("other");
        SyntheticGenerator.generate(new SyntheticConfig(other, 8, 40, 150), Progress.NONE);
        assertFalse(
                Arrays.equals(
                        Files.readAllBytes(raw.resolve("u.data")),
                        Files.readAllBytes(other.resolve("u.data"))));
    }

    @Test
    void rawFilesHaveTheMovieLensShape() throws IOException {
        List<String> items = Files.readAllLines(raw.resolve("u.item"), StandardCharsets.ISO_8859_1);
        assertEquals(150, items.size());
        for (String line : items) {
            String[] f = line.split("\\|", -1);
            assertEquals(24, f.length, line);
            assertTrue(f[1].matches("[A-Z][A-Za-z' ]+ [A-Za-z0-9' ]*\\(\\d{4}\\)"), f[1]);
            assertTrue(f[2].matches("01-Jan-\\d{4}"), line);
            assertTrue(Arrays.stream(f, 5, 24).anyMatch("1"::equals), line);
        }
        RawRatings r = MovieLensFiles.readRatings(raw.resolve("u.data"));
        assertEquals(synth.ratings(), r.size());
        int[] perRating = new int[6];
        Map<Integer, Integer> ratingsPerUser = new HashMap<>();
        for (int k = 0; k < r.size(); k++) {
            perRating[r.ratings()[k]]++;
            ratingsPerUser.merge(r.users()[k], 1, Integer::sum);
        }
        for (int v = 1; v <= 5; v++) {
            assertTrue(perRating[v] > 0, "no rating " + v);
        }
        assertEquals(40, ratingsPerUser.size());
        // timestamps have ties within a user (the case the numpy sort emulation exists for)
        long ties = 0;
        Map<Long, Integer> seen = new HashMap<>();
        for (int k = 0; k < r.size(); k++) {
            if (seen.merge(((long) r.users()[k] << 40) ^ r.timestamps()[k], 1, Integer::sum) > 1) {
                ties++;
            }
        }
        assertTrue(ties > 100, "ties " + ties);

        AuxiliaryMapping aux = AuxiliaryMapping.read(raw.resolve(AuxiliaryMapping.FILE_NAME));
        assertEquals(148, aux.size(), "two movies are missing from the mapping");
        assertEquals(148, synth.itemsWithAttributes());
        // attribute ids are dense: every id below the vocabulary size is used
        for (int type = 1; type <= 3; type++) {
            boolean[] used = new boolean[aux.vocabularySize(type)];
            for (int item : aux.items()) {
                for (int v : aux.get(item).list(type)) {
                    used[v] = true;
                }
            }
            for (boolean u : used) {
                assertTrue(u, "type " + type + " ids are not dense");
            }
        }
    }

    @Test
    void preparationKeepsEveryUserAndRelationalRowsMatchTheTriples() {
        Path prepared = tmp.resolve("prepared");
        PreparationSummary s =
                DatasetPreparation.prepare(
                        new PrepareConfig(raw, raw, prepared, "synthetic"), Progress.NONE);
        assertEquals(40, s.users());
        assertTrue(s.ncfItems() <= 148 && s.ncfItems() > 100, "items " + s.ncfItems());
        assertTrue(s.ncfTrainRows() > 40 * 25, "rows " + s.ncfTrainRows());
        assertEquals(synth.relationalRows(), s.relationalRows());
        PreparedDataset d = PreparedDataset.load(prepared);
        assertEquals(40, d.users().size());
        assertEquals(s.ncfTrainRows(), d.train().size());
        assertTrue(d.heldOut().size() > 0);
        RcfDataset r = RcfDataset.load(prepared);
        assertEquals(s.rcfTrainTriples(), r.train().size());
        int withRows = RelationalInvariants.check(r.train(), r.relational(), r.attributes());
        assertTrue(withRows > r.train().size() / 2, "triples with relational rows: " + withRows);
    }

    @Test
    void rejectsTooSmallConfigurations() {
        assertThrows(ConfigException.class, () -> new SyntheticConfig(tmp.resolve("x"), 1, 3, 400));
        assertThrows(
                ConfigException.class, () -> new SyntheticConfig(tmp.resolve("x"), 1, 300, 10));
    }

    /** The committed default data set must be what the documented commands produce. */
    @Test
    void committedSyntheticDataIsReproducible() throws IOException {
        Path committed = Path.of("data", "synthetic");
        Assumptions.assumeTrue(
                Files.isDirectory(committed.resolve("raw")),
                "no committed data/synthetic under " + Path.of("").toAbsolutePath() + "; skipping");
        Path regenerated = tmp.resolve("default-raw");
        SyntheticGenerator.generate(
                new SyntheticConfig(
                        regenerated,
                        SyntheticConfig.DEFAULT_SEED,
                        SyntheticConfig.DEFAULT_USERS,
                        SyntheticConfig.DEFAULT_ITEMS),
                Progress.NONE);
        for (String f : RAW_FILES) {
            assertArrayEquals(
                    Files.readAllBytes(committed.resolve("raw").resolve(f)),
                    Files.readAllBytes(regenerated.resolve(f)),
                    "data/synthetic/raw/" + f);
        }
        Path prepared = tmp.resolve("default-prepared");
        DatasetPreparation.prepare(
                new PrepareConfig(regenerated, regenerated, prepared, "synthetic"), Progress.NONE);
        try (Stream<Path> files = Files.list(prepared)) {
            for (Path f : files.toList()) {
                Path c = committed.resolve("prepared").resolve(f.getFileName().toString());
                assertArrayEquals(Files.readAllBytes(c), Files.readAllBytes(f), c.toString());
            }
        }
    }
}
