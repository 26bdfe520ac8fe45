package io.accent.data;

import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a small, seeded, MovieLens-shaped data set in the raw formats that {@link
 * DatasetPreparation} reads: {@code u.data}, {@code u.item}, {@code auxiliary-mapping.txt} and
 * {@code relational_data.csv}.
 *
 * <p>Ratings come from a latent-factor model: each movie has genres, directors and actors, and its
 * latent vector mixes theirs; a rating is the rounded sum of a global mean, user and item biases,
 * the user-item dot product and Gaussian noise, clipped to 1..5. Users pick movies by popularity
 * and keep rating until they have at least 12 ratings of 3 or more and 12 below 3, so every user
 * survives the pruning of docs/SPEC.md §1.2. Timestamps increase per user, with ties. Two movies
 * are left out of the auxiliary mapping, as eight are in the real data. {@code relational_data.csv}
 * satisfies the invariants of SPEC §1.6 for the triples that preparation derives from these files.
 *
 * <p>The output depends only on the configuration: the same seed gives byte-identical files (all
 * randomness comes from one {@link SplittableRandom}, all math is {@link StrictMath}).
 */
public final class SyntheticGenerator {

    private static final int FACTORS = 6;
    private static final int GENRES = 18; // the u.item genre flags 1..18 (flag 0 is "unknown")
    private static final int MISSING_FROM_MAPPING = 2;
    private static final int MIN_EACH = 12; // ≥ 10 positives and negatives, with a margin
    private static final long FIRST_TIMESTAMP = 874_724_710L; // 20 Sep 1997, like MovieLens 100K
    private static final double GLOBAL_MEAN = 3.0;

    /** The u.item genre flags in file order; flags 1..18 are the MovieLens genres. */
    static final String[] GENRE_NAMES = MovieLensFiles.ITEM_GENRES;

    /** Relative frequency of genre flags 1..18, roughly as in MovieLens. */
    static final double[] GENRE_WEIGHTS = {
        25, 13, 4, 12, 50, 11, 5, 72, 2, 2, 9, 6, 6, 25, 10, 25, 7, 3
    };

    private final SyntheticConfig config;
    private final SplittableRandom rng;

    private SyntheticGenerator(SyntheticConfig config) {
        this.config = config;
        this.rng = new SplittableRandom(config.seed());
    }

    /** Generates the data set and writes it (atomically) into {@code config.outDir()}. */
    public static SyntheticSummary generate(SyntheticConfig config, Progress progress) {
        return new SyntheticGenerator(config).run(progress);
    }

