package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.Json;
import io.accent.core.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data prepare} writes RCF's files from item attributes of K kinds (docs/SPEC.md §11.2) when
 * there is no RCF release: triples as §1.5 with {@code share} per kind, relational rows generated
 * with the invariants of §1.6, seeded, and {@code attributes.tsv}; items without attributes have no
 * value of any kind.
 */
class PrepareRcfKindsTest {

    @TempDir Path tmp;

    /** A small synthetic MovieLens 1M directory (genres in movies.dat). */
    static Path synthetic(Path dir, long seed) {
        ScaledSyntheticGenerator.generate(
                new ScaledSyntheticConfig(
                        dir, seed, new SyntheticShape(60, 150, 4_000, SyntheticLayout.ML_1M)),
                Progress.NONE);
        return dir;
    }

    static PreparationSummary prepare(Path in, Path out, Optional<Path> attributes, long seed) {
        return DatasetPreparation.prepare(
                new PrepareConfig(
                        RatingSource.movielens(in),
                        Optional.empty(),
                        out,
                        "kinds-test",
                        SplitRule.REFERENCE,
                        false,
                        attributes,
                        seed),
                Progress.NONE);
    }

    @Test
    void movieLensGenresGiveOneKindRcfFilesThatObeyTheSpecification() throws IOException {
        Path in = synthetic(tmp.resolve("ml-1m"), 3);
        Path out = tmp.resolve("prepared");
        PreparationSummary s = prepare(in, out, Optional.empty(), 2016);
        assertTrue(s.rcf(), s.rcfSkippedReason());
        assertTrue(s.relationalGenerated());
        assertEquals(List.of("genre"), s.kinds());
        for (String f : DatasetPreparation.GENERATED_RCF_FILES) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve(AuxiliaryMapping.FILE_NAME)));

        RcfDataset d = RcfDataset.load(out);
        assertEquals(List.of("genre"), d.attributes().kinds());
        assertEquals(s.rcfTrainTriples(), d.train().size());
        assertEquals(s.relationalRows(), d.relational().size());
        assertTrue(d.relational().size() > d.train().size() / 2, "most triples get a genre row");
        // one triple per training positive, the NCF training positives of the same users
        PreparedDataset ncf = PreparedDataset.load(out);
        int positives = 0;
        for (int k = 0; k < ncf.train().size(); k++) {
            positives += ncf.train().rating(k) >= 3 ? 1 : 0;
        }
        assertEquals(positives, d.train().size());
        assertEquals(
                d.train().size(),
                RelationalInvariants.check(d.train(), d.relational(), d.attributes())
                        + triplesWithoutRows(d));
        // §1.5: each negative is a training negative of the user sharing the most genres
        checkNegatives(d, ncf);

        JsonNode json = Json.mapper().readTree(out.resolve(PreparedDataset.DESCRIPTOR).toFile());
        assertEquals("generated", json.path("relational").path("source").asText());
        assertEquals(2016, json.path("relational").path("seed").asLong());
        assertEquals(
                d.relational().size(),
                json.path("relational").path("rowsPerKind").path("genre").asInt());
        assertFalse(json.has("skipped"));
        assertFalse(json.path("counts").has("genres"));

        // deterministic for a seed, other rows for another seed, same triples
        Path again = tmp.resolve("again");
        prepare(in, again, Optional.empty(), 2016);
        for (String f : DatasetPreparation.GENERATED_RCF_FILES) {
            assertEquals(Digests.sha256(out.resolve(f)), Digests.sha256(again.resolve(f)), f);
        }
        Path other = tmp.resolve("other");
        prepare(in, other, Optional.empty(), 7);
        assertEquals(
                Digests.sha256(out.resolve(PreparedDataset.RCF_TRAIN)),
                Digests.sha256(other.resolve(PreparedDataset.RCF_TRAIN)));
        assertFalse(
                Digests.sha256(out.resolve(RelationalData.FILE_NAME))
                        .equals(Digests.sha256(other.resolve(RelationalData.FILE_NAME))));
    }

    /** Triples whose positive shares no genre with another positive of its user. */
    private static int triplesWithoutRows(RcfDataset d) {
        Map<Integer, List<Integer>> pos = new HashMap<>();
        Triples t = d.train();
        for (int k = 0; k < t.size(); k++) {
            pos.computeIfAbsent(t.user(k), u -> new java.util.ArrayList<>()).add(t.positive(k));
        }
        int n = 0;
        for (int k = 0; k < t.size(); k++) {
            boolean any = false;
            for (int j : pos.get(t.user(k))) {
                if (j != t.positive(k)) {
                    for (int v : d.attributes().values(j, 0)) {
                        for (int x : d.attributes().values(t.positive(k), 0)) {
                            any |= v == x;
                        }
                    }
                }
            }
            n += any ? 0 : 1;
        }
        return n;
    }

    /**
     * The negative of every triple is one of the user's training negatives (ncf-train rows below 3)
     * and no other training negative shares more genres with the positive.
     */
    private static void checkNegatives(RcfDataset d, PreparedDataset ncf) {
        Map<Integer, List<Integer>> negatives = new HashMap<>();
        for (int k = 0; k < ncf.train().size(); k++) {
            if (ncf.train().rating(k) < 3) {
                negatives
                        .computeIfAbsent(
                                ncf.users().raw(ncf.train().user(k)),
                                u -> new java.util.ArrayList<>())
                        .add(ncf.items().raw(ncf.train().item(k)));
            }
        }
        Triples t = d.train();
        for (int k = 0; k < t.size(); k++) {
            List<Integer> neg = negatives.get(t.user(k));
            assertTrue(neg.contains(t.negative(k)), "triple " + k);
            int best = 0;
            for (int n : neg) {
                best = Math.max(best, shared(d, t.positive(k), n));
            }
            assertEquals(best, shared(d, t.positive(k), t.negative(k)), "triple " + k);
        }
    }

    private static int shared(RcfDataset d, int a, int b) {
        int c = 0;
        for (int v : d.attributes().values(a, 0)) {
            for (int x : d.attributes().values(b, 0)) {
                c += v == x ? 1 : 0;
            }
        }
        return c;
    }

    @Test
    void anAttributeFileGivesItsKindsAndItemsWithoutAttributesHaveNone() throws IOException {
        Path in = synthetic(tmp.resolve("ml-1m"), 5);
        // five kinds over the 150 movies; movies 1..20 have none at all
        StringBuilder a = new StringBuilder(ItemAttributes.HEADER + "\n");
        String[] kinds = {"genre", "director", "actor", "country", "decade"};
        for (int i = 21; i <= 150; i++) {
            for (int k = 0; k < kinds.length; k++) {
                a.append(i).append('\t').append(kinds[k]).append('\t');
                a.append(kinds[k]).append((i * (k + 3)) % (4 + 3 * k)).append('\n');
            }
        }
        Path file = tmp.resolve("attributes.tsv");
        Files.writeString(file, a);
        Path out = tmp.resolve("prepared");
        PreparationSummary s = prepare(in, out, Optional.of(file), 11);
        assertTrue(s.rcf(), s.rcfSkippedReason());
        assertEquals(List.of(kinds), s.kinds());
        RcfDataset d = RcfDataset.load(out);
        assertEquals(5, d.attributes().kindCount());
        assertArrayEquals(new int[0], d.attributes().values(7, 2));
        // negative tails may be rated items without attributes: they lack every value
        int[] rated = new int[d.items().size()];
        for (int k = 0; k < rated.length; k++) {
            rated[k] = d.items().raw(k);
        }
        RelationalInvariants.check(d.train(), d.relational(), d.attributes().withItems(rated));
        for (int t = 1; t <= 5; t++) {
            assertTrue(d.relational().count(t) > 0, "rows of type " + t);
        }
        JsonNode json = Json.mapper().readTree(out.resolve(PreparedDataset.DESCRIPTOR).toFile());
        assertTrue(json.path("sources").has("attributes.tsv"));

        // the RCF release and an attribute file exclude each other
        assertThrows(
                ConfigException.class,
                () ->
                        new PrepareConfig(
                                RatingSource.movielens(in),
                                Optional.of(tmp.resolve("rcf")),
                                tmp.resolve("x"),
                                "x",
                                SplitRule.REFERENCE,
                                false,
                                Optional.of(file),
                                1));
    }

    @Test
    void aValueEveryItemHasLeavesRcfOutWithItsReason() throws IOException {
        Path in = PrepareParametersTest.writeCsvLayout(tmp.resolve("ml-csv"), 3);
        Path out = tmp.resolve("prepared");
        PreparationSummary s = prepare(in, out, Optional.empty(), 1);
        assertFalse(s.rcf());
        assertTrue(
                s.rcfSkippedReason().contains("every item has genre 'Drama'"),
                s.rcfSkippedReason());
        String m = assertThrows(DataException.class, () -> RcfDataset.load(out)).getMessage();
        assertTrue(m.contains("every item has genre 'Drama'"), m);
        PreparedDataset.load(out);
    }
}
