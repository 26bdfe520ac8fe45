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
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split parameters ({@link SplitRule}) and preparation without the RCF files: what is written,
 * what {@code dataset.json} records, and that the result loads.
 */
class PrepareParametersTest {

    @TempDir Path tmp;

    /**
     * One user's rows in time order: items 1..12 rated 5, 4.5, 4, 3.5, 3, 3, 2.5, 2, 1.5, 1, 1, 0.5
     * at times 1..12 (file order reversed, so the sort matters).
     */
    private static RawRatings oneUser() {
        int n = 12;
        int[] halfStars = {10, 9, 8, 7, 6, 6, 5, 4, 3, 2, 2, 1};
        int[] users = new int[n];
        int[] items = new int[n];
        int[] ratings = new int[n];
        long[] times = new long[n];
        for (int k = 0; k < n; k++) {
            int row = n - 1 - k;
            users[row] = 7;
            items[row] = k + 1;
            ratings[row] = halfStars[k];
            times[row] = k + 1;
        }
        return new RawRatings(users, items, ratings, times, 2);
    }

    @Test
    void theThresholdAndTheShareMoveItemsBetweenTheLists() {
        RawRatings raw = oneUser();
        TemporalSplit.UserSplit s =
                TemporalSplit.split(raw, i -> true, new SplitRule(3, 2, 2, 0.2)).get(0);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, s.positives());
        assertArrayEquals(new int[] {7, 8, 9, 10, 11, 12}, s.negatives());
        assertEquals(5, s.trainPositives()); // 6 - floor(6/5)
        assertEquals(5, s.trainNegatives());

        TemporalSplit.UserSplit four =
                TemporalSplit.split(raw, i -> true, new SplitRule(4, 2, 2, 0.2)).get(0);
        assertArrayEquals(new int[] {1, 2, 3}, four.positives());
        assertArrayEquals(new int[] {4, 5, 6, 7, 8, 9, 10, 11, 12}, four.negatives());
        assertEquals(3, four.trainPositives()); // floor(3/5) = 0 held out
        assertEquals(8, four.trainNegatives()); // 9 - 1

        TemporalSplit.UserSplit half =
                TemporalSplit.split(raw, i -> true, new SplitRule(3.5, 2, 2, 0.5)).get(0);
        assertArrayEquals(new int[] {1, 2, 3, 4}, half.positives());
        assertEquals(2, half.trainPositives());
        assertEquals(4, half.trainNegatives()); // 8 - 4
        // train rows then held-out rows, each in time order
        assertEquals(6, half.trainRows().length);
        assertEquals(6, half.testRows().length);
        assertEquals(11, half.trainRows()[0]); // item 1 is the last row of the file

