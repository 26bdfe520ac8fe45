package io.accent.cli;

import static io.accent.cli.DataCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data prepare} on layouts other than MovieLens 100K + RCF, through the command line, and
 * the prepared directory used by {@code train ncf}, {@code train mf} and {@code explain}.
 */
class PrepareFormatsCommandTest {

    @TempDir Path tmp;

    /**
     * A tab-separated rating log with a header, columns in an unusual order: 60 users rating 40 of
     * 80 items, half of each user's ratings high and half low, in half stars.
     */
    private Path writeLog() throws IOException {
        Random rnd = new Random(11);
        StringBuilder r = new StringBuilder("when\tuid\tmid\tstars\n");
        for (int u = 1; u <= 60; u++) {
            List<Integer> items = new ArrayList<>();
            for (int i = 1; i <= 80; i++) {
                items.add(i);
            }
            Collections.shuffle(items, rnd);
            for (int k = 0; k < 40; k++) {
                int half = k % 2 == 0 ? 6 + rnd.nextInt(5) : 1 + rnd.nextInt(5);
                r.append(2_000 + rnd.nextInt(1_000))
                        .append('\t')
                        .append(u)
                        .append('\t')
                        .append(items.get(k))
                        .append('\t')
                        .append(half / 2.0)
                        .append('\n');
            }
        }
        Path log = tmp.resolve("log.tsv");
        Files.writeString(log, r);
        StringBuilder t = new StringBuilder("mid\tname\n");
        for (int i = 1; i <= 80; i++) {
            t.append(i).append("\tFilm ").append(i).append('\n');
        }
        Files.writeString(tmp.resolve("titles.tsv"), t);
        return log;
    }

    @Test
    void aPreparedRatingLogTrainsAndExplains() throws IOException {
        Path log = writeLog();
        Path prepared = tmp.resolve("prepared");
        DataCommandTest.Run p =
                run(
                        "data",
                        "prepare",
                        "--ratings",
                        log.toString(),
                        "--columns",
                        "user=uid,item=mid,rating=stars,timestamp=when",
                        "--delimiter",
                        "tab",
                        "--items",
                        tmp.resolve("titles.tsv").toString(),
                        "--item-columns",
                        "item=mid,title=name",
                        "--out",
                        prepared.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().startsWith("prepared log in " + prepared), p.out());
        assertTrue(p.out().contains("from delimited rating log (2400 ratings)"), p.out());
        assertTrue(p.out().contains("users 60,"), p.out());
        assertTrue(
                p.out().contains("RCF files skipped (NCF and MF only): no RCF directory"), p.out());
        assertFalse(Files.exists(prepared.resolve("rcf-train.csv")));

        Path ncf = tmp.resolve("ncf");
        DataCommandTest.Run t =
                run(
                        "train",
                        "ncf",
                        "--data",
                        prepared.toString(),
                        "--out",
                        ncf.toString(),
                        "--steps",
                        "20");
        assertEquals(0, t.code(), t.err());
        DataCommandTest.Run e =
                run("explain", "--model", ncf.toString(), "--users", "1,2", "--k", "5");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("user 1") || e.out().contains("User 1"), e.out());

