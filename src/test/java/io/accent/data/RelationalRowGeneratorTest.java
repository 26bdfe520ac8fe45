package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.core.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RelationalRowGenerator} against the invariants of docs/SPEC.md §1.6, checked by {@link
 * RelationalInvariants} (written without the generator's code), on hand-made cases and on MovieLens
 * 100K with the RCF release's mapping.
 */
class RelationalRowGeneratorTest {

    @TempDir Path tmp;

    /**
     * One kind. User 1 has positives 1, 2, 3 (genres {a}, {a, b}, {c}); user 2 has 4 and 5 ({c},
     * none). Triple (1, 1): 2 shares a → row (1, 1, a, 2, ·). (1, 2): 1 shares a → (2, 1, a, 1, ·).
     * (1, 3): nothing. (2, 4), (2, 5): nothing (5 has no genre). Catalogue 1..6 (6 has {a}): items
     * lacking a are 3, 4, 5.
     */
    @Test
    void oneKindByHand() {
        ItemAttributes.Builder b = new ItemAttributes.Builder();
        int g = b.kind("genre");
        String[][] genres = {{"a"}, {"a", "b"}, {"c"}, {"c"}, {}, {"a"}};
        for (int i = 0; i < genres.length; i++) {
            b.item(i + 1);
            for (String v : genres[i]) {
                b.add(i + 1, g, v);
            }
        }
        ItemAttributes attrs = b.build();
        Triples train =
                Triples.of(
                        new int[] {1, 1, 1, 2, 2},
                        new int[] {1, 2, 3, 4, 5},
                        new int[] {9, 9, 9, 9, 9});
        for (long seed = 0; seed < 20; seed++) {
            RelationalData rel = RelationalRowGenerator.generate(train, attrs, seed);
            assertEquals(2, rel.size());
            assertEquals(2, RelationalInvariants.check(train, rel, attrs));
            assertEquals(1, rel.head(0));
            assertEquals(2, rel.tailPositive(0));
            assertEquals(2, rel.head(1));
            assertEquals(1, rel.tailPositive(1));
            for (int r = 0; r < 2; r++) {
                assertEquals(1, rel.type(r));
                assertEquals(0, rel.value(r));
                int neg = rel.tailNegative(r);
                assertTrue(neg == 3 || neg == 4 || neg == 5, "tail_neg " + neg);
            }
        }
    }

    /** A random catalogue with five kinds, some items lacking some kinds, and eight users. */
    static ItemAttributes fiveKinds(SplittableRandom rng, int items) {
        ItemAttributes.Builder b = new ItemAttributes.Builder();
        int[] vocab = {3, 6, 10, 2, 25};
        for (int k = 0; k < vocab.length; k++) {
            b.kind("kind" + k);
        }
        for (int i = 1; i <= items; i++) {
            b.item(i);
            for (int k = 0; k < vocab.length; k++) {
                int count = rng.nextInt(4) == 0 ? 0 : 1 + rng.nextInt(3);
                for (int c = 0; c < count; c++) {
                    b.add(i, k, "v" + rng.nextInt(vocab[k]));
                }
            }
        }
        return b.build();
    }

    static Triples triples(SplittableRandom rng, int users, int perUser, int items) {
        IntList u = new IntList();
        IntList p = new IntList();
        IntList n = new IntList();
        for (int user = 1; user <= users; user++) {
            boolean[] taken = new boolean[items + 1];
            for (int q = 0; q < perUser; q++) {
                int item;
                do {
                    item = 1 + rng.nextInt(items);
                } while (taken[item]);
                taken[item] = true;
                u.add(user);
                p.add(item);
                n.add(1 + rng.nextInt(items));
            }
        }
        return Triples.of(u.toArray(), p.toArray(), n.toArray());
    }

    @Test
    void fiveKindsObeyTheInvariantsAndAreDeterministic() {
        SplittableRandom rng = new SplittableRandom(5);
        ItemAttributes attrs = fiveKinds(rng, 60);
        Triples train = triples(rng, 8, 12, 60);
        RelationalData rel = RelationalRowGenerator.generate(train, attrs, 17);
        int withRows = RelationalInvariants.check(train, rel, attrs);
        assertTrue(withRows > 0 && withRows <= train.size());
        for (int t = 1; t <= 5; t++) {
            assertTrue(rel.count(t) > 0, "no row of type " + t);
        }
        assertEquals(rel, RelationalRowGenerator.generate(train, attrs, 17));
        RelationalData other = RelationalRowGenerator.generate(train, attrs, 18);
        assertNotEquals(rel, other);
        RelationalInvariants.check(train, other, attrs);
    }

    @Test
    void lackingFindsTheRthPositionWithoutTheValue() {
        int[] has = {0, 1, 4, 5, 9};
        int[] expected = {2, 3, 6, 7, 8, 10, 11};
        for (int r = 0; r < expected.length; r++) {
            assertEquals(expected[r], RelationalRowGenerator.lacking(has, r));
        }
        assertEquals(3, RelationalRowGenerator.lacking(new int[0], 3));
    }

    @Test
    void refusesAPositiveOutsideTheCatalogueAndAValueEveryItemHas() {
        ItemAttributes.Builder b = new ItemAttributes.Builder();
        int g = b.kind("genre");
        b.item(1);
        b.add(1, g, "a");
        b.item(2);
        b.add(2, g, "a");
        ItemAttributes attrs = b.build();
        String outside =
                assertThrows(
                                DataException.class,
                                () ->
                                        RelationalRowGenerator.generate(
                                                Triples.of(
                                                        new int[] {1},
                                                        new int[] {3},
                                                        new int[] {1}),
                                                attrs,
                                                1))
                        .getMessage();
        assertTrue(outside.contains("positive item 3 has no line"), outside);
        String all =
                assertThrows(
                                DataException.class,
                                () ->
                                        RelationalRowGenerator.generate(
                                                Triples.of(
                                                        new int[] {1, 1},
                                                        new int[] {1, 2},
                                                        new int[] {2, 1}),
                                                attrs,
                                                1))
                        .getMessage();
        assertTrue(all.contains("every item has genre 'a'"), all);
    }

    /**
     * MovieLens 100K: rows generated from the prepared triples and the release's mapping fall in
     * exactly the release's groups (§1.6 fixes which (triple, type) pairs get a row), so the counts
     * per type are the release's; the draws look uniform like the release's.
     */
    @Test
    void movieLens100kMatchesTheReleaseStatistics() {
        Path shared = MovieLensPreparationTest.SHARED;
        Assumptions.assumeTrue(
                Files.isRegularFile(shared.resolve("ml-100k/u.data"))
                        && Files.isRegularFile(shared.resolve("rcf/auxiliary-mapping.txt"))
                        && Files.isRegularFile(shared.resolve("rcf/relational_data.csv")),
                "MovieLens 100K or the RCF release not found under "
                        + shared.toAbsolutePath()
                        + "; skipping the generated relational rows on real data");
        Path out = tmp.resolve("prepared");
        DatasetPreparation.prepare(
                new PrepareConfig(shared.resolve("ml-100k"), shared.resolve("rcf"), out, "ml-100k"),
                Progress.NONE);
        Triples train = Triples.read(out.resolve(PreparedDataset.RCF_TRAIN));
        ItemAttributes attrs =
                ItemAttributes.of(
                        AuxiliaryMapping.read(shared.resolve("rcf/auxiliary-mapping.txt")));
        RelationalData release = RelationalData.read(shared.resolve("rcf/relational_data.csv"));

        RelationalData rel = RelationalRowGenerator.generate(train, attrs, 42);
        assertEquals(48_521, RelationalInvariants.check(train, rel, attrs));
        assertEquals(48_521, RelationalInvariants.check(train, release, attrs));
        assertEquals(release.size(), rel.size());
        for (int t = 1; t <= 3; t++) {
            assertEquals(release.count(t), rel.count(t), "rows of type " + t);
        }
        double generated = RelationalInvariants.meanNeighbourPosition(train, rel, attrs);
        double shipped = RelationalInvariants.meanNeighbourPosition(train, release, attrs);
        assertEquals(0.5, generated, 0.01);
        assertEquals(0.5, shipped, 0.01);
        assertEquals(shipped, generated, 0.01);
        // tail_neg: how often it is one of the user's positives, generated vs. shipped
        double share = positiveNegativeShare(train, rel);
        double shippedShare = positiveNegativeShare(train, release);
        assertEquals(shippedShare, share, 0.1 * shippedShare + 0.002);
        assertEquals(rel, RelationalRowGenerator.generate(train, attrs, 42));
    }

    /** The share of rows whose tail_neg is a training positive of the triple's user. */
    private static double positiveNegativeShare(Triples train, RelationalData rel) {
        java.util.Map<Integer, java.util.Set<Integer>> pos = new java.util.HashMap<>();
        for (int k = 0; k < train.size(); k++) {
            pos.computeIfAbsent(train.user(k), u -> new java.util.HashSet<>())
                    .add(train.positive(k));
        }
        // rows come in triple order; walk both with the heads
        int hits = 0;
        int r = 0;
        for (int k = 0; k < train.size() && r < rel.size(); k++) {
            java.util.Set<Integer> mine = pos.get(train.user(k));
            int previousType = 0;
            while (r < rel.size()
                    && rel.head(r) == train.positive(k)
                    && rel.type(r) > previousType) {
                previousType = rel.type(r);
                if (mine.contains(rel.tailNegative(r))) {
                    hits++;
                }
                r++;
            }
        }
        assertEquals(rel.size(), r, "rows not matched to triples");
        return hits / (double) rel.size();
    }
}