    private SyntheticSummary run(Progress progress) {
        progress.start("synthesize", 3);
        int nItems = config.items();
        int nDirectors = Math.max(8, nItems / 4);
        int nActors = Math.max(20, nItems);
        double[][] genreVec = gaussianMatrix(GENRES, FACTORS, 0.8);
        double[][] directorVec = gaussianMatrix(nDirectors, FACTORS, 0.6);
        double[][] actorVec = gaussianMatrix(nActors, FACTORS, 0.6);
        double[] directorWeight = zipfWeights(nDirectors, 0.7);
        double[] actorWeight = zipfWeights(nActors, 0.9);

        // movies: attributes (genre flags 1..18, director and actor concepts), latent vectors,
        // titles
        int[][] genres = new int[nItems][];
        int[][] directors = new int[nItems][];
        int[][] actors = new int[nItems][];
        double[][] itemVec = new double[nItems][];
        double[] itemBias = new double[nItems];
        double[] popularity = new double[nItems];
        String[] titles = new String[nItems];
        int[] years = new int[nItems];
        Set<String> usedTitles = new HashSet<>();
        for (int i = 0; i < nItems; i++) {
            genres[i] = sampleDistinct(GENRE_WEIGHTS, 1 + pick(new double[] {45, 40, 15}), 1);
            directors[i] = sampleDistinct(directorWeight, rng.nextDouble() < 0.1 ? 2 : 1, 0);
            actors[i] = sampleDistinct(actorWeight, 2 + rng.nextInt(4), 0);
            double[] q = new double[FACTORS];
            for (int f = 0; f < FACTORS; f++) {
                double g = 0;
                for (int x : genres[i]) {
                    g += genreVec[x - 1][f];
                }
                double a = 0;
                for (int x : actors[i]) {
                    a += actorVec[x][f];
                }
                q[f] =
                        0.6 * g / genres[i].length
                                + 0.5 * directorVec[directors[i][0]][f]
                                + 0.3 * a / actors[i].length
                                + 0.35 * gaussian();
            }
            itemVec[i] = q;
            itemBias[i] = 0.4 * gaussian();
            popularity[i] = StrictMath.exp(1.1 * gaussian());
            years[i] = rng.nextDouble() < 0.7 ? 1990 + rng.nextInt(9) : 1930 + rng.nextInt(60);
            titles[i] = MovieTitles.unique(rng, usedTitles) + " (" + years[i] + ")";
        }
        center(itemVec);
        int[] missing = missingItems(nItems);
        AuxiliaryMapping aux = mapping(nItems, genres, directors, actors, missing);
        progress.step(1);

        // users and their ratings
        IntList rowUser = new IntList(1 << 15);
        IntList rowItem = new IntList(1 << 15);
        IntList rowRating = new IntList(1 << 15);
        LongList rowTime = new LongList(1 << 15);
        for (int u = 0; u < config.users(); u++) {
            // a user whose tastes leave too few ratings on one side is drawn again (MovieLens users
            // like
            // that exist, but preparation would drop them)
            for (int attempt = 0;
                    !rateItems(
                            u + 1,
                            itemVec,
                            itemBias,
                            popularity,
                            aux,
                            rowUser,
                            rowItem,
                            rowRating,
                            rowTime);
                    attempt++) {
                if (attempt == 100) {
                    throw new DataException(
                            "cannot draw synthetic user "
                                    + (u + 1)
                                    + " with "
                                    + MIN_EACH
                                    + " ratings of 3 or more and "
                                    + MIN_EACH
                                    + " below 3 among "
                                    + nItems
                                    + " items; use more --items");
                }
            }
        }
        RawRatings raw =
                shuffled(
                        rowUser.toArray(),
                        rowItem.toArray(),
                        rowRating.toArray(),
                        rowTime.toArray());
        progress.step(1);

        // relational rows for the triples that preparation will derive
        PreparedTables tables = PreparedTables.build(raw, aux, "synthetic");
        RelationalData relational = relational(tables, aux);

        AtomicFiles.writeDirectory(
                OutputTarget.of(config.outDir(), "synthetic").withOverwrite(config.overwrite()),
                dir -> {
                    writeRatings(dir.resolve(MovieLensFiles.RATINGS), raw);
                    writeItems(dir.resolve(MovieLensFiles.ITEMS), titles, years, genres);
                    aux.write(dir.resolve(AuxiliaryMapping.FILE_NAME));
                    relational.write(dir.resolve(RelationalData.FILE_NAME));
                });
        progress.step(1);
        progress.close();
        return new SyntheticSummary(
                config.outDir(), config.users(), nItems, raw.size(), aux.size(), relational.size());
    }

    /**
     * Draws one user and their ratings; appends them and returns true if the user has enough
     * ratings on both sides of 3 among the movies of the mapping.
     */
    private boolean rateItems(
            int user,
            double[][] itemVec,
            double[] itemBias,
            double[] popularity,
            AuxiliaryMapping aux,
            IntList rowUser,
            IntList rowItem,
            IntList rowRating,
            LongList rowTime) {
        double[] p = new double[FACTORS];
        for (int f = 0; f < FACTORS; f++) {
            p[f] = 0.45 * gaussian();
        }
        double userBias = 0.25 * gaussian();
        int target = 40 + rng.nextInt(61);
        int[] order = popularityOrder(popularity);
        long time = FIRST_TIMESTAMP + rng.nextInt(180 * 86_400);
        int positives = 0;
        int negatives = 0;
        IntList items = new IntList(128);
        IntList ratings = new IntList(128);
        LongList times = new LongList(128);
        for (int i : order) {
            if (items.size() >= target && positives >= MIN_EACH && negatives >= MIN_EACH) {
                break;
            }
            double score =
                    GLOBAL_MEAN + userBias + itemBias[i] + dot(p, itemVec[i]) + 0.5 * gaussian();
            int rating = (int) Math.max(1, Math.min(5, StrictMath.rint(score)));
            if (items.size() > 0 && rng.nextDouble() >= 0.3) {
                time += 1 + rng.nextInt(rng.nextDouble() < 0.8 ? 600 : 5 * 86_400);
            }
            items.add(i + 1);
            ratings.add(rating);
            times.add(time);
            if (aux.contains(i + 1)) {
                if (rating >= TemporalSplit.POSITIVE_THRESHOLD) {
                    positives++;
                } else {
                    negatives++;
                }
            }
        }
        if (positives < MIN_EACH || negatives < MIN_EACH) {
            return false;
        }
        long[] t = times.toArray();
        for (int k = 0; k < items.size(); k++) {
            rowUser.add(user);
            rowItem.add(items.get(k));
            rowRating.add(ratings.get(k));
            rowTime.add(t[k]);
        }
        return true;
    }