        Path mf = tmp.resolve("mf");
        DataCommandTest.Run m =
                run(
                        "train",
                        "mf",
                        "--data",
                        prepared.toString(),
                        "--out",
                        mf.toString(),
                        "--steps",
                        "20");
        assertEquals(0, m.code(), m.err());
        DataCommandTest.Run rcf =
                run(
                        "train",
                        "rcf",
                        "--data",
                        prepared.toString(),
                        "--out",
                        tmp.resolve("rcf").toString());
        assertEquals(3, rcf.code(), rcf.out());
        assertTrue(rcf.err().contains("has no RCF files: no RCF directory"), rcf.err());
    }

    /** A MovieLens-20M layout: one user, 30 ratings alternating high and low, genres. */
    private Path writeMl20m() throws IOException {
        Path dir = tmp.resolve("ml-20m");
        Files.createDirectories(dir);
        StringBuilder r = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int i = 1; i <= 30; i++) {
            r.append("5,").append(i).append(',').append(i % 2 == 0 ? "4.5" : "1.5");
            r.append(',').append(100 + i).append('\n');
        }
        Files.writeString(dir.resolve("ratings.csv"), r);
        StringBuilder m = new StringBuilder("movieId,title,genres\n");
        for (int i = 1; i <= 30; i++) {
            m.append(i)
                    .append(",\"Title ")
                    .append(i)
                    .append(", A\",")
                    .append(i % 3 == 0 ? "Drama" : "Comedy")
                    .append('\n');
        }
        Files.writeString(dir.resolve("movies.csv"), m);
        return dir;
    }

    @Test
    void noRcfWritesTheSameNcfFilesWithoutRcfs() throws IOException {
        Path dir = writeMl20m();
        Path with = tmp.resolve("with");
        Path without = tmp.resolve("without");
        String[] split = {
            "--positive-threshold", "4.5", "--min-positives", "15", "--min-negatives", "15"
        };
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "data",
                                "prepare",
                                "--movielens",
                                dir.toString(),
                                "--out",
                                with.toString()));
        a.addAll(List.of(split));
        DataCommandTest.Run p = run(a.toArray(String[]::new));
        assertEquals(0, p.code(), p.err());
        assertTrue(Files.exists(with.resolve("rcf-train.csv")), p.out());
        List<String> b =
                new ArrayList<>(
                        List.of(
                                "data",
                                "prepare",
                                "--movielens",
                                dir.toString(),
                                "--out",
                                without.toString(),
                                "--no-rcf"));
        b.addAll(List.of(split));
        DataCommandTest.Run q = run(b.toArray(String[]::new));
        assertEquals(0, q.code(), q.err());
        assertTrue(
                q.out()
                        .contains(
                                "RCF files skipped (NCF and MF only): RCF's files were not asked for (--no-rcf)"),
                q.out());
        assertFalse(Files.exists(without.resolve("rcf-train.csv")));
        assertTrue(Files.readString(without.resolve("dataset.json")).contains("--no-rcf"));
        assertEquals(
                Files.readString(with.resolve("ncf-train.tsv")),
                Files.readString(without.resolve("ncf-train.tsv")));

        Files.writeString(tmp.resolve("attributes.tsv"), "item\tkind\tvalue\n1\tgenre\tDrama\n");
        DataCommandTest.Run bad =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        dir.toString(),
                        "--out",
                        tmp.resolve("q").toString(),
                        "--no-rcf",
                        "--attributes",
                        tmp.resolve("attributes.tsv").toString());
        assertEquals(2, bad.code());
        assertTrue(
                bad.err().contains("error: --no-rcf excludes --rcf and --attributes"), bad.err());
    }

    @Test
    void recognisesTheLayoutAndTakesTheSplitParameters() throws IOException {
        Path dir = writeMl20m();
        Path out = tmp.resolve("p");
        DataCommandTest.Run p =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        dir.toString(),
                        "--out",
                        out.toString(),
                        "--positive-threshold",
                        "4.5",
                        "--min-positives",
                        "15",
                        "--min-negatives",
                        "15",
                        "--test-share",
                        "0.4");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().startsWith("prepared ml-20m in "), p.out());
        assertTrue(p.out().contains("from MovieLens 20M/25M/32M (30 ratings)"), p.out());
        // 15 positives and 15 negatives, 6 of each held out
        assertTrue(p.out().contains("NCF training rows 18, held-out rows"), p.out());

        DataCommandTest.Run bad =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        dir.toString(),
                        "--ratings",
                        dir.resolve("ratings.csv").toString(),
                        "--columns",
                        "user=1,item=2,rating=3,timestamp=4",
                        "--out",
                        tmp.resolve("q").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("give either --movielens or --ratings"), bad.err());
        DataCommandTest.Run share =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        dir.toString(),
                        "--out",
                        tmp.resolve("q").toString(),
                        "--test-share",
                        "1.5");
        assertEquals(2, share.code());
        assertTrue(share.err().contains("--test-share 1.5 is not in [0, 1)"), share.err());
    }
}
