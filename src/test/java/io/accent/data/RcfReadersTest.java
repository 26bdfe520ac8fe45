package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.core.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RCF side of preparation and loading on a hand-made input whose triples (docs/SPEC.md §1.5),
 * test pairs, attribute sharing (§1.8) and item id space (§1.6) were worked out by hand.
 *
 * <p>User 7 rates positives P1..P10 (raw items 1..10) and negatives N1..N10 (raw items 101..110);
 * P_k at time 100k and N_k at 100k+50, rows written newest first. Item 999 (rated 5, time 5) is not
 * in the auxiliary mapping and must be ignored. User 3 has too few ratings and is dropped. Every
 * movie m has its own attributes (genres 1000+m, 2000+m; director 3000+m; actors 4000+m, 5000+m)
 * except for these shared ones: genre 7 in P1, P2, N3, N5; actor 9 in P1 and N5; genres 11/12 in P3
 * (11, 12), N6 (11) and N7 (12, 11); director 77 in P8 and N2; P4 has two directors, the second
 * being N4's only director (3104).
 *
 * <p>Negative chosen for each training positive P1..P8 (trainNeg = N1..N8, `used` counts):
 *
 * <ul>
 *   <li>P1: N3 shares one type (genre 7), N5 two (genre 7, actor 9) → N5.
 *   <li>P2: N3 and N5 both share genre 7 only; N5 is already used once, which is not strictly
 *       smaller than N3's 0 → N3 (the first with one type).
 *   <li>P3: N6 shares 1 genre, N7 2 genres (same number of types, more tags) → N7.
 *   <li>P4: only N4 shares something (director 3104, one-element list in N4) → N4.
 *   <li>P5: nothing shared; N1 is first with used 0 and nothing is strictly smaller → N1.
 *   <li>P6: nothing shared; N1 used 1, N2 used 0 → N2.
 *   <li>P7: nothing shared; N1..N5 used once, N6 is the first unused → N6.
 *   <li>P8: N2 shares director 77 (both one-element lists) → N2 although it is used.
 * </ul>
 *
 * Test pairs: nPosTest = nNegTest = 2, newest first: (P10,N10), (P10,N9), (P9,N10), (P9,N9).
 */
class RcfReadersTest {

    static final int[] EXPECTED_POS = {1, 2, 3, 4, 5, 6, 7, 8};
    static final int[] EXPECTED_NEG = {105, 103, 107, 104, 101, 102, 106, 102};

    @TempDir static Path tmp;
    static Path prepared;
    static PreparationSummary summary;

    static int[] attrs(int m, int kind) {
        return switch (kind) {
            case 1 -> new int[] {1000 + m, 2000 + m};
            case 2 -> new int[] {3000 + m};
            default -> new int[] {4000 + m, 5000 + m};
        };
    }

