package io.accent.data;

import java.util.SplittableRandom;

/**
 * The latent tastes behind {@link ScaledSyntheticGenerator}'s ratings (docs/SPEC.md §11.5): movies
 * with genres, a popularity and a latent vector; users from a few taste groups, each user a latent
 * vector near their group's; and the law that picks the movies a user rates and the rating they
 * give.
 *
 * <p>A movie's vector mixes the vectors of its genres with a part of its own; a user's mixes their
 * group's vector with a part of their own. Which movies a user rates is drawn, without replacement,
 * with weight {@code popularity(i)·exp(CHOICE·g·q_i)} for the group's vector {@code g}: people rate
 * popular movies, and more often movies their group likes. The rating is the score {@code MEAN +
 * b_u + b_i + TASTE·p_u·q_i} plus noise, rounded to stars at {@link #STEPS}. Vector coordinates
 * have variance {@code 1/√FACTORS}, so that the dot product of a user's and a movie's vector has
 * variance one. The constants were tuned so that NCF trained on the ml-1m shape gives most users a
 * top-5 list of their own, and the ratings are distributed about as in MovieLens 1M.
 */
final class TasteModel {

    static final int FACTORS = 12;
    static final int GROUPS = 16;
    static final int GENRES = 18;

    /**
     * Share of a user's (a movie's) vector that is their own rather than their group's (genres').
     */
    static final double OWN_SHARE = 0.6;

    /**
     * Score {@code MEAN + b_u + b_i + TASTE·p_u·q_i} with {@code b_u ~ N(0, USER_BIAS²)}, {@code
     * b_i ~ N(0, ITEM_BIAS²)}, and noise {@code N(0, NOISE²)} on each rating.
     */
    static final double MEAN = 3.2;

    static final double TASTE = 1.3;
    static final double USER_BIAS = 0.3;
    static final double ITEM_BIAS = 0.2;
    static final double NOISE = 0.45;

    /** How strongly a group's taste steers which movies its users rate. */
    static final double CHOICE = 0.8;

    /** The scores at which a rating reaches 2, 3, 4 and 5 stars. */
    static final double[] STEPS = {1.45, 2.4, 3.45, 4.85};

    /** Popularity of the movie of rank r (0-based) is {@code 1/(r + POPULARITY_OFFSET·items)}. */
    static final double POPULARITY_OFFSET = 0.01;

    private static final double COORDINATE_STD = 1 / StrictMath.sqrt(StrictMath.sqrt(FACTORS));

    private final int items;
    private final int[][] genres;
    private final double[] itemVectors; // items × FACTORS, row-major
    private final double[] itemBias;
    private final double[] popularity;
    private final double[][] groupVectors;
    private final AliasTable[] choice;
    private final long userSeed;

    /** One user: their taste group, latent vector and bias. */
    record User(int group, double[] vector, double bias) {}

    private TasteModel(
            int[][] genres,
            double[] itemVectors,
            double[] itemBias,
            double[] popularity,
            double[][] groupVectors,
            long userSeed) {
        this.items = genres.length;
        this.genres = genres;
        this.itemVectors = itemVectors;
        this.itemBias = itemBias;
        this.popularity = popularity;
        this.groupVectors = groupVectors;
        this.userSeed = userSeed;
        this.choice = new AliasTable[GROUPS];
        double[] w = new double[items];
        for (int g = 0; g < GROUPS; g++) {
            for (int i = 0; i < items; i++) {
                w[i] =
                        popularity[i]
                                * StrictMath.exp(CHOICE * dot(groupVectors[g], itemVectors, i));
            }
            choice[g] = new AliasTable(w);
        }
    }

