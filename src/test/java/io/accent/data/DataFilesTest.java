package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers of the raw and prepared files: values, and errors that name file, line and content. */
class DataFilesTest {

    @TempDir Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.ISO_8859_1));
        return p;
    }

    private static String messageOf(Runnable r) {
        return assertThrows(DataException.class, r::run).getMessage();
    }

    @Test
    void readsUData() throws IOException {
        Path p = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        RawRatings r = MovieLensFiles.readRatings(p);
        assertEquals(2, r.size());
        assertEquals(186, r.users()[1]);
        assertEquals(302, r.items()[1]);
        assertEquals(3, r.ratings()[1]);
        assertEquals(891717742L, r.timestamps()[1]);
    }

    @Test
    void uDataLineWithTooFewFieldsNamesFileLineAndContent() throws IOException {
        Path p = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\n");
        String m = messageOf(() -> MovieLensFiles.readRatings(p));
        assertEquals(p + ":3: expected 4 tab-separated fields, got 3: '22\t377\t1'", m);
    }

    @Test
    void truncatedLastLineIsReported() throws IOException {
        Path p = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t");
        String m = messageOf(() -> MovieLensFiles.readRatings(p));
        assertEquals(p + ":2: expected an integer timestamp, got '': '186\t302\t3\t'", m);
    }

    @Test
    void badValuesInUData() throws IOException {
        Path rating = write("u.data", "1\t2\t7\t100\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readRatings(rating))
                        .startsWith(rating + ":1: rating 7 is not in 1..5"));
        Path text = write("u2.data", "1\tx\t3\t100\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readRatings(text))
                        .startsWith(text + ":1: expected an integer item id, got 'x'"));
        Path dup = write("u3.data", "1\t2\t3\t100\n1\t2\t4\t200\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readRatings(dup))
                        .startsWith(dup + ":2: user 1 already rated item 2 on line 1"));
        Path blank = write("u4.data", "1\t2\t3\t100\n\n1\t3\t3\t100\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readRatings(blank))
                        .startsWith(blank + ":2: expected 4 tab-separated fields, got 1"));
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("nothing/u.data");
        assertEquals(p + ": file not found", messageOf(() -> MovieLensFiles.readRatings(p)));
    }

    @Test
    void readsUItemInLatin1() throws IOException {
        String line =
                "1633|\u00c1 k\u00f6ldum klaka (Cold Fever) (1994)|08-Mar-1997||http://x|"
                        + "0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n";
        Path p = write("u.item", line);
        Map<Integer, String> titles = MovieLensFiles.readTitles(p);
        assertEquals("\u00c1 k\u00f6ldum klaka (Cold Fever) (1994)", titles.get(1633));
        Path bad = write("u2.item", line + "2|GoldenEye (1995)|01-Jan-1995\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readTitles(bad))
                        .startsWith(
                                bad + ":2: expected 24 '|'-separated fields, got 3: '2|GoldenEye"));
    }

    @Test
    void readsAuxiliaryMapping() throws IOException {
        Path p = write("auxiliary-mapping.txt", "1|0,1,2|0|0,1,2,3\n2|3,1,4|1|4,5,6,7\n");
        AuxiliaryMapping m = AuxiliaryMapping.read(p);
        assertEquals(2, m.size());
        assertEquals(5, m.genreCount());
        assertEquals(2, m.directorCount());
        assertEquals(8, m.actorCount());
        MovieAttributes a = m.attributes(2).orElseThrow();
        assertEquals(3, a.genres()[0]);
        assertTrue(m.attributes(3).isEmpty());
    }

    @Test
    void malformedAuxiliaryMappingLines() throws IOException {
        Path empty = write("a1.txt", "1|0,1|0|0\n2||1|4\n");
        assertEquals(
                empty + ":2: expected a comma-separated list of integer genre id, got '': '2||1|4'",
                messageOf(() -> AuxiliaryMapping.read(empty)));
        Path dup = write("a2.txt", "1|0,1|0|3,3\n");
        assertEquals(
                dup + ":1: duplicate actor id 3 in '3,3': '1|0,1|0|3,3'",
                messageOf(() -> AuxiliaryMapping.read(dup)));
        Path truncated = write("a3.txt", "1|0,1|0|3\n2|0,1|0");
        assertEquals(
                truncated + ":2: expected 4 '|'-separated fields, got 3: '2|0,1|0'",
                messageOf(() -> AuxiliaryMapping.read(truncated)));
    }

    @Test
    void relationalDataNeedsHeaderAndValidType() throws IOException {
        Path ok =
                write(
                        "r.csv",
                        "head,type,value,tail_pos,tail_neg\n300,1,6,299,1033\n300,2,56,684,713\n");
        RelationalData r = RelationalData.read(ok);
        assertEquals(2, r.size());
        assertEquals(56, r.value(1));
        Path noHeader = write("r2.csv", "300,1,6,299,1033\n");
        assertTrue(
                messageOf(() -> RelationalData.read(noHeader))
                        .startsWith(
                                noHeader
                                        + ":1: expected header"
                                        + " 'head,type,value,tail_pos,tail_neg'"));
        Path badType = write("r3.csv", "head,type,value,tail_pos,tail_neg\n300,4,6,299,1033\n");
        assertTrue(
                messageOf(() -> RelationalData.read(badType))
                        .startsWith(badType + ":2: type 4 is not"));
    }

    @Test
    void triplesRoundTrip() throws IOException {
        Triples t = Triples.of(new int[] {186, 186}, new int[] {300, 322}, new int[] {250, 295});
        Path p = dir.resolve("train.csv");
        t.write(p);
        assertEquals("user,pos_item,neg_item\n186,300,250\n186,322,295\n", Files.readString(p));
        assertEquals(t, Triples.read(p));
        Path bad = write("bad.csv", "user,pos_item,neg_item\n186,300\n");
        assertEquals(
                bad + ":2: expected 3 comma-separated fields, got 2: '186,300'",
                messageOf(() -> Triples.read(bad)));
    }

    @Test
    void ratingsRoundTripAndErrors() throws IOException {
        Ratings r =
                Ratings.of(
                        new int[] {0, 0, 1},
                        new int[] {2, 1, 0},
                        new float[] {5f, 1f, 3.5f},
                        new long[] {10, 10, 12});
        Path p = dir.resolve("r.tsv");
        r.write(p);
        assertEquals("0\t2\t5\t10\n0\t1\t1\t10\n1\t0\t3.5\t12\n", Files.readString(p));
        assertEquals(r, Ratings.read(p));
        Path bad = write("bad.tsv", "0\t2\t5\t10\n0\t1\tgood\t10\n");
        assertEquals(
                bad + ":2: expected a number rating, got 'good': '0\t1\tgood\t10'",
                messageOf(() -> Ratings.read(bad)));
    }

    @Test
    void ratingsWithoutDropsOnlyThatUsersItems() {
        Ratings r =
                Ratings.of(
                        new int[] {0, 0, 1, 0},
                        new int[] {2, 1, 2, 3},
                        new float[] {5, 1, 3, 4},
                        new long[] {1, 2, 3, 4});
        Ratings w = r.without(0, Set.of(2, 3));
        assertEquals(2, w.size());
        assertEquals(1, w.item(0));
        assertEquals(1, w.user(1));
        assertEquals(2, w.item(1));
        assertEquals(3f, w.rating(1));
        assertEquals(4, r.size(), "original unchanged");
        assertEquals(r, r.without(5, Set.of(2)));
    }

    @Test
    void idMapLookups() {
        IdMap sorted = IdMap.of("ml-100k", new int[] {1, 3, 5, 9});
        assertEquals(2, sorted.index(5).getAsInt());
        assertTrue(sorted.index(4).isEmpty());
        assertEquals(9, sorted.raw(3));
        assertEquals(
                "unknown user 99999: not among the 4 users of ml-100k",
                messageOf(() -> sorted.require(99999, "user")));
        assertEquals("index 4 is out of range 0..3 of ml-100k", messageOf(() -> sorted.raw(4)));
        IdMap unsorted = IdMap.of(new int[] {30, 10, 20});
        assertEquals(1, unsorted.require(10, "item"));
        assertEquals(
                "unknown item 11: not among the 3 items of this id map",
                messageOf(() -> unsorted.require(11, "item")));
        assertThrows(IllegalArgumentException.class, () -> IdMap.of(new int[] {3, 1, 3}));
    }

    @Test
    void sharedAttributesFollowTheReferenceOrder() {
        MovieAttributes m1 =
                new MovieAttributes(new int[] {1, 2, 3}, new int[] {7}, new int[] {4, 5});
        MovieAttributes m2 = new MovieAttributes(new int[] {3, 9, 1}, new int[] {7}, new int[] {6});
        assertEquals(
                "[3, 1]",
                java.util.Arrays.toString(MovieAttributes.shared(m1, m2, MovieAttributes.GENRE)));
        assertEquals(
                "[7]",
                java.util.Arrays.toString(
                        MovieAttributes.shared(m1, m2, MovieAttributes.DIRECTOR)));
        assertEquals(0, MovieAttributes.sharedCount(m1, m2, MovieAttributes.ACTOR));
        assertEquals(2, MovieAttributes.sharedCount(m1, m2, MovieAttributes.GENRE));
    }
}
