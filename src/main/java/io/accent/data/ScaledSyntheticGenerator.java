package io.accent.data;

import io.accent.core.AtomicFiles;
import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a seeded synthetic data set of any size in a MovieLens 1M or 20M layout ({@link
 * SyntheticShape}), with personal taste in it ({@link TasteModel}).
 *
 * <p>Each user gets at least {@value SyntheticShape#MIN_RATINGS_PER_USER} ratings and a long-tailed
 * number more (log-normal, scaled so that the shape's rating count is met exactly). Rows are
 * generated one user at a time and written as they are made, so memory grows with the number of
 * movies and users, never with their product or with the ratings. A user's timestamps increase with
 * the order in which their movies were drawn, with ties (several ratings in one second).
 *
 * <p>The output depends only on the seed and the shape: all randomness comes from {@link
 * SplittableRandom}s keyed by the seed, all math is {@link StrictMath}.
 */
public final class ScaledSyntheticGenerator {

    /** Spread (log-normal σ) of the ratings per user beyond the minimum. */
    static final double ACTIVITY_SPREAD = 1.2;

    private static final int PROGRESS_USERS = 1024;

    private ScaledSyntheticGenerator() {}

    /** Generates the data set and writes it (atomically) into {@code config.outDir()}. */
    public static SyntheticSummary generate(ScaledSyntheticConfig config, Progress progress) {
        SyntheticShape shape = config.shape();
        SplittableRandom rng = new SplittableRandom(config.seed());
        TasteModel model = TasteModel.draw(rng, shape.items());
        int[] counts = ratingsPerUser(rng, shape);
        String[] titles = titles(rng, shape);
        SyntheticLayout layout = shape.layout();
        progress.start("synthesize", shape.users());
        AtomicFiles.writeDirectory(
                OutputTarget.of(config.outDir(), "synthetic").withOverwrite(config.overwrite()),
                dir -> {
                    writeMovies(dir.resolve(layout.moviesFile()), layout, model, titles);
                    writeRatings(
                            dir.resolve(layout.ratingsFile()), layout, model, counts, progress);
                });
        progress.close();
        return new SyntheticSummary(
                config.outDir(),
                shape.users(),
                shape.items(),
                Math.toIntExact(shape.ratings()),
                0,
                0);
    }

    /**
     * The number of ratings of every user: the minimum plus a log-normal share of the rest, capped
     * at {@link SyntheticShape#maxRatingsPerUser}, summing to the shape's count exactly.
     */
    static int[] ratingsPerUser(SplittableRandom rng, SyntheticShape shape) {
        int users = shape.users();
        int cap = SyntheticShape.maxRatingsPerUser(shape.items());
        double[] weight = new double[users];
        for (int u = 0; u < users; u++) {
            weight[u] = StrictMath.exp(ACTIVITY_SPREAD * SyntheticDraws.gaussian(rng));
        }
        int[] counts = new int[users];
        Arrays.fill(counts, SyntheticShape.MIN_RATINGS_PER_USER);
        long left = shape.ratings() - (long) users * SyntheticShape.MIN_RATINGS_PER_USER;
        // share what is left by weight among the users below the cap, until the shares are whole
        for (int round = 0; round < 32 && left > 0; round++) {
            double open = 0;
            for (int u = 0; u < users; u++) {
                if (counts[u] < cap) {
                    open += weight[u];
                }
            }
            long given = 0;
            for (int u = 0; u < users; u++) {
                if (counts[u] < cap) {
                    int more =
                            (int)
                                    Math.min(
                                            cap - counts[u],
                                            StrictMath.floor(left * weight[u] / open));
                    counts[u] += more;
                    given += more;
                }
            }
            left -= given;
            if (given == 0) {
                break;
            }
        }
        while (left > 0) {
            int u = rng.nextInt(users);
            if (counts[u] < cap) {
                counts[u]++;
                left--;
            }
        }
        return counts;
    }

    private static String[] titles(SplittableRandom rng, SyntheticShape shape) {
        int lastYear = shape.layout() == SyntheticLayout.ML_1M ? 2000 : 2015;
        Set<String> used = new HashSet<>();
        String[] titles = new String[shape.items()];
        for (int i = 0; i < titles.length; i++) {
            int year =
                    rng.nextDouble() < 0.6
                            ? lastYear - rng.nextInt(10)
                            : 1920 + rng.nextInt(lastYear - 1929);
            titles[i] = MovieTitles.unique(rng, used) + " (" + year + ")";
        }
        return titles;
    }

    private static void writeMovies(
            Path file, SyntheticLayout layout, TasteModel model, String[] titles) {
        DelimitedFile.write(
                file,
                layout.charset(),
                out -> {
                    if (layout.moviesHeader() != null) {
                        out.append(layout.moviesHeader()).append('\n');
                    }
                    StringBuilder sb = new StringBuilder(128);
                    for (int i = 0; i < titles.length; i++) {
                        sb.setLength(0);
                        sb.append(i + 1).append(layout.separator()).append(titles[i]);
                        sb.append(layout.separator());
                        int[] genres = model.genres(i);
                        for (int k = 0; k < genres.length; k++) {
                            sb.append(k == 0 ? "" : "|").append(layout.genreName(genres[k]));
                        }
                        out.append(sb).append('\n');
                    }
                });
    }

    private static void writeRatings(
            Path file, SyntheticLayout layout, TasteModel model, int[] counts, Progress progress) {
        long[] span = timeSpan(layout);
        boolean[] taken = new boolean[model.items()];
        DelimitedFile.write(
                file,
                layout.charset(),
                out -> {
                    if (layout.ratingsHeader() != null) {
                        out.append(layout.ratingsHeader()).append('\n');
                    }
                    StringBuilder sb = new StringBuilder(1 << 16);
                    for (int u = 0; u < counts.length; u++) {
                        writeUser(out, sb, layout, model, u, counts[u], span, taken);
                        if ((u + 1) % PROGRESS_USERS == 0 || u + 1 == counts.length) {
                            progress.step((u % PROGRESS_USERS) + 1L);
                        }
                    }
                });
    }

    /** One user's rows: ML-1M in time order, ML-20M by movie id as in the real files. */
    private static void writeUser(
            Writer out,
            StringBuilder sb,
            SyntheticLayout layout,
            TasteModel model,
            int u,
            int n,
            long[] span,
            boolean[] taken)
            throws IOException {
        SplittableRandom rng = model.userStream(u);
        TasteModel.User user = model.user(rng);
        int[] items = model.choose(user, n, rng, taken);
        int[] ratings = new int[n];
        long[] times = new long[n];
        long time = span[0] + rng.nextLong(span[1] - span[0]);
        for (int k = 0; k < n; k++) {
            ratings[k] = model.rate(user, items[k], rng);
            if (k > 0 && rng.nextDouble() >= 0.2) {
                time += 1 + (rng.nextDouble() < 0.98 ? rng.nextInt(300) : rng.nextInt(20 * 86_400));
            }
            times[k] = time;
        }
        long[] order = new long[n];
        for (int k = 0; k < n; k++) {
            order[k] = layout == SyntheticLayout.ML_20M ? ((long) items[k] << 32) | k : k;
        }
        Arrays.sort(order);
        String sep = layout.separator();
        sb.setLength(0);
        for (long o : order) {
            int k = (int) o;
            sb.append(u + 1).append(sep).append(items[k] + 1).append(sep);
            layout.appendRating(sb, ratings[k]);
            sb.append(sep).append(times[k]).append('\n');
        }
        out.append(sb);
    }

    /** First and last start time of a user's ratings: the span of the real release. */
    private static long[] timeSpan(SyntheticLayout layout) {
        return layout == SyntheticLayout.ML_1M
                ? new long[] {956_703_932L, 1_040_000_000L} // Apr 2000 .. Dec 2002
                : new long[] {789_652_009L, 1_420_000_000L}; // Jan 1995 .. Dec 2014
    }
}