    /** Subtracts the column means, so that no user's tastes shift all of their ratings one way. */
    private static void center(double[][] vectors) {
        for (int f = 0; f < vectors[0].length; f++) {
            double mean = 0;
            for (double[] v : vectors) {
                mean += v[f];
            }
            mean /= vectors.length;
            for (double[] v : vectors) {
                v[f] -= mean;
            }
        }
    }

    /**
     * SPEC §1.6: per triple, one row per relation type for which another positive shares a value.
     */
    private RelationalData relational(PreparedTables tables, AuxiliaryMapping aux) {
        int[] catalogue = aux.items();
        IntList heads = new IntList(1 << 15);
        IntList types = new IntList(1 << 15);
        IntList values = new IntList(1 << 15);
        IntList tailPos = new IntList(1 << 15);
        IntList tailNeg = new IntList(1 << 15);
        Triples train = tables.rcfTrain();
        for (int k = 0; k < train.size(); k++) {
            int p = train.positive(k);
            MovieAttributes head = aux.get(p);
            int[] positives = tables.trainPositives().get(train.user(k));
            for (int type = MovieAttributes.GENRE; type <= MovieAttributes.ACTOR; type++) {
                IntList candidates = new IntList();
                IntList candidateValues = new IntList();
                for (int j : positives) {
                    if (j == p) {
                        continue;
                    }
                    for (int v : MovieAttributes.shared(head, aux.get(j), type)) {
                        candidates.add(j);
                        candidateValues.add(v);
                    }
                }
                if (candidates.size() == 0) {
                    continue;
                }
                int c = rng.nextInt(candidates.size());
                int value = candidateValues.get(c);
                heads.add(p);
                types.add(type);
                values.add(value);
                tailPos.add(candidates.get(c));
                tailNeg.add(movieWithout(catalogue, aux, type, value));
            }
        }
        return RelationalData.of(
                heads.toArray(),
                types.toArray(),
                values.toArray(),
                tailPos.toArray(),
                tailNeg.toArray());
    }