    static String list(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < ids.length; k++) {
            sb.append(k > 0 ? "," : "").append(ids[k]);
        }
        return sb.toString();
    }

    @BeforeAll
    static void prepare() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        List<String> data = new ArrayList<>();
        for (int k = 10; k >= 1; k--) {
            data.add("7\t" + (100 + k) + "\t" + (k == 4 ? 2 : 1) + "\t" + (100 * k + 50));
            data.add("7\t" + k + "\t" + (k == 3 ? 3 : 5) + "\t" + (100 * k));
        }
        data.add("7\t999\t5\t5");
        data.add("3\t1\t5\t7");
        data.add("3\t101\t1\t8");
        Files.write(in.resolve("u.data"), data, StandardCharsets.ISO_8859_1);

        List<Integer> movies = new ArrayList<>();
        for (int k = 1; k <= 10; k++) {
            movies.add(k);
            movies.add(100 + k);
        }
        movies.add(500);
        List<String> items = new ArrayList<>();
        for (int m : movies) {
            items.add(
                    m
                            + "|Title "
                            + m
                            + "|01-Jan-1995||http://x/"
                            + m
                            + "|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0");
        }
        items.add("999|Title 999|01-Jan-1995||http://x/999|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0");
        Files.write(in.resolve("u.item"), items, StandardCharsets.ISO_8859_1);

        Map<Integer, int[][]> overrides = new TreeMap<>();
        overrides.put(1, new int[][] {{7, 1001}, null, {9, 4001}});
        overrides.put(2, new int[][] {{1002, 7}, null, null});
        overrides.put(3, new int[][] {{11, 12}, null, null});
        overrides.put(4, new int[][] {null, {3004, 3104}, null});
        overrides.put(8, new int[][] {null, {77}, null});
        overrides.put(102, new int[][] {null, {77}, null});
        overrides.put(103, new int[][] {{7, 2103}, null, null});
        overrides.put(105, new int[][] {{2105, 7}, null, {9, 5105}});
        overrides.put(106, new int[][] {{11, 2106}, null, null});
        overrides.put(107, new int[][] {{12, 11}, null, null});
        List<String> aux = new ArrayList<>();
        for (int m : movies) {
            int[][] o = overrides.getOrDefault(m, new int[3][]);
            StringBuilder sb = new StringBuilder().append(m);
            for (int kind = 1; kind <= 3; kind++) {
                sb.append('|').append(list(o[kind - 1] != null ? o[kind - 1] : attrs(m, kind)));
            }
            aux.add(sb.toString());
        }
        Files.write(in.resolve(AuxiliaryMapping.FILE_NAME), aux, StandardCharsets.ISO_8859_1);
        Files.writeString(
                in.resolve(RelationalData.FILE_NAME),
                RelationalData.HEADER + "\n1,1,7,2,500\n2,1,7,1,104\n4,2,3104,6,500\n");

        prepared = tmp.resolve("prepared");
        summary =
                DatasetPreparation.prepare(
                        new PrepareConfig(in, in, prepared, "hand"), Progress.NONE);
    }

    @Test
    void preparationCountsFollowTheHandWorkedSplit() {
        assertEquals(1, summary.users());
        assertEquals(16, summary.ncfItems()); // P1..P8 and N1..N8
        assertEquals(8, summary.rcfTrainTriples());
        assertEquals(4, summary.rcfTestPairs());
        assertEquals(3, summary.relationalRows());
        // 1..10, 101..107, 109, 110 from triples and pairs (N8 = 108 is never chosen), 500 from a
        // tail
        assertEquals(20, summary.rcfItems());
    }

    @Test
    void loadedDatasetHasTheHandWorkedTriplesPairsAndItems() throws IOException {
        RcfDataset d = RcfDataset.load(prepared);
        assertEquals("hand", d.name());
        assertEquals(1, d.users().size());
        assertEquals(7, d.users().raw(0));

        Triples train = d.train();
        assertEquals(8, train.size());
        assertArrayEquals(new int[] {7, 7, 7, 7, 7, 7, 7, 7}, train.users());
        assertArrayEquals(EXPECTED_POS, train.positives());
        assertArrayEquals(EXPECTED_NEG, train.negatives());
        assertEquals(
                Triples.of(
                        new int[] {7, 7, 7, 7},
                        new int[] {10, 10, 9, 9},
                        new int[] {110, 109, 110, 109}),
                d.test());

        int[] items = {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 101, 102, 103, 104, 105, 106, 107, 109, 110, 500
        };
        assertArrayEquals(items, d.items().rawIds());
        for (int k = 0; k < items.length; k++) {
            assertEquals("Title " + items[k], d.title(k));
        }
        DataException low = assertThrows(DataException.class, () -> d.title(-1));
        assertTrue(
                low.getMessage().contains("item index -1 is out of range 0..19 of hand"),
                low.getMessage());
        assertThrows(DataException.class, () -> d.title(20));
        assertEquals(Digests.sha256(prepared.resolve(PreparedDataset.RCF_TRAIN)), d.fingerprint());
        assertEquals("RcfDataset[hand, 1 users, 20 items, 8 triples]", d.toString());

        // dense form: user 7 -> 0; item raw r -> its rank in the list above
        Triples dense = train.toIndices(d.users(), d.items());
        assertArrayEquals(new int[8], dense.users());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, dense.positives());
        assertArrayEquals(new int[] {14, 12, 16, 13, 10, 11, 15, 11}, dense.negatives());
        assertEquals(12, dense.negative(1));
        assertEquals(2, dense.positive(2));
        assertEquals(0, dense.user(2));
    }

    @Test
    void relationalRowsAndAttributesAreReadAsWritten() {
        RcfDataset d = RcfDataset.load(prepared);
        RelationalData r = d.relational();
        assertEquals(3, r.size());
        assertArrayEquals(new int[] {1, 2, 4}, r.heads());
        assertArrayEquals(new int[] {1, 1, 2}, r.types());
        assertArrayEquals(new int[] {7, 7, 3104}, r.values());
        assertArrayEquals(new int[] {2, 1, 6}, r.tailPositives());
        assertArrayEquals(new int[] {500, 104, 500}, r.tailNegatives());
        assertEquals(2, r.count(MovieAttributes.GENRE));
        assertEquals(1, r.count(MovieAttributes.DIRECTOR));
        assertEquals(0, r.count(MovieAttributes.ACTOR));
        assertEquals(4, r.head(2));
        assertEquals(2, r.type(2));
        assertEquals(3104, r.value(2));
        assertEquals(6, r.tailPositive(2));
        assertEquals(500, r.tailNegative(2));

        RelationalData dense = r.toIndices(d.items());
        assertArrayEquals(new int[] {0, 1, 3}, dense.heads());
        assertArrayEquals(new int[] {1, 0, 5}, dense.tailPositives());
        assertArrayEquals(new int[] {19, 13, 19}, dense.tailNegatives());
        assertArrayEquals(r.types(), dense.types());
        assertArrayEquals(r.values(), dense.values());
        assertEquals(
                RelationalData.of(
                        new int[] {1, 2, 4},
                        new int[] {1, 1, 2},
                        new int[] {7, 7, 3104},
                        new int[] {2, 1, 6},
                        new int[] {500, 104, 500}),
                r);
        assertNotEquals(r, dense);
        assertEquals("RelationalData[3 rows]", r.toString());

        ItemAttributes kinds = d.attributes();
        assertEquals(List.of("genre", "director", "actor"), kinds.kinds());
        assertArrayEquals(new int[] {7, 1001}, kinds.values(1, 0));
        assertArrayEquals(new int[] {3004, 3104}, kinds.values(4, 1));
        assertEquals(2501, kinds.vocabularySize(0));
        assertEquals(5501, kinds.vocabularySize(2));
        AuxiliaryMapping aux = AuxiliaryMapping.read(prepared.resolve(AuxiliaryMapping.FILE_NAME));
        assertEquals(21, aux.size());
        assertTrue(aux.contains(500));
        assertFalse(aux.contains(999));
        assertTrue(aux.attributes(999).isEmpty());
        assertArrayEquals(new int[] {7, 1001}, aux.attributes(1).orElseThrow().genres());
        assertArrayEquals(new int[] {3004, 3104}, aux.attributes(4).orElseThrow().directors());
        assertArrayEquals(new int[] {9, 5105}, aux.attributes(105).orElseThrow().actors());
        // largest ids + 1: genre 2000+500, director 3000+500, actor 5000+500
        assertEquals(2501, aux.genreCount());
        assertEquals(3501, aux.directorCount());
        assertEquals(5501, aux.actorCount());
        assertEquals(2501, aux.vocabularySize(MovieAttributes.GENRE));
        assertEquals(3501, aux.vocabularySize(MovieAttributes.DIRECTOR));
        assertEquals(5501, aux.vocabularySize(MovieAttributes.ACTOR));
        assertThrows(IllegalArgumentException.class, () -> aux.vocabularySize(4));
    }

    @Test
    void shareFollowsTheSecondListsOrderAndTheOneElementRule() {
        MovieAttributes m1 =
                new MovieAttributes(new int[] {1, 2, 3}, new int[] {5}, new int[] {8, 9});
        MovieAttributes m2 = new MovieAttributes(new int[] {3, 4, 1}, new int[] {5}, new int[] {7});
        MovieAttributes m3 = new MovieAttributes(new int[] {2}, new int[] {6, 5}, new int[] {9, 8});
        // several elements on both sides: m2's order
        assertArrayEquals(new int[] {3, 1}, MovieAttributes.shared(m1, m2, MovieAttributes.GENRE));
        assertArrayEquals(new int[] {1, 3}, MovieAttributes.shared(m2, m1, MovieAttributes.GENRE));
        assertArrayEquals(new int[] {9, 8}, MovieAttributes.shared(m1, m3, MovieAttributes.ACTOR));
        // one-element list on either side
        assertArrayEquals(new int[] {5}, MovieAttributes.shared(m1, m2, MovieAttributes.DIRECTOR));
        assertArrayEquals(new int[] {2}, MovieAttributes.shared(m1, m3, MovieAttributes.GENRE));
        assertArrayEquals(new int[] {2}, MovieAttributes.shared(m3, m1, MovieAttributes.GENRE));
        assertArrayEquals(new int[] {5}, MovieAttributes.shared(m3, m1, MovieAttributes.DIRECTOR));
        assertArrayEquals(new int[0], MovieAttributes.shared(m1, m2, MovieAttributes.ACTOR));
        assertArrayEquals(new int[0], MovieAttributes.shared(m2, m1, MovieAttributes.ACTOR));
        assertArrayEquals(new int[0], MovieAttributes.shared(m2, m3, MovieAttributes.GENRE));
        assertArrayEquals(new int[0], MovieAttributes.shared(m3, m2, MovieAttributes.GENRE));
        // the rule differs from a plain intersection only with repeated ids (§1.8)
        MovieAttributes m4 =
                new MovieAttributes(new int[] {2, 2}, new int[] {5, 5}, new int[] {1, 9, 9});
        assertArrayEquals(new int[] {2}, MovieAttributes.shared(m3, m4, MovieAttributes.GENRE));
        assertArrayEquals(new int[] {2}, MovieAttributes.shared(m4, m3, MovieAttributes.GENRE));
        assertArrayEquals(new int[] {5}, MovieAttributes.shared(m1, m4, MovieAttributes.DIRECTOR));
        assertArrayEquals(new int[] {9, 9}, MovieAttributes.shared(m1, m4, MovieAttributes.ACTOR));
        assertArrayEquals(new int[] {9}, MovieAttributes.shared(m4, m1, MovieAttributes.ACTOR));
        for (MovieAttributes a : List.of(m1, m2, m3, m4)) {
            for (MovieAttributes b : List.of(m1, m2, m3, m4)) {
                for (int t = 1; t <= 3; t++) {
                    assertEquals(
                            MovieAttributes.shared(a, b, t).length,
                            MovieAttributes.sharedCount(a, b, t));
                }
            }
        }

        assertArrayEquals(new int[] {6, 5}, m3.ofType(MovieAttributes.DIRECTOR));
        assertArrayEquals(new int[] {9, 8}, m3.ofType(MovieAttributes.ACTOR));
        assertTrue(m3.has(MovieAttributes.DIRECTOR, 5));
        assertFalse(m3.has(MovieAttributes.GENRE, 5));
        assertThrows(IllegalArgumentException.class, () -> m3.ofType(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MovieAttributes(new int[0], new int[] {1}, new int[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MovieAttributes(new int[] {1}, new int[0], new int[] {1}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MovieAttributes(new int[] {1}, new int[] {1}, new int[0]));
        // accessors return copies
        m3.ofType(MovieAttributes.GENRE)[0] = 99;
        m3.genres()[0] = 99;
        m3.directors()[0] = 99;
        m3.actors()[0] = 99;
        assertEquals(new MovieAttributes(new int[] {2}, new int[] {6, 5}, new int[] {9, 8}), m3);
        assertEquals(
                new MovieAttributes(new int[] {2}, new int[] {6, 5}, new int[] {9, 8}).hashCode(),
                m3.hashCode());
        assertNotEquals(m1, m2);
        assertEquals("MovieAttributes[genres=[2], directors=[6, 5], actors=[9, 8]]", m3.toString());
    }

    @Test
    void triplesRoundTripAndCheckTheirColumns() throws IOException {
        Triples t = Triples.of(new int[] {3, 4}, new int[] {10, 11}, new int[] {20, 21});
        Path f = tmp.resolve("t.csv");
        t.write(f);
        assertEquals("user,pos_item,neg_item\n3,10,20\n4,11,21\n", Files.readString(f));
        Triples back = Triples.read(f);
        assertEquals(t, back);
        assertEquals(t.hashCode(), back.hashCode());
        assertNotEquals(t, Triples.of(new int[] {3, 4}, new int[] {10, 11}, new int[] {20, 22}));
        assertNotEquals(t, Triples.of(new int[] {3, 4}, new int[] {10, 12}, new int[] {20, 21}));
        assertNotEquals(t, Triples.of(new int[] {3, 5}, new int[] {10, 11}, new int[] {20, 21}));
        assertEquals("Triples[2 rows]", t.toString());
        assertEquals(4, t.user(1));
        assertEquals(11, t.positive(1));
        assertEquals(21, t.negative(1));
        t.users()[0] = 0;
        t.positives()[0] = 0;
        t.negatives()[0] = 0;
        assertEquals(back, t);
        assertThrows(
                IllegalArgumentException.class,
                () -> Triples.of(new int[1], new int[2], new int[2]));
        assertThrows(
                IllegalArgumentException.class,
                () -> Triples.of(new int[2], new int[2], new int[1]));

        Files.writeString(f, "user,pos_item,neg_item\n3,10\n");
        DataException e = assertThrows(DataException.class, () -> Triples.read(f));
        assertTrue(e.getMessage().contains(f + ":2"), e.getMessage());
        IdMap users = IdMap.of(new int[] {3});
        IdMap items = IdMap.of(new int[] {10, 11, 20, 21});
        assertThrows(DataException.class, () -> t.toIndices(users, items));
    }

    @Test
    void relationalRowsRoundTripAndBadRowsNameTheLine() throws IOException {
        RelationalData r =
                RelationalData.of(
                        new int[] {1, 2},
                        new int[] {3, 2},
                        new int[] {0, 4},
                        new int[] {5, 6},
                        new int[] {7, 8});
        Path f = tmp.resolve("r.csv");
        r.write(f);
        assertEquals(
                "head,type,value,tail_pos,tail_neg\n1,3,0,5,7\n2,2,4,6,8\n", Files.readString(f));
        assertEquals(r, RelationalData.read(f));
        assertEquals(r.hashCode(), RelationalData.read(f).hashCode());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RelationalData.of(
                                new int[2], new int[2], new int[2], new int[2], new int[1]));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RelationalData.of(
                                new int[2], new int[1], new int[2], new int[2], new int[2]));

        for (String bad : List.of("1,0,4,5,6", "1,4,4,5,6", "1,1,-1,5,6")) {
            Files.writeString(f, RelationalData.HEADER + "\n1,1,4,5,6\n" + bad + "\n");
            DataException e = assertThrows(DataException.class, () -> RelationalData.read(f), bad);
            assertTrue(e.getMessage().contains(f + ":3"), e.getMessage());
        }
        for (String good : List.of("1,1,0,5,6", "1,3,4,5,6")) {
            Files.writeString(f, RelationalData.HEADER + "\n" + good + "\n");
            assertEquals(1, RelationalData.read(f).size());
        }
    }
}
