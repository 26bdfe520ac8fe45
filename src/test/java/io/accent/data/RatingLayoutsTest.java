package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers of every {@link RatingLayout}, layout detection, and the errors on bad rows. */
class RatingLayoutsTest {

    @TempDir Path tmp;

    private Path write(String name, String text) throws IOException {
        return write(name, text, StandardCharsets.UTF_8);
    }

    private Path write(String name, String text, Charset charset) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, text.getBytes(charset));
        return p;
    }

    private static String messageOf(Runnable r) {
        return assertThrows(DataException.class, r::run).getMessage();
    }

    @Test
    void readsMovieLensDat() throws IOException {
        Path r = write("1m/ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n");
        RawRatings raw = MovieLensFiles.readRatings(RatingLayout.MOVIELENS_DAT, r);
        assertArrayEquals(new int[] {1, 1}, raw.users());
        assertArrayEquals(new int[] {1193, 661}, raw.items());
        assertEquals(5f, raw.stars(0));
        assertEquals(978302109L, raw.timestamps()[1]);
        // 10M: half stars
        Path h = write("10m/ratings.dat", "1::122::0.5::838985046\n1::185::4.5::838983525\n");
        RawRatings half = MovieLensFiles.readRatings(RatingLayout.MOVIELENS_DAT, h);
        assertEquals(0.5f, half.stars(0));
        assertEquals(4.5f, half.stars(1));
        assertTrue(half.atLeast(1, 4.5) && !half.atLeast(0, 1));
        // 1M's movies.dat is Latin-1, 10M's UTF-8: both read
        String line = "3::Caf\u00e9 au lait (Gazon maudit) (1995)::Comedy|Romance\n";
        Path latin = write("1m/movies.dat", line, StandardCharsets.ISO_8859_1);
        Path utf = write("10m/movies.dat", line, StandardCharsets.UTF_8);
        for (Path m : new Path[] {latin, utf}) {
            assertEquals(
                    "Caf\u00e9 au lait (Gazon maudit) (1995)",
                    MovieLensFiles.readTitles(RatingLayout.MOVIELENS_DAT, m).get(3));
        }
    }

    @Test
    void readsMovieLensCsvWithQuotedTitles() throws IOException {
        Path r =
                write(
                        "20m/ratings.csv",
                        "userId,movieId,rating,timestamp\n1,2,3.5,1112486027\n1,29,3.0,1112484676\n");
        RawRatings raw = MovieLensFiles.readRatings(RatingLayout.MOVIELENS_CSV, r);
        assertEquals(2, raw.size());
        assertEquals(3.5f, raw.stars(0));
        assertEquals(3f, raw.stars(1));
        Path m =
                write(
                        "20m/movies.csv",
                        "movieId,title,genres\n"
                                + "1,Toy Story (1995),Adventure|Animation\n"
                                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
                                + "29,\"City of Lost Children, The (Cit\u00e9 des enfants perdus, La)"
                                + " (1995)\",Adventure\n"
                                + "30,\"Shanghai Triad (\"\"Yao a yao\"\") (1995)\",Crime\n");
        Map<Integer, String> titles = MovieLensFiles.readTitles(RatingLayout.MOVIELENS_CSV, m);
        assertEquals("American President, The (1995)", titles.get(11));
        assertEquals("Shanghai Triad (\"Yao a yao\") (1995)", titles.get(30));
        assertTrue(titles.get(29).contains("Cit\u00e9"));
        Path bad = write("20m/bad.csv", "movieId,title,genres\n1,a,b\n2,\"b, c\",d,e\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readTitles(RatingLayout.MOVIELENS_CSV, bad))
                        .startsWith(bad + ":3: expected 3 comma-separated fields, got 4"));
    }

    @Test
    void readsHetrec() throws IOException {
        Path r =
                write(
                        "hetrec/user_ratedmovies-timestamps.dat",
                        "userID\tmovieID\trating\ttimestamp\n75\t3\t1\t1162160236000\n"
                                + "75\t32\t4.5\t1162160624000\n");
        RawRatings raw = MovieLensFiles.readRatings(RatingLayout.HETREC, r);
        assertEquals(4.5f, raw.stars(1));
        assertEquals(1162160624000L, raw.timestamps()[1]);
        Path m =
                write(
                        "hetrec/movies.dat",
                        "id\ttitle\timdbID\tspanishTitle\n1\tToy story\t0114709\tToy story"
                                + " (juguetes)\n");
        assertEquals("Toy story", MovieLensFiles.readTitles(RatingLayout.HETREC, m).get(1));
        Path noHeader = write("hetrec2/user_ratedmovies-timestamps.dat", "75\t3\t1\t1\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readRatings(RatingLayout.HETREC, noHeader))
                        .startsWith(noHeader + ":1: expected header 'userID\\tmovieID"));
    }

    @Test
    void detectsTheLayoutFromTheRatingsFile() throws IOException {
        write("a/u.data", "");
        write("b/ratings.dat", "");
        write("c/ratings.csv", "");
        write("d/user_ratedmovies-timestamps.dat", "");
        assertEquals(RatingLayout.MOVIELENS_100K, RatingLayout.detect(tmp.resolve("a")));
        assertEquals(RatingLayout.MOVIELENS_DAT, RatingLayout.detect(tmp.resolve("b")));
        assertEquals(RatingLayout.MOVIELENS_CSV, RatingLayout.detect(tmp.resolve("c")));
        assertEquals(RatingLayout.HETREC, RatingLayout.detect(tmp.resolve("d")));
        Path empty = tmp.resolve("e");
        Files.createDirectories(empty);
        String m = messageOf(() -> RatingLayout.detect(empty));
        assertEquals(
                empty.resolve("u.data")
                        + ": file not found, nor any of ratings.dat (MovieLens 1M/10M),"
                        + " ratings.csv (MovieLens 20M/25M/32M), user_ratedmovies-timestamps.dat"
                        + " (HetRec-MovieLens-2k) in "
                        + empty,
                m);
        Path none = tmp.resolve("none");
        assertEquals(
                none.resolve("u.data") + ": file not found (no directory " + none + ")",
                messageOf(() -> RatingLayout.detect(none)));
    }

    @Test
    void malformedRowsNameFileAndLineInEveryLayout() throws IOException {
        record Case(RatingLayout layout, String file, String header, String row, String message) {}
        String csvHead = "userId,movieId,rating,timestamp\n";
        String hetHead = "userID\tmovieID\trating\ttimestamp\n";
        Case[] cases = {
            new Case(RatingLayout.MOVIELENS_DAT, "ratings.dat", "", "1::2::3", "expected 4"),
            new Case(
                    RatingLayout.MOVIELENS_DAT,
                    "ratings.dat",
                    "",
                    "1::x::3::5",
                    "expected an integer item id, got 'x'"),
            new Case(
                    RatingLayout.MOVIELENS_DAT,
                    "ratings.dat",
                    "",
                    "1::2::6::5",
                    "rating 6 is not in 0.5..5"),
            new Case(
                    RatingLayout.MOVIELENS_DAT,
                    "ratings.dat",
                    "",
                    "1::2::3.25::5",
                    "rating 3.25 is not a multiple of 0.5"),
            new Case(RatingLayout.MOVIELENS_CSV, "ratings.csv", csvHead, "1,2,3", "expected 4"),
            new Case(
                    RatingLayout.MOVIELENS_CSV,
                    "ratings.csv",
                    csvHead,
                    "u1,2,3,5",
                    "expected an integer user id, got 'u1'"),
            new Case(
                    RatingLayout.MOVIELENS_CSV,
                    "ratings.csv",
                    csvHead,
                    "1,2,0.0,5",
                    "rating 0.0 is not in 0.5..5"),
            new Case(
                    RatingLayout.MOVIELENS_CSV,
                    "ratings.csv",
                    csvHead,
                    "1,2,3,soon",
                    "expected an integer timestamp, got 'soon'"),
            new Case(RatingLayout.HETREC, "h.dat", hetHead, "1\t2\t3", "expected 4"),
            new Case(
                    RatingLayout.HETREC,
                    "h.dat",
                    hetHead,
                    "1\t2\tfive\t5",
                    "expected a number rating, got 'five'"),
            new Case(RatingLayout.HETREC, "h.dat", hetHead, "1\t2\t5.5\t5", "rating 5.5 is not"),
            new Case(RatingLayout.MOVIELENS_100K, "u.data", "", "1\t2\t0\t5", "rating 0 is not"),
        };
        int k = 0;
        for (Case c : cases) {
            String good =
                    switch (c.layout()) {
                        case MOVIELENS_DAT -> "1::1::3::1\n";
                        case MOVIELENS_CSV -> "1,1,3,1\n";
                        default -> "1\t1\t3\t1\n";
                    };
            Path p = write("bad" + k++ + "/" + c.file(), c.header() + good + c.row() + "\n");
            int line = c.header().isEmpty() ? 2 : 3;
            String m = messageOf(() -> MovieLensFiles.readRatings(c.layout(), p));
            assertTrue(m.startsWith(p + ":" + line + ": " + c.message()), c + " gave " + m);
            assertTrue(m.endsWith("'" + c.row() + "'"), m);
        }
        // a repeated (user, item) pair names both lines, in every layout
        Path dat = write("dup/ratings.dat", "1::5::3::1\n2::5::3::1\n1::6::3::1\n1::5::4::2\n");
        assertEquals(
                dat + ":4: user 1 already rated item 5 on line 1",
                messageOf(() -> MovieLensFiles.readRatings(RatingLayout.MOVIELENS_DAT, dat)));
        Path csv = write("dup/ratings.csv", csvHead + "3,4,3,1\n3,5,3,1\n3,4,3,1\n3,5,3,1\n");
        assertEquals(
                csv + ":4: user 3 already rated item 4 on line 2",
                messageOf(() -> MovieLensFiles.readRatings(RatingLayout.MOVIELENS_CSV, csv)));
        Path wrongHeader = write("hdr/ratings.csv", "user,movie,rating,time\n1,1,3,1\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readRatings(RatingLayout.MOVIELENS_CSV, wrongHeader))
                        .startsWith(
                                wrongHeader
                                        + ":1: expected header 'userId,movieId,rating,timestamp'"));
        Path titles = write("dupt/movies.dat", "1::A::Drama\n1::B::Drama\n");
        assertTrue(
                messageOf(() -> MovieLensFiles.readTitles(RatingLayout.MOVIELENS_DAT, titles))
                        .startsWith(titles + ":2: movie 1 already listed on line 1"));
    }

    @Test
    void readsAGenericRatingLogByNameOrByNumber() throws IOException {
        Path log =
                write(
                        "log/plays.tsv",
                        "ts\titem\tuser\tscore\n100\t7\t1\t4.25\n90\t8\t1\t2\n95\t7\t2\t1\n");
        DelimitedFormat byName =
                new DelimitedFormat(
                        log,
                        DelimitedFormat.parseColumns(
                                "user=user,item=item,rating=score,timestamp=ts",
                                DelimitedFormat.RATING_KEYS,
                                "--columns"),
                        "\t",
                        true,
                        Optional.empty(),
                        Map.of());
        RawRatings raw = byName.readRatings();
        assertArrayEquals(new int[] {1, 1, 2}, raw.users());
        assertArrayEquals(new int[] {7, 8, 7}, raw.items());
        assertEquals(4.25f, raw.stars(0));
        assertArrayEquals(new long[] {100, 90, 95}, raw.timestamps());

        Path noHeader = write("log/plays.csv", "100;7;1;4\n90;8;1;2\n");
        Path items = write("log/items.csv", "7;\"Seven; the movie\"\n8;Eight\n");
        DelimitedFormat byNumber =
                new DelimitedFormat(
                        noHeader,
                        Map.of("user", "3", "item", "2", "rating", "4", "timestamp", "1"),
                        ";",
                        false,
                        Optional.of(items),
                        Map.of("item", "1", "title", "2"));
        RawRatings r2 = byNumber.readRatings();
        assertArrayEquals(new int[] {1, 1}, r2.users());
        assertEquals(2f, r2.stars(1));
        assertEquals("Seven; the movie", byNumber.readTitles().get(7));

        Path missing = write("log/m.tsv", "a\tb\n1\t2\n");
        DelimitedFormat lacks =
                new DelimitedFormat(
                        missing,
                        Map.of("user", "a", "item", "b", "rating", "r", "timestamp", "t"),
                        "\t",
                        true,
                        Optional.empty(),
                        Map.of());
        assertTrue(
                messageOf(lacks::readRatings).startsWith(missing + ":1: header lacks column r, t"),
                messageOf(lacks::readRatings));
        Path dup = write("log/d.tsv", "1\t2\t3\t4\n1\t2\t3\t5\n");
        DelimitedFormat d =
                new DelimitedFormat(
                        dup,
                        Map.of("user", "1", "item", "2", "rating", "3", "timestamp", "4"),
                        "\t",
                        false,
                        Optional.empty(),
                        Map.of());
        assertEquals(dup + ":2: user 1 already rated item 2 on line 1", messageOf(d::readRatings));
        Path wide = write("log/w.tsv", "1\t2\t3\t4\n1\t2\t3\n");
        DelimitedFormat w =
                new DelimitedFormat(
                        wide,
                        Map.of("user", "1", "item", "2", "rating", "3", "timestamp", "4"),
                        "\t",
                        false,
                        Optional.empty(),
                        Map.of());
        assertTrue(
                messageOf(w::readRatings)
                        .startsWith(wide + ":2: expected 4 tab-separated fields, got 3"));

        assertThrows(
                ConfigException.class,
                () ->
                        DelimitedFormat.parseColumns(
                                "user=1,item=2,rating=3",
                                DelimitedFormat.RATING_KEYS,
                                "--columns"));
        assertThrows(
                ConfigException.class,
                () ->
                        new DelimitedFormat(
                                log,
                                Map.of("user", "u", "item", "2", "rating", "3", "timestamp", "4"),
                                "\t",
                                false,
                                Optional.empty(),
                                Map.of()));
    }
}
