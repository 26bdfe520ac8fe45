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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaledSyntheticGeneratorTest {

    static final long SEED = 11;
    static final SyntheticShape SMALL_1M =
            new SyntheticShape(200, 300, 16_000, SyntheticLayout.ML_1M);
    static final SyntheticShape SMALL_20M =
            new SyntheticShape(150, 400, 9_000, SyntheticLayout.ML_20M);

    @TempDir static Path tmp;
    static Path dat;
    static Path csv;

    @BeforeAll
    static void generate() {
        dat = tmp.resolve("dat");
        ScaledSyntheticGenerator.generate(
                new ScaledSyntheticConfig(dat, SEED, SMALL_1M), Progress.NONE);
        csv = tmp.resolve("csv");
        ScaledSyntheticGenerator.generate(
                new ScaledSyntheticConfig(csv, SEED, SMALL_20M), Progress.NONE);
    }

    /** One parsed rating row. */
    record Row(int user, int item, int rating, long time) {}

    static List<Row> ratings(Path dir, SyntheticLayout layout) throws IOException {
        List<String> lines =
                Files.readAllLines(dir.resolve(layout.ratingsFile()), layout.charset());
        if (layout == SyntheticLayout.ML_20M) {
            assertEquals("userId,movieId,rating,timestamp", lines.get(0));
            lines = lines.subList(1, lines.size());
        }
        String sep = layout == SyntheticLayout.ML_1M ? "::" : ",";
        return lines.stream()
                .map(
                        l -> {
                            String[] f = l.split(sep, -1);
                            assertEquals(4, f.length, l);
                            String r = f[2];
                            if (layout == SyntheticLayout.ML_20M) {
                                assertTrue(r.matches("[1-5]\\.0"), l);
                                r = r.substring(0, 1);
                            }
                            return new Row(
                                    Integer.parseInt(f[0]),
                                    Integer.parseInt(f[1]),
                                    Integer.parseInt(r),
                                    Long.parseLong(f[3]));
                        })
                .toList();
    }

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        Path again = tmp.resolve("again");
        ScaledSyntheticGenerator.generate(
                new ScaledSyntheticConfig(again, SEED, SMALL_1M), Progress.NONE);
        for (String f : List.of("ratings.dat", "movies.dat")) {
            assertArrayEquals(
                    Files.readAllBytes(dat.resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
        Path other = tmp.resolve("other");
        ScaledSyntheticGenerator.generate(
                new ScaledSyntheticConfig(other, SEED + 1, SMALL_1M), Progress.NONE);
        assertFalse(
                Arrays.equals(
                        Files.readAllBytes(dat.resolve("ratings.dat")),
                        Files.readAllBytes(other.resolve("ratings.dat"))));
    }

    @Test
    void countsRatingsAndTimesHaveTheShape() throws IOException {
        for (SyntheticShape shape : List.of(SMALL_1M, SMALL_20M)) {
            Path dir = shape == SMALL_1M ? dat : csv;
            List<Row> rows = ratings(dir, shape.layout());
            assertEquals(shape.ratings(), rows.size());
            Map<Integer, Integer> perUser = new HashMap<>();
            Map<Integer, Long> lastTime = new HashMap<>();
            Map<Integer, Integer> lastItem = new HashMap<>();
            Set<Long> pairs = new HashSet<>();
            Set<Integer> items = new HashSet<>();
            int[] perRating = new int[6];
            for (Row r : rows) {
                assertTrue(r.rating() >= 1 && r.rating() <= 5, r.toString());
                assertTrue(r.item() >= 1 && r.item() <= shape.items(), r.toString());
                assertTrue(pairs.add(((long) r.user() << 32) | r.item()), "twice: " + r);
                perRating[r.rating()]++;
                perUser.merge(r.user(), 1, Integer::sum);
                items.add(r.item());
                if (shape.layout() == SyntheticLayout.ML_1M) {
                    // ratings.dat lists a user's ratings in time order
                    Long t = lastTime.put(r.user(), r.time());
                    assertTrue(t == null || t <= r.time(), r.toString());
                } else {
                    // ratings.csv is ordered by user, then movie
                    Integer i = lastItem.put(r.user(), r.item());
                    assertTrue(i == null || i < r.item(), r.toString());
                }
            }
            assertEquals(shape.users(), perUser.size());
            assertTrue(items.size() > shape.items() * 9 / 10, "movies rated " + items.size());
            for (int n : perUser.values()) {
                assertTrue(n >= 20 && n <= SyntheticShape.maxRatingsPerUser(shape.items()), "" + n);
            }
            double below3 = (perRating[1] + perRating[2]) / (double) rows.size();
            assertTrue(below3 > 0.10 && below3 < 0.25, "share below 3: " + below3);
            double mean = 0;
            for (int v = 1; v <= 5; v++) {
                assertTrue(perRating[v] > 0, "no rating " + v);
                mean += v * perRating[v];
            }
            mean /= rows.size();
            assertTrue(mean > 3.3 && mean < 3.8, "mean rating " + mean);
        }
    }

    @Test
    void moviesFilesParse() throws IOException {
        Set<String> genres = new HashSet<>();
        for (int g = 1; g <= 18; g++) {
            genres.add(SyntheticGenerator.GENRE_NAMES[g]);
        }
        List<String> dat1m =
                Files.readAllLines(dat.resolve("movies.dat"), StandardCharsets.ISO_8859_1);
        assertEquals(SMALL_1M.items(), dat1m.size());
        for (int i = 0; i < dat1m.size(); i++) {
            String[] f = dat1m.get(i).split("::", -1);
            assertEquals(3, f.length, dat1m.get(i));
            assertEquals(i + 1, Integer.parseInt(f[0]));
            assertTrue(f[1].matches("[A-Z][A-Za-z0-9' ]+ \\(\\d{4}\\)"), f[1]);
            assertTrue(genres.containsAll(List.of(f[2].split("\\|"))), f[2]);
        }
        List<String> csv20m = Files.readAllLines(csv.resolve("movies.csv"), StandardCharsets.UTF_8);
        assertEquals("movieId,title,genres", csv20m.get(0));
        assertEquals(SMALL_20M.items() + 1, csv20m.size());
        genres.remove("Children's");
        genres.add("Children");
        for (String line : csv20m.subList(1, csv20m.size())) {
            String[] f = line.split(",", -1);
            assertEquals(3, f.length, line);
            assertTrue(genres.containsAll(List.of(f[2].split("\\|"))), f[2]);
        }
    }

    @Test
    void namedShapesHaveTheReleasesCounts() {
        assertEquals(6_040, SyntheticShape.ML_1M.users());
        assertEquals(3_706, SyntheticShape.ML_1M.items());
        assertEquals(1_000_209, SyntheticShape.ML_1M.ratings());
        assertEquals(SyntheticShape.ML_20M, SyntheticShape.Named.of("ml-20m").shape());
        assertEquals(20_000_263, SyntheticShape.ML_20M.ratings());
        // the 20M shape's activity: exact total, at least 20 and at most the cap per user
        int[] counts =
                ScaledSyntheticGenerator.ratingsPerUser(
                        new SplittableRandom(3), SyntheticShape.ML_20M);
        assertEquals(138_493, counts.length);
        assertEquals(20_000_263L, Arrays.stream(counts).asLongStream().sum());
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        assertEquals(20, sorted[0]);
        assertTrue(sorted[sorted.length - 1] <= SyntheticShape.maxRatingsPerUser(26_744));
        int median = sorted[sorted.length / 2];
        assertTrue(median > 50 && median < 110, "median ratings per user " + median); // real: 68
        SyntheticShape half = SyntheticShape.ML_1M.withUsers(3_020);
        assertEquals(500_105, half.ratings(), 1);
        ConfigException e =
                assertThrows(ConfigException.class, () -> SyntheticShape.Named.of("ml-5m"));
        assertTrue(e.getMessage().contains("ml-1m, ml-20m"), e.getMessage());
        assertThrows(
                ConfigException.class,
                () -> new SyntheticShape(100, 200, 1_999, SyntheticLayout.ML_1M));
        assertThrows(
                ConfigException.class,
                () -> new SyntheticShape(100, 200, 100L * 121, SyntheticLayout.ML_1M));
    }

    /**
     * Taste: ranked by the generating model's expected rating, users' top-5 lists over the whole
     * catalogue differ (with item offsets alone, every user would have the same list).
     */
    @Test
    void usersHaveTheirOwnTopFive() {
        TasteModel model = TasteModel.draw(new SplittableRandom(5), 1_000);
        int users = 300;
        Set<List<Integer>> lists = new HashSet<>();
        for (int u = 0; u < users; u++) {
            TasteModel.User user = model.user(model.userStream(u));
            Integer[] order = new Integer[model.items()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(
                    order, (a, b) -> Double.compare(model.score(user, b), model.score(user, a)));
            lists.add(List.of(order).subList(0, 5));
        }
        assertTrue(lists.size() >= users * 9 / 10, "distinct top-5 lists " + lists.size());
    }

    /**
     * Taste in the written ratings: on the movies two users both rated, users of the same taste
     * group agree more than users of different groups.
     */
    @Test
    void usersOfOneTasteGroupRateAlike() throws IOException {
        List<Row> rows = ratings(dat, SyntheticLayout.ML_1M);
        TasteModel model = TasteModel.draw(new SplittableRandom(SEED), SMALL_1M.items());
        int users = SMALL_1M.users();
        int[] group = new int[users];
        double[][] r = new double[users][SMALL_1M.items()];
        for (int u = 0; u < users; u++) {
            group[u] = model.user(model.userStream(u)).group();
        }
        for (Row row : rows) {
            r[row.user() - 1][row.item() - 1] = row.rating();
        }
        double[] sum = new double[2];
        int[] pairs = new int[2];
        for (int a = 0; a < users; a++) {
            for (int b = a + 1; b < users; b++) {
                double c = correlation(r[a], r[b]);
                if (!Double.isNaN(c)) {
                    int same = group[a] == group[b] ? 1 : 0;
                    sum[same] += c;
                    pairs[same]++;
                }
            }
        }
        double same = sum[1] / pairs[1];
        double different = sum[0] / pairs[0];
        assertTrue(pairs[1] > 100, "same-group pairs " + pairs[1]);
        assertTrue(same > different + 0.15, "same group " + same + ", different " + different);
    }

    /** Pearson correlation over the movies both rated (0 = not rated); NaN below 8 of them. */
    static double correlation(double[] x, double[] y) {
        int n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0) {
                n++;
                sx += x[i];
                sy += y[i];
                sxx += x[i] * x[i];
                syy += y[i] * y[i];
                sxy += x[i] * y[i];
            }
        }
        if (n < 8) {
            return Double.NaN;
        }
        double vx = sxx - sx * sx / n;
        double vy = syy - sy * sy / n;
        return vx > 0 && vy > 0 ? (sxy - sx * sy / n) / Math.sqrt(vx * vy) : Double.NaN;
    }
}
