package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers of {@link ItemAttributes} (docs/SPEC.md §11.2) on small files made here. */
class ItemAttributesTest {

    @TempDir Path tmp;

    private Path file(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static String messageOf(Runnable r) {
        return assertThrows(DataException.class, r::run).getMessage();
    }

    @Test
    void genericFileKeepsKindsAndValuesInOrderOfFirstAppearance() throws IOException {
        Path p =
                file(
                        "a.tsv",
                        "item\tkind\tvalue\n"
                                + "5\tgenre\tDrama\n"
                                + "5\tactor\tAnn\n"
                                + "2\tgenre\tComedy\n"
                                + "2\tgenre\tDrama\n"
                                + "9\tactor\tBob\n");
        ItemAttributes a = ItemAttributes.read(p);
        assertEquals(List.of("genre", "actor"), a.kinds());
        assertArrayEquals(new int[] {5, 2, 9}, a.items());
        assertEquals(2, a.vocabularySize(0));
        assertEquals("Drama", a.valueName(0, 0));
        assertEquals("Comedy", a.valueName(0, 1));
        assertArrayEquals(new int[] {1, 0}, a.values(2, 0));
        assertArrayEquals(new int[0], a.values(9, 0));
        assertArrayEquals(new int[] {1}, a.values(9, 1));
        assertArrayEquals(new int[0], a.values(77, 1));
        assertFalse(a.contains(77));
        assertEquals(5, a.rows());
        assertEquals(1, a.kindIndex("actor"));

        Path out = tmp.resolve("out.tsv");
        a.write(out);
        assertEquals(
                "item\tkind\tvalue\n5\tgenre\tDrama\n5\tactor\tAnn\n2\tgenre\tComedy\n"
                        + "2\tgenre\tDrama\n9\tactor\tBob\n",
                Files.readString(out));
        ItemAttributes again = ItemAttributes.read(out);
        assertEquals(a.kinds(), again.kinds());
        assertArrayEquals(a.values(2, 0), again.values(2, 0));
    }

    @Test
    void genericFileErrorsNameFileAndLine() throws IOException {
        String h = "item\tkind\tvalue\n";
        assertTrue(
                messageOf(() -> ItemAttributes.read(tmp.resolve("absent.tsv")))
                        .endsWith("absent.tsv: file not found"));
        assertTrue(
                messageOf(() -> read("h.tsv", "item kind value\n1\tg\tx\n"))
                        .contains("h.tsv:1: expected header"));
        assertTrue(
                messageOf(() -> read("f.tsv", h + "1\tg\tx\n2\tg\n"))
                        .contains("f.tsv:3: expected 3 tab-separated fields, got 2"));
        assertTrue(
                messageOf(() -> read("i.tsv", h + "x\tg\tv\n"))
                        .contains("i.tsv:2: expected an integer item id, got 'x'"));
        assertTrue(
                messageOf(() -> read("n.tsv", h + "-4\tg\tv\n"))
                        .contains("n.tsv:2: negative item id -4"));
        assertTrue(messageOf(() -> read("k.tsv", h + "4\t\tv\n")).contains("k.tsv:2: empty kind"));
        assertTrue(
                messageOf(() -> read("v.tsv", h + "4\tg\t \n")).contains("v.tsv:2: empty value"));
        assertTrue(
                messageOf(() -> read("d.tsv", h + "4\tg\tv\n5\tg\tv\n4\tg\tv\n"))
                        .contains("d.tsv:4: the same row is on line 2"));
        assertTrue(messageOf(() -> read("e.tsv", h)).contains("e.tsv: no attributes"));
    }

    private ItemAttributes read(String name, String text) {
        try {
            return ItemAttributes.read(file(name, text));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String flags(int... on) {
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 19; g++) {
            boolean set = false;
            for (int x : on) {
                set |= x == g;
            }
            sb.append('|').append(set ? '1' : '0');
        }
        return sb.toString();
    }

    @Test
    void movieLens100kGenresComeFromTheFlagsAndUnknownIsNone() throws IOException {
        Path p =
                file(
                        "u.item",
                        "1|Toy Story (1995)|01-Jan-1995||http://x"
                                + flags(3, 4, 5)
                                + "\n2|Nothing (1990)|01-Jan-1990||http://x"
                                + flags(0)
                                + "\n");
        MovieLensFiles.Titles t = MovieLensFiles.readItems(RatingLayout.MOVIELENS_100K, p);
        assertEquals("Toy Story (1995)", t.map.get(1));
        ItemAttributes g = t.genres();
        assertEquals(List.of("genre"), g.kinds());
        assertArrayEquals(new int[] {1, 2}, g.items());
        assertEquals(List.of("Animation", "Children's", "Comedy"), names(g, 1));
        assertArrayEquals(new int[0], g.values(2, 0));

        Path bad = file("bad.item", "1|T|d||u" + flags(3).replaceFirst("\\|1", "|2") + "\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readItems(RatingLayout.MOVIELENS_100K, bad))
                        .contains("bad.item:1: genre flag Animation is '2', not 0 or 1"));
    }

    private static List<String> names(ItemAttributes a, int item) {
        int[] ids = a.values(item, 0);
        String[] out = new String[ids.length];
        for (int k = 0; k < ids.length; k++) {
            out[k] = a.valueName(0, ids[k]);
        }
        return List.of(out);
    }

    @Test
    void datAndCsvGenresAreSplitAtBarsAndNoGenresListedIsNone() throws IOException {
        Path dat =
                file(
                        "movies.dat",
                        "1::Toy Story (1995)::Animation|Children's|Comedy\n"
                                + "2::Odd (2015)::(no genres listed)\n");
        ItemAttributes g = MovieLensFiles.readItems(RatingLayout.MOVIELENS_DAT, dat).genres();
        assertEquals(List.of("Animation", "Children's", "Comedy"), names(g, 1));
        assertTrue(g.contains(2));
        assertArrayEquals(new int[0], g.values(2, 0));

        Path csv =
                file(
                        "movies.csv",
                        "movieId,title,genres\n"
                                + "7,\"Seven, the movie (1995)\",Crime|Thriller\n"
                                + "8,Eight (1996),Drama\n");
        ItemAttributes c = MovieLensFiles.readItems(RatingLayout.MOVIELENS_CSV, csv).genres();
        assertEquals(List.of("Crime", "Thriller"), names(c, 7));
        assertEquals(List.of("Drama"), names(c, 8));

        Path twice = file("twice.dat", "1::A (1990)::Drama\n2::B (1991)::Drama|Comedy|Drama\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readItems(RatingLayout.MOVIELENS_DAT, twice))
                        .contains("twice.dat:2: genre 'Drama' listed twice"));
        Path empty = file("empty.dat", "1::A (1990)::Drama||Comedy\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readItems(RatingLayout.MOVIELENS_DAT, empty))
                        .contains("empty.dat:1: empty genre in 'Drama||Comedy'"));
    }

    private Path hetrec(String genres, String directors, String actors) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hetrec"));
        Files.writeString(dir.resolve("movie_genres.dat"), genres);
        Files.writeString(dir.resolve("movie_directors.dat"), directors);
        Files.writeString(dir.resolve("movie_actors.dat"), actors);
        return dir;
    }

    @Test
    void hetrecHasGenreDirectorAndActorKinds() throws IOException {
        Path dir =
                hetrec(
                        "movieID\tgenre\n1\tAdventure\n1\tComedy\n3\tDrama\n",
                        "movieID\tdirectorID\tdirectorName\n1\tjohn_lasseter\tJohn Lasseter\n"
                                + "4\tjoe_johnston\tJoe Johnston\n",
                        "movieID\tactorID\tactorName\tranking\n1\tannie_potts\tAnnie Potts\t10\n"
                                + "3\tannie_potts\tAnnie Potts\t2\n1\ttom_hanks\tTom Hanks\t1\n");
        ItemAttributes a = MovieLensFiles.readHetrecAttributes(dir);
        assertEquals(List.of("genre", "director", "actor"), a.kinds());
        assertArrayEquals(new int[] {1, 3, 4}, a.items());
        assertArrayEquals(new int[] {0, 1}, a.values(1, 0));
        assertArrayEquals(new int[] {1}, a.values(4, 1));
        assertEquals("joe_johnston", a.valueName(1, 1));
        assertArrayEquals(new int[] {0, 1}, a.values(1, 2));
        assertArrayEquals(new int[] {0}, a.values(3, 2));
        assertArrayEquals(new int[0], a.values(4, 2));

        Path dup =
                hetrec(
                        "movieID\tgenre\n1\tDrama\n",
                        "movieID\tdirectorID\tdirectorName\n1\td\tD\n",
                        "movieID\tactorID\tactorName\tranking\n1\ta\tA\t1\n2\tb\tB\t1\n"
                                + "1\ta\tA again\t3\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readHetrecAttributes(dup))
                        .contains("movie_actors.dat:4: movie 1 and actor 'a' already on line 2"));
        Path header =
                hetrec(
                        "movie\tgenre\n1\tDrama\n",
                        "movieID\tdirectorID\tdirectorName\n",
                        "movieID\tactorID\tactorName\tranking\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readHetrecAttributes(header))
                        .contains("movie_genres.dat:1: expected header 'movieID\\tgenre'"));
        Path fields =
                hetrec(
                        "movieID\tgenre\n1\tDrama\n",
                        "movieID\tdirectorID\tdirectorName\n1\td\n",
                        "movieID\tactorID\tactorName\tranking\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readHetrecAttributes(fields))
                        .contains("movie_directors.dat:2: expected 3 tab-separated fields"));
    }

    @Test
    void auxiliaryMappingKeepsItsIds() throws IOException {
        Path p = file("aux.txt", "10|3,1|0|2,5\n11|1|4|5\n");
        AuxiliaryMapping aux = AuxiliaryMapping.read(p);
        ItemAttributes a = ItemAttributes.of(aux);
        assertEquals(List.of("genre", "director", "actor"), a.kinds());
        assertArrayEquals(new int[] {10, 11}, a.items());
        assertEquals(4, a.vocabularySize(0));
        assertEquals(5, a.vocabularySize(1));
        assertEquals(6, a.vocabularySize(2));
        assertArrayEquals(new int[] {3, 1}, a.values(10, 0));
        assertArrayEquals(new int[] {4}, a.values(11, 1));
        assertArrayEquals(new int[] {2, 5}, a.values(10, 2));
        assertEquals("5", a.valueName(2, 5));
    }
}