        // too few of either: the user is dropped
        assertTrue(TemporalSplit.split(raw, i -> true, new SplitRule(4.5, 3, 2, 0.2)).isEmpty());
        assertTrue(TemporalSplit.split(raw, i -> true, SplitRule.REFERENCE).isEmpty());
        // items that do not count are ignored from the start
        TemporalSplit.UserSplit some =
                TemporalSplit.split(raw, i -> i % 2 == 1, new SplitRule(3, 2, 2, 0.2)).get(0);
        assertArrayEquals(new int[] {1, 3, 5}, some.positives());
    }

    @Test
    void theReferenceShareIsExactlyAFifth() {
        for (int size = 0; size <= 100_000; size++) {
            assertEquals(size / 5, SplitRule.REFERENCE.heldOut(size));
        }
        SplitRule quarter = new SplitRule(3, 10, 10, 0.25);
        assertEquals(2, quarter.heldOut(11));
        assertEquals(3, quarter.heldOut(12));
        SplitRule tenth = new SplitRule(3, 10, 10, 0.1);
        assertEquals(3, tenth.heldOut(30)); // 30 * 0.1 = 3.0000000000000004 or 2.999...
        assertEquals(0, new SplitRule(3, 10, 10, 0).heldOut(50));
        assertThrows(ConfigException.class, () -> new SplitRule(3, 10, 10, 1));
        assertThrows(ConfigException.class, () -> new SplitRule(3, 0, 10, 0.2));
        assertThrows(ConfigException.class, () -> new SplitRule(Double.NaN, 10, 10, 0.2));
    }

    /** Writes a MovieLens 20M-style directory: 30 users rating 40 of 60 movies in half stars. */
    static Path writeCsvLayout(Path dir, long seed) throws IOException {
        return writeCsvLayout(dir, seed, "Drama");
    }

    /** The layout with every movie's genres {@code genres} ("(no genres listed)": none). */
    static Path writeCsvLayout(Path dir, long seed, String genres) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        StringBuilder r = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 1; u <= 30; u++) {
            List<Integer> items = new java.util.ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                items.add(i);
            }
            java.util.Collections.shuffle(items, rnd);
            for (int k = 0; k < 40; k++) {
                // alternate high and low ratings so every user has 20 of each
                int halfStars = k % 2 == 0 ? 6 + rnd.nextInt(5) : 1 + rnd.nextInt(5);
                r.append(u)
                        .append(',')
                        .append(items.get(k))
                        .append(',')
                        .append(halfStars / 2)
                        .append(halfStars % 2 == 0 ? ".0" : ".5")
                        .append(',')
                        .append(1_000_000 + rnd.nextInt(500))
                        .append('\n');
            }
        }
        Files.writeString(dir.resolve("ratings.csv"), r);
        StringBuilder m = new StringBuilder("movieId,title,genres\n");
        for (int i = 1; i <= 60; i++) {
            m.append(i)
                    .append(",\"Movie ")
                    .append(i)
                    .append(", The (2001)\",")
                    .append(genres)
                    .append('\n');
        }
        Files.writeString(dir.resolve("movies.csv"), m);
        return dir;
    }

    @Test
    void withoutRcfOnlyTheNcfFilesAreWrittenAndTheyLoad() throws IOException {
        Path in = writeCsvLayout(tmp.resolve("ml-csv"), 3, "(no genres listed)");
        Path out = tmp.resolve("prepared");
        PreparationSummary s =
                DatasetPreparation.prepare(
                        new PrepareConfig(
                                RatingSource.movielens(in),
                                Optional.empty(),
                                out,
                                "csv-test",
                                SplitRule.REFERENCE,
                                false),
                        Progress.NONE);
        assertEquals(RatingLayout.MOVIELENS_CSV, s.layout());
        assertEquals(1200, s.ratingRows());
        assertEquals(30, s.users());
        assertFalse(s.rcf());
        assertEquals(0, s.rcfTrainTriples());
        for (String f : DatasetPreparation.RCF_FILES) {
            assertFalse(Files.exists(out.resolve(f)), f);
        }
        JsonNode json = Json.mapper().readTree(out.resolve(PreparedDataset.DESCRIPTOR).toFile());
        assertEquals("movielens-csv", json.path("layout").path("id").asText());
        assertEquals(0.5, json.path("layout").path("ratingStep").asDouble());
        assertEquals(3.0, json.path("split").path("positiveThreshold").asDouble());
        assertEquals(0.2, json.path("split").path("testShare").asDouble());
        assertEquals(
                DatasetPreparation.RCF_SKIPPED_REASON,
                json.path("skipped").path("reason").asText());
        assertEquals(5, json.path("skipped").path("files").size());
        assertFalse(json.path("counts").has("rcfTrainTriples"));

        PreparedDataset d = PreparedDataset.load(out);
        assertEquals(30, d.users().size());
        assertEquals(s.ncfTrainRows(), d.train().size());
        assertEquals("Movie 1, The (2001)", d.title(d.items().require(1, "item")));
        boolean half = false;
        for (int k = 0; k < d.train().size(); k++) {
            half |= d.train().rating(k) != Math.rint(d.train().rating(k));
        }
        assertTrue(half, "half stars survive into ncf-train.tsv");
        assertTrue(Files.readString(out.resolve(PreparedDataset.NCF_TRAIN)).contains("\t3.5\t"));
        String m = assertThrows(DataException.class, () -> RcfDataset.load(out)).getMessage();
        assertEquals(out + " has no RCF files: " + DatasetPreparation.RCF_SKIPPED_REASON, m);

        // a stricter threshold changes the split and is recorded
        Path strict = tmp.resolve("strict");
        PreparationSummary t =
                DatasetPreparation.prepare(
                        new PrepareConfig(
                                RatingSource.movielens(in),
                                Optional.empty(),
                                strict,
                                "csv-test",
                                new SplitRule(4, 5, 5, 0.25),
                                false),
                        Progress.NONE);
        assertTrue(t.ncfTrainRows() != s.ncfTrainRows(), t + " vs " + s);
        JsonNode sj = Json.mapper().readTree(strict.resolve(PreparedDataset.DESCRIPTOR).toFile());
        assertEquals(4.0, sj.path("split").path("positiveThreshold").asDouble());
        assertEquals(5, sj.path("split").path("minPositives").asInt());
        assertEquals(0.25, sj.path("split").path("testShare").asDouble());
    }

    @Test
    void aRuleNoUserMeetsIsOneClearError() throws IOException {
        Path in = writeCsvLayout(tmp.resolve("ml-csv"), 4);
        String m =
                assertThrows(
                                DataException.class,
                                () ->
                                        DatasetPreparation.prepare(
                                                new PrepareConfig(
                                                        RatingSource.movielens(in),
                                                        Optional.empty(),
                                                        tmp.resolve("o"),
                                                        "x",
                                                        new SplitRule(3, 50, 10, 0.2),
                                                        false),
                                                Progress.NONE))
                        .getMessage();
        assertEquals(
                in.resolve("ratings.csv")
                        + ": no user has at least 50 positive (rating at least 3) and 10 negative"
                        + " ratings",
                m);
    }
}