    private int movieWithout(int[] catalogue, AuxiliaryMapping aux, int type, int value) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int m = catalogue[rng.nextInt(catalogue.length)];
            if (!aux.get(m).has(type, value)) {
                return m;
            }
        }
        for (int m : catalogue) {
            if (!aux.get(m).has(type, value)) {
                return m;
            }
        }
        throw new DataException(
                "every synthetic movie has value " + value + " of relation type " + type);
    }

    /**
     * The auxiliary mapping with attribute ids made dense in order of first appearance, as in RCF's
     * file.
     */
    private static AuxiliaryMapping mapping(
            int nItems, int[][] genres, int[][] directors, int[][] actors, int[] missing) {
        int[] genreId = filled(GENRES + 1);
        int[] directorId = filled(nItems * 2 + 8);
        int[] actorId = filled(nItems * 2 + 20);
        int[] next = new int[3];
        List<Integer> items = new ArrayList<>();
        List<MovieAttributes> attributes = new ArrayList<>();
        for (int i = 0; i < nItems; i++) {
            if (Arrays.binarySearch(missing, i + 1) >= 0) {
                continue;
            }
            items.add(i + 1);
            attributes.add(
                    new MovieAttributes(
                            relabel(genres[i], genreId, next, 0),
                            relabel(directors[i], directorId, next, 1),
                            relabel(actors[i], actorId, next, 2)));
        }
        return AuxiliaryMapping.of(
                items.stream().mapToInt(Integer::intValue).toArray(),
                attributes.toArray(MovieAttributes[]::new));
    }

    private static int[] relabel(int[] concepts, int[] ids, int[] next, int kind) {
        int[] out = new int[concepts.length];
        for (int k = 0; k < concepts.length; k++) {
            if (ids[concepts[k]] < 0) {
                ids[concepts[k]] = next[kind]++;
            }
            out[k] = ids[concepts[k]];
        }
        return out;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    /** Raw ids of the movies left out of the auxiliary mapping (sorted). */
    private int[] missingItems(int nItems) {
        Set<Integer> chosen = new HashSet<>();
        while (chosen.size() < MISSING_FROM_MAPPING) {
            chosen.add(1 + rng.nextInt(nItems));
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** All items ordered by weighted sampling without replacement (Efraimidis–Spirakis keys). */
    private int[] popularityOrder(double[] weights) {
        int n = weights.length;
        double[] key = new double[n];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            key[i] = StrictMath.log(nextOpenDouble()) / weights[i];
            idx[i] = i;
        }
        Arrays.sort(
                idx,
                (a, b) -> {
                    int c = Double.compare(key[b], key[a]);
                    return c != 0 ? c : Integer.compare(a, b);
                });
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** Fisher–Yates shuffle of the rows: u.data is not ordered by user or time. */
    private RawRatings shuffled(int[] users, int[] items, int[] ratings, long[] times) {
        int n = users.length;
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int t = perm[k];
            perm[k] = perm[j];
            perm[j] = t;
        }
        int[] u = new int[n];
        int[] i = new int[n];
        int[] r = new int[n];
        long[] t = new long[n];
        for (int k = 0; k < n; k++) {
            u[k] = users[perm[k]];
            i[k] = items[perm[k]];
            r[k] = ratings[perm[k]];
            t[k] = times[perm[k]];
        }
        return new RawRatings(u, i, r, t);
    }

    /** Index drawn with probability proportional to {@code weights}. */
    private int pick(double[] weights) {
        return SyntheticDraws.pick(rng, weights);
    }

    /** {@code count} distinct indices drawn by weight, plus {@code offset}, in draw order. */
    private int[] sampleDistinct(double[] weights, int count, int offset) {
        int[] out = new int[count];
        int n = 0;
        while (n < count) {
            int k = pick(weights) + offset;
            boolean seen = false;
            for (int q = 0; q < n; q++) {
                seen |= out[q] == k;
            }
            if (!seen) {
                out[n++] = k;
            }
        }
        return out;
    }

    private static double[] zipfWeights(int n, double exponent) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 1.0 / StrictMath.pow(k + 1, exponent);
        }
        return w;
    }

    private double[][] gaussianMatrix(int rows, int cols, double std) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int c = 0; c < cols; c++) {
                row[c] = std * gaussian();
            }
        }
        return m;
    }

    private double gaussian() {
        return SyntheticDraws.gaussian(rng);
    }

    private double nextOpenDouble() {
        return SyntheticDraws.openDouble(rng);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    private static void writeRatings(java.nio.file.Path file, RawRatings raw) {
        DelimitedFile.write(
                file,
                StandardCharsets.ISO_8859_1,
                out -> {
                    StringBuilder sb = new StringBuilder(32);
                    for (int k = 0; k < raw.size(); k++) {
                        sb.setLength(0);
                        sb.append(raw.users()[k])
                                .append('\t')
                                .append(raw.items()[k])
                                .append('\t')
                                .append(raw.ratings()[k])
                                .append('\t')
                                .append(raw.timestamps()[k])
                                .append('\n');
                        out.append(sb);
                    }
                });
    }

    private static void writeItems(
            java.nio.file.Path file, String[] titles, int[] years, int[][] genres) {
        DelimitedFile.write(
                file,
                StandardCharsets.ISO_8859_1,
                out -> {
                    for (int i = 0; i < titles.length; i++) {
                        int id = i + 1;
                        StringBuilder sb = new StringBuilder(160);
                        sb.append(id)
                                .append('|')
                                .append(titles[i])
                                .append('|')
                                .append("01-Jan-")
                                .append(years[i])
                                .append("||http://example.org/accent-synthetic/movie/")
                                .append(id);
                        boolean[] flags = new boolean[GENRE_NAMES.length];
                        for (int g : genres[i]) {
                            flags[g] = true;
                        }
                        for (boolean f : flags) {
                            sb.append('|').append(f ? '1' : '0');
                        }
                        sb.append('\n');
                        out.append(sb);
                    }
                });
    }
}