    /** Draws the movies and the taste groups from {@code rng}. */
    static TasteModel draw(SplittableRandom rng, int items) {
        double[][] genreVectors = new double[GENRES][];
        for (int g = 0; g < GENRES; g++) {
            genreVectors[g] = vector(rng);
        }
        double[][] groupVectors = new double[GROUPS][];
        for (int g = 0; g < GROUPS; g++) {
            groupVectors[g] = vector(rng);
        }
        int[][] genres = new int[items][];
        double[] itemVectors = new double[items * FACTORS];
        double[] itemBias = new double[items];
        for (int i = 0; i < items; i++) {
            int count = 1 + SyntheticDraws.pick(rng, new double[] {45, 40, 15});
            genres[i] = distinctGenres(rng, count);
            double[] own = vector(rng);
            double mix = StrictMath.sqrt(1 - OWN_SHARE) / StrictMath.sqrt(count);
            for (int f = 0; f < FACTORS; f++) {
                double g = 0;
                for (int x : genres[i]) {
                    g += genreVectors[x - 1][f];
                }
                itemVectors[i * FACTORS + f] = mix * g + StrictMath.sqrt(OWN_SHARE) * own[f];
            }
            itemBias[i] = ITEM_BIAS * SyntheticDraws.gaussian(rng);
        }
        // popularity by a random rank: a long tail that does not follow the ids
        int[] rank = new int[items];
        for (int i = 0; i < items; i++) {
            rank[i] = i;
        }
        for (int i = items - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        double[] popularity = new double[items];
        double offset = POPULARITY_OFFSET * items;
        for (int i = 0; i < items; i++) {
            popularity[i] = 1 / (rank[i] + offset);
        }
        return new TasteModel(
                genres, itemVectors, itemBias, popularity, groupVectors, rng.nextLong());
    }

    int items() {
        return items;
    }

    /** Genre flags (1..18, u.item order) of movie {@code i} (0-based). */
    int[] genres(int i) {
        return genres[i];
    }

    double popularity(int i) {
        return popularity[i];
    }

    /** The stream user {@code u}'s draws come from: independent of every other user's. */
    SplittableRandom userStream(int u) {
        return new SplittableRandom(mix64(userSeed + 0x9E3779B97F4A7C15L * (u + 1L)));
    }

    /** Draws a user (the first draws of their stream). */
    User user(SplittableRandom rng) {
        int group = rng.nextInt(GROUPS);
        double[] own = vector(rng);
        double[] v = new double[FACTORS];
        double a = StrictMath.sqrt(1 - OWN_SHARE);
        double b = StrictMath.sqrt(OWN_SHARE);
        for (int f = 0; f < FACTORS; f++) {
            v[f] = a * groupVectors[group][f] + b * own[f];
        }
        return new User(group, v, USER_BIAS * SyntheticDraws.gaussian(rng));
    }

    /** The expected rating before noise, rounding and clipping. */
    double score(User user, int i) {
        return MEAN + user.bias() + itemBias[i] + TASTE * dot(user.vector(), itemVectors, i);
    }

    /**
     * A rating 1..5 of movie {@code i}: the noisy score rounded to the nearest star, except that
     * the steps to 4 and to 5 lie a little higher ({@link #STEPS}), which gives MovieLens's share
     * of fours and fives.
     */
    int rate(User user, int i, SplittableRandom rng) {
        double r = score(user, i) + NOISE * SyntheticDraws.gaussian(rng);
        int stars = 1;
        for (double step : STEPS) {
            if (r >= step) {
                stars++;
            }
        }
        return stars;
    }

    /**
     * {@code n} distinct movies for {@code user}, drawn by the weights of their group in draw
     * order. {@code taken} is all false on entry and on return.
     */
    int[] choose(User user, int n, SplittableRandom rng, boolean[] taken) {
        AliasTable table = choice[user.group()];
        int[] out = new int[n];
        int k = 0;
        long budget = 20L * n + 100;
        for (long attempt = 0; k < n && attempt < budget; attempt++) {
            int i = table.sample(rng);
            if (!taken[i]) {
                taken[i] = true;
                out[k++] = i;
            }
        }
        if (k < n) {
            // a heavy user has taken most of the weight: draw the rest with exponential keys
            k = chooseByKeys(table, out, k, rng, taken);
        }
        for (int i : out) {
            taken[i] = false;
        }
        return out;
    }

    /** Efraimidis–Spirakis: the movies not yet taken with the largest {@code log(U)/w}. */
    private int chooseByKeys(
            AliasTable table, int[] out, int k, SplittableRandom rng, boolean[] taken) {
        int free = items - k;
        double[] keys = new double[free];
        int[] ids = new int[free];
        int m = 0;
        for (int i = 0; i < items; i++) {
            if (!taken[i]) {
                keys[m] = StrictMath.log(SyntheticDraws.openDouble(rng)) / table.weight(i);
                ids[m++] = i;
            }
        }
        double[] sorted = keys.clone();
        java.util.Arrays.sort(sorted);
        double threshold = sorted[free - (out.length - k)];
        for (int j = 0; j < free && k < out.length; j++) {
            if (keys[j] >= threshold) {
                taken[ids[j]] = true;
                out[k++] = ids[j];
            }
        }
        return k;
    }

    private static int[] distinctGenres(SplittableRandom rng, int count) {
        int[] out = new int[count];
        int n = 0;
        while (n < count) {
            int g = SyntheticDraws.pick(rng, SyntheticGenerator.GENRE_WEIGHTS) + 1;
            boolean seen = false;
            for (int q = 0; q < n; q++) {
                seen |= out[q] == g;
            }
            if (!seen) {
                out[n++] = g;
            }
        }
        java.util.Arrays.sort(out);
        return out;
    }

    private static double[] vector(SplittableRandom rng) {
        double[] v = new double[FACTORS];
        for (int f = 0; f < FACTORS; f++) {
            v[f] = COORDINATE_STD * SyntheticDraws.gaussian(rng);
        }
        return v;
    }

    private static double dot(double[] a, double[] rows, int row) {
        double s = 0;
        int o = row * FACTORS;
        for (int f = 0; f < FACTORS; f++) {
            s += a[f] * rows[o + f];
        }
        return s;
    }

    /** The 64-bit finalizer of SplittableRandom (Stafford's variant 13). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Walker's alias method: O(1) draws by weight. */
    static final class AliasTable {
        private final double[] weights;
        private final double[] keep;
        private final int[] alias;

        AliasTable(double[] w) {
            int n = w.length;
            this.weights = w.clone();
            this.keep = new double[n];
            this.alias = new int[n];
            double total = 0;
            for (double x : w) {
                total += x;
            }
            double[] scaled = new double[n];
            int[] small = new int[n];
            int[] large = new int[n];
            int ns = 0;
            int nl = 0;
            for (int i = 0; i < n; i++) {
                scaled[i] = w[i] * n / total;
                if (scaled[i] < 1) {
                    small[ns++] = i;
                } else {
                    large[nl++] = i;
                }
            }
            while (ns > 0 && nl > 0) {
                int s = small[--ns];
                int l = large[--nl];
                keep[s] = scaled[s];
                alias[s] = l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                if (scaled[l] < 1) {
                    small[ns++] = l;
                } else {
                    large[nl++] = l;
                }
            }
            while (nl > 0) {
                int l = large[--nl];
                keep[l] = 1;
                alias[l] = l;
            }
            while (ns > 0) {
                int s = small[--ns];
                keep[s] = 1; // rounding left it just below one
                alias[s] = s;
            }
        }

        int sample(SplittableRandom rng) {
            int i = rng.nextInt(keep.length);
            return rng.nextDouble() < keep[i] ? i : alias[i];
        }

        double weight(int i) {
            return weights[i];
        }
    }
}
