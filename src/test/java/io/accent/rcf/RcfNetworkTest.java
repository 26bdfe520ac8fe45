package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * The RCF graph against a plain-Java float64 evaluation of §4.3, finite differences and padding,
 * with the three attribute kinds of the RCF release and with one and five kinds (§11.2).
 */
class RcfNetworkTest {

    /**
     * A small catalogue with K attribute kinds: per item and kind, between {@code minValues[k]} and
     * {@code maxValues[k]} distinct values (several per item, shared often; a minimum of 0 leaves
     * some items without values of that kind).
     */
    record Fixture(String name, RcfNetwork.Sizes sizes, int[] minValues, int[] maxValues) {

        /** {@code [kind][item]} value ids, drawn item by item, kind by kind. */
        int[][][] attributes(long seed) {
            Random r = new Random(seed);
            int kinds = sizes.kinds();
            int[][][] a = new int[kinds][sizes.items()][];
            for (int i = 0; i < sizes.items(); i++) {
                for (int k = 0; k < kinds; k++) {
                    int n = minValues[k] + r.nextInt(maxValues[k] - minValues[k] + 1);
                    a[k][i] = pick(r, sizes.vocabulary(k + 1), n);
                }
            }
            return a;
        }

        RcfNeighbourLists lists(int[][][] attrs) {
            int[] vocab = sizes.vocabularies().stream().mapToInt(Integer::intValue).toArray();
            return new RcfNeighbourLists(attrs, POSITIVES, vocab);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The RCF release's kinds: genre, director, actor (1–3, 1–2, 1–3 values per item). */
    static final Fixture RELEASE =
            new Fixture(
                    "K=3",
                    new RcfNetwork.Sizes(4, 9, List.of(4, 3, 6), 6, 4, 5),
                    new int[] {1, 1, 1},
                    new int[] {3, 2, 3});

    /** One kind (MovieLens 1M…32M: genres). */
    static final Fixture ONE =
            new Fixture(
                    "K=1",
                    new RcfNetwork.Sizes(4, 9, List.of(5), 6, 4, 5),
                    new int[] {1},
                    new int[] {3});

    /** Five kinds, two of which leave some items without values. */
    static final Fixture FIVE =
            new Fixture(
                    "K=5",
                    new RcfNetwork.Sizes(4, 9, List.of(4, 3, 6, 2, 5), 6, 4, 5),
                    new int[] {1, 1, 0, 1, 0},
                    new int[] {3, 2, 3, 1, 2});

    static final RcfNetwork.Sizes SIZES = RELEASE.sizes();

    static Stream<Fixture> fixtures() {
        return Stream.of(ONE, RELEASE, FIVE);
    }

    /** Items of the release fixture. */
    static int[][][] attributes(long seed) {
        return RELEASE.attributes(seed);
    }

    private static int[] pick(Random r, int n, int k) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        java.util.Collections.shuffle(all, r);
        return all.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }

    /** User 0: several positives; 1: a repeated positive; 2: none (empty lists); 3: one. */
    static final int[][] POSITIVES = {{1, 2, 3, 5, 8, 0}, {2, 6, 2, 7}, {}, {4}};

    static RcfNeighbourLists lists(int[][][] attrs) {
        return RELEASE.lists(attrs);
    }

    static RcfNetwork.Weights<TFloat64> weights(Ops tf, JavaRcf m) {
        List<Operand<TFloat64>> w = new ArrayList<>();
        long[][] shapes = RcfNetwork.shapes(m.sizes);
        for (int k = 0; k < shapes.length; k++) {
            double[][] a = m.w[k];
            Operand<TFloat64> c = tf.constant(a);
            w.add(shapes[k].length == 1 ? tf.reshape(c, tf.constant(new int[] {-1})) : c);
        }
        return new RcfNetwork.Weights<>(w);
    }

    static RcfNetwork.Lists feed(Ops tf, RcfNeighbourLists.Batch b) {
        List<Operand<TInt32>> rows = new ArrayList<>();
        List<Operand<TInt32>> items = new ArrayList<>();
        List<Operand<TInt32>> values = new ArrayList<>();
        for (int t = 0; t < b.rows().length; t++) {
            rows.add(tf.constant(b.rows()[t]));
            items.add(tf.constant(b.items()[t]));
            values.add(tf.constant(b.values()[t]));
        }
        return new RcfNetwork.Lists(rows, items, values);
    }

    static double[] run(Session s, Operand<TFloat64> y) {
        try (Result r = s.runner().fetch(y).run()) {
            TFloat64 t = (TFloat64) r.get(0);
            double[] out = new double[(int) t.shape().size()];
            t.asRawTensor().data().asDoubles().read(out);
            return out;
        }
    }

    /** Every (user, item) pair of the small catalogue. */
    static int[][] allPairs() {
        List<int[]> p = new ArrayList<>();
        for (int u = 0; u < SIZES.users(); u++) {
            for (int i = 0; i < SIZES.items(); i++) {
                p.add(new int[] {u, i});
            }
        }
        return p.toArray(int[][]::new);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void scoreEqualsJavaFloat64EvaluationRaggedAndPadded(Fixture fx) {
        for (long seed = 1; seed <= 3; seed++) {
            int[][][] attrs = fx.attributes(seed);
            JavaRcf m = new JavaRcf(fx.sizes(), seed, 0.6, 0.5);
            RcfNeighbourLists nl = fx.lists(attrs);
            int[][] pairs = allPairs();
            int[] us = Arrays.stream(pairs).mapToInt(p -> p[0]).toArray();
            int[] is = Arrays.stream(pairs).mapToInt(p -> p[1]).toArray();
            RcfNeighbourLists.Batch ragged = nl.batch(us, is);
            RcfNeighbourLists.Batch padded = nl.padded(ragged);
            assertTrue(padded.entries() > ragged.entries(), "the padded layout has padding");
            for (RcfNetwork.Nonlinearity kind : RcfNetwork.Nonlinearity.values()) {
                try (Graph g = new Graph();
                        Session s = new Session(g)) {
                    Ops tf = Ops.create(g);
                    var w = weights(tf, m);
                    double[] a =
                            run(
                                    s,
                                    RcfNetwork.score(
                                            tf,
                                            kind,
                                            w,
                                            0.5,
                                            tf.constant(us),
                                            tf.constant(is),
                                            feed(tf, ragged)));
                    double[] b =
                            run(
                                    s,
                                    RcfNetwork.score(
                                            tf,
                                            kind,
                                            w,
                                            0.5,
                                            tf.constant(us),
                                            tf.constant(is),
                                            feed(tf, padded)));
                    for (int k = 0; k < pairs.length; k++) {
                        double want = m.score(us[k], is[k], POSITIVES[us[k]], attrs);
                        assertEquals(
                                want,
                                a[k],
                                1e-12 * Math.max(1, Math.abs(want)),
                                kind + " pair " + k);
                        // padded entries change nothing (they are masked to exp(−1e12) = 0)
                        assertEquals(
                                a[k],
                                b[k],
                                1e-13 * Math.max(1, Math.abs(want)),
                                "padded pair " + k);
                    }
                }
            }
        }
    }

    @Test
    void userWithoutPositivesScoresFromItsOwnEmbedding() {
        int[][][] attrs = attributes(5);
        RcfNeighbourLists.Batch b = lists(attrs).batch(new int[] {2}, new int[] {3});
        assertEquals(0, b.entries());
    }

    @Test
    void ignoreSetRemovesItemsFromEveryList() {
        int[][][] attrs = attributes(7);
        RcfNeighbourLists nl = lists(attrs);
        BitSet ignore = new BitSet();
        ignore.set(2);
        ignore.set(5);
        RcfNeighbourLists.Pair p = nl.pair(0, 4, ignore);
        for (int[] items : p.items()) {
            for (int j : items) {
                assertTrue(j != 2 && j != 5 && j != 4, "item " + j);
            }
        }
        assertEquals(
                4,
                Arrays.stream(p.items()[0]).count()
                        + Arrays.stream(p.items())
                                .skip(1)
                                .flatMapToInt(Arrays::stream)
                                .distinct()
                                .count());
    }

    /** f(e) = Σ_s c_s ŷ_s as a function of the user rows e [S, H] with the lists held fixed. */
    @ParameterizedTest
    @MethodSource("fixtures")
    void gradientAndHessianVectorProductWithRespectToUserRowsMatchFiniteDifferences(Fixture fx) {
        int[][][] attrs = fx.attributes(11);
        JavaRcf m = new JavaRcf(fx.sizes(), 11, 0.6, 0.5);
        RcfNeighbourLists nl = fx.lists(attrs);
        int[] us = {0, 0, 1, 3};
        int[] is = {4, 7, 0, 6};
        RcfNeighbourLists.Batch b = nl.batch(us, is);
        int n = us.length * SIZES.hidden();
        Random r = new Random(3);
        double[] e0 = new double[n];
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            e0[k] = r.nextGaussian() * 0.6;
            v[k] = r.nextGaussian();
        }
        double[] c = {1.0, -0.7, 0.4, 1.3};
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var w = weights(tf, m);
            RcfNetwork.Nonlinearity nlin = RcfNetwork.Nonlinearity.PRIMITIVE;
            Placeholder<TFloat64> e =
                    tf.placeholder(
                            TFloat64.class, Placeholder.shape(Shape.of(us.length, SIZES.hidden())));
            Operand<TInt32> targets = tf.constant(is);
            var att =
                    RcfNetwork.attention(
                            tf, nlin, w, 0.5, targets, feed(tf, b), tf.constant(us.length));
            Operand<TFloat64> y =
                    RcfNetwork.scoreGivenLists(
                            tf,
                            nlin,
                            w,
                            e,
                            tf.gather(w.items(), targets, tf.constant(0)),
                            att.outputs());
            Operand<TFloat64> f = tf.reduceSum(tf.math.mul(y, tf.constant(c)), tf.constant(0));
            Gradients g1 = tf.gradients(f, List.of(e), Gradients.dx(List.of(tf.constant(1.0))));
            Operand<TFloat64> grad = g1.dy(0);
            Operand<TFloat64> dot =
                    tf.reduceSum(
                            tf.math.mul(grad, tf.constant(reshape(v, us.length))),
                            tf.constant(new int[] {0, 1}));
            Gradients g2 = tf.gradients(dot, List.of(e), Gradients.dx(List.of(tf.constant(1.0))));
            Operand<TFloat64> hvp = g2.dy(0);

            double[] f0 = eval(s, e, e0, f);
            double[] gr = eval(s, e, e0, grad);
            double[] hv = eval(s, e, e0, hvp);
            // the graph's f equals the Java oracle at e0
            double want = 0;
            for (int k = 0; k < us.length; k++) {
                want +=
                        c[k]
                                * m.score(
                                        Arrays.copyOfRange(
                                                e0, k * SIZES.hidden(), (k + 1) * SIZES.hidden()),
                                        us[k],
                                        is[k],
                                        POSITIVES[us[k]],
                                        attrs);
            }
            assertEquals(want, f0[0], 1e-12);
            double eps = 1e-5;
            for (int k = 0; k < n; k++) {
                double[] p = e0.clone();
                double[] q = e0.clone();
                p[k] += eps;
                q[k] -= eps;
                double fd = (eval(s, e, p, f)[0] - eval(s, e, q, f)[0]) / (2 * eps);
                assertEquals(fd, gr[k], 1e-7, "gradient " + k);
            }
            double[] p = e0.clone();
            double[] q = e0.clone();
            for (int k = 0; k < n; k++) {
                p[k] += eps * v[k];
                q[k] -= eps * v[k];
            }
            double[] gp = eval(s, e, p, grad);
            double[] gq = eval(s, e, q, grad);
            double norm = 0;
            for (double x : hv) {
                norm = Math.max(norm, Math.abs(x));
            }
            assertTrue(norm > 1e-3, "non-trivial HVP");
            for (int k = 0; k < n; k++) {
                assertEquals(
                        (gp[k] - gq[k]) / (2 * eps), hv[k], 1e-6 * Math.max(1, norm), "HVP " + k);
            }
        }
    }

    private static double[][] reshape(double[] a, int rows) {
        int cols = a.length / rows;
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, r * cols, out[r], 0, cols);
        }
        return out;
    }

    private static double[] eval(
            Session s, Placeholder<TFloat64> e, double[] value, Operand<TFloat64> out) {
        try (TFloat64 t =
                        TFloat64.tensorOf(
                                Shape.of(value.length / SIZES.hidden(), SIZES.hidden()),
                                DataBuffers.of(value, true, false));
                Result r = s.runner().feed(e, t).fetch(out).run()) {
            TFloat64 o = (TFloat64) r.get(0);
            double[] d = new double[(int) o.shape().size()];
            o.asRawTensor().data().asDoubles().read(d);
            return d;
        }
    }

    @Test
    void referenceSizesHave492096TrainableScalars() {
        long n = 0;
        for (long[] s :
                RcfNetwork.shapes(
                        new RcfNetwork.Sizes(452, 1654, List.of(26, 1154, 3946), 64, 32, 64))) {
            long k = 1;
            for (long d : s) {
                k *= d;
            }
            n += k;
        }
        assertEquals(492_096, n);
    }

    @Test
    void variablesOfTheReleaseKindsAreTheReferences27InOrderAndOtherKGrowByFive() {
        assertEquals(
                List.of(
                        "e_user", "R", "q", "V1", "V2", "V3", "Wt", "bt", "wt", "W0i", "W0j", "a0",
                        "W1i", "W1j", "W1e", "a1", "W2i", "W2j", "W2e", "a2", "W3i", "W3j", "W3e",
                        "a3", "M0", "c0", "wp"),
                RcfNetwork.variables(3));
        assertEquals(
                List.of(
                        "e_user", "R", "q", "V1", "Wt", "bt", "wt", "W0i", "W0j", "a0", "W1i",
                        "W1j", "W1e", "a1", "M0", "c0", "wp"),
                RcfNetwork.variables(1));
        assertEquals(37, RcfNetwork.variables(5).size());
        for (int k = 1; k <= 12; k++) {
            assertEquals(k, RcfNetwork.kindsOf(RcfNetwork.variables(k).size()));
        }
        assertEquals(-1, RcfNetwork.kindsOf(26));
        // R has K + 1 rows, one value table per kind
        long[][] five = RcfNetwork.shapes(FIVE.sizes());
        assertArrayEquals(new long[] {6, 6}, five[1]);
        assertArrayEquals(new long[] {5, 6}, five[3 + 4]);
    }

    /**
     * The training objective f(W) = Σ_s c_s ŷ_s + Σ_r relational_r (§4.4, relational rows of every
     * kind) of the graph equals the Java oracle, and its gradient with respect to every weight
     * (value tables, R, every kind's attention, MLP) matches central differences of the oracle.
     */
    @ParameterizedTest
    @MethodSource("fixtures")
    void lossAndItsGradientWithRespectToEveryWeightMatchTheJavaOracle(Fixture fx) {
        int[][][] attrs = fx.attributes(17);
        JavaRcf m = new JavaRcf(fx.sizes(), 17, 0.6, 0.5);
        RcfNeighbourLists nl = fx.lists(attrs);
        int[] us = {0, 0, 1, 3, 0};
        int[] is = {4, 7, 0, 6, 2};
        double[] c = {1.0, -0.7, 0.4, 1.3, -0.5};
        RcfNeighbourLists.Batch b = nl.batch(us, is);
        assertTrue(b.items()[1].length > 0, "kind 1 has entries");
        // relational rows: two per kind, heads and tails spread over the catalogue
        int kinds = fx.sizes().kinds();
        int[][] rel = new int[5][2 * kinds];
        Random r = new Random(5);
        for (int k = 0; k < 2 * kinds; k++) {
            int t = 1 + k / 2;
            rel[0][k] = r.nextInt(9);
            rel[1][k] = t;
            rel[2][k] = r.nextInt(fx.sizes().vocabulary(t));
            rel[3][k] = r.nextInt(9);
            rel[4][k] = r.nextInt(9);
        }
        java.util.function.DoubleSupplier oracle =
                () -> {
                    double f = 0;
                    for (int k = 0; k < us.length; k++) {
                        f += c[k] * m.score(us[k], is[k], POSITIVES[us[k]], attrs);
                    }
                    for (int k = 0; k < rel[0].length; k++) {
                        f += m.relational(rel[0][k], rel[1][k], rel[2][k], rel[3][k], rel[4][k]);
                    }
                    return f;
                };
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var w = weights(tf, m);
            RcfNetwork.Nonlinearity nlin = RcfNetwork.Nonlinearity.NATIVE;
            Operand<TInt32> axis0 = tf.constant(0);
            Operand<TFloat64> y =
                    RcfNetwork.score(
                            tf, nlin, w, 0.5, tf.constant(us), tf.constant(is), feed(tf, b));
            Operand<TFloat64> relTerms =
                    RcfNetwork.relational(
                            tf,
                            nlin,
                            w,
                            fx.sizes(),
                            tf.constant(rel[0]),
                            tf.constant(rel[1]),
                            tf.constant(rel[2]),
                            tf.constant(rel[3]),
                            tf.constant(rel[4]));
            Operand<TFloat64> f =
                    tf.math.add(
                            tf.reduceSum(tf.math.mul(y, tf.constant(c)), axis0),
                            tf.reduceSum(relTerms, axis0));
            Gradients grads = tf.gradients(f, w.all(), Gradients.dx(List.of(tf.constant(1.0))));
            List<Operand<TFloat64>> fetch = new ArrayList<>(List.of(f));
            for (int v = 0; v < w.all().size(); v++) {
                fetch.add(grads.dy(v));
            }
            double[][] out = new double[fetch.size()][];
            var runner = s.runner();
            fetch.forEach(runner::fetch);
            try (Result res = runner.run()) {
                for (int k = 0; k < out.length; k++) {
                    TFloat64 t = (TFloat64) res.get(k);
                    out[k] = new double[(int) t.shape().size()];
                    t.asRawTensor().data().asDoubles().read(out[k]);
                }
            }
            double want = oracle.getAsDouble();
            assertEquals(want, out[0][0], 1e-12 * Math.max(1, Math.abs(want)), "objective");
            double eps = 1e-6;
            List<String> names = fx.sizes().variables();
            Random pickEntry = new Random(3);
            for (int v = 0; v < names.size(); v++) {
                double[][] a = m.w[v];
                int cols = a[0].length;
                double largest = 0;
                for (double x : out[v + 1]) {
                    largest = Math.max(largest, Math.abs(x));
                }
                String name = names.get(v);
                boolean attention = name.matches("(W[0-9]+[ije]|a[0-9]+)");
                int type = attention ? Integer.parseInt(name.replaceAll("[^0-9]", "")) : -1;
                // an item attention without list entries of its type has no gradient
                boolean used = !attention || b.items()[type].length > 0;
                assertEquals(used, largest > 1e-6, name + " gets a gradient iff it is used");
                for (int trial = 0; trial < 4; trial++) {
                    // the entry with the largest gradient, then random ones
                    int at =
                            trial == 0 ? argMaxAbs(out[v + 1]) : pickEntry.nextInt(a.length * cols);
                    int row = at / cols;
                    int col = at % cols;
                    double keep = a[row][col];
                    a[row][col] = keep + eps;
                    double fp = oracle.getAsDouble();
                    a[row][col] = keep - eps;
                    double fq = oracle.getAsDouble();
                    a[row][col] = keep;
                    assertEquals(
                            (fp - fq) / (2 * eps),
                            out[v + 1][at],
                            1e-6 * Math.max(1, largest),
                            fx + " d/d" + names.get(v) + "[" + row + "][" + col + "]");
                }
            }
        }
    }

    private static int argMaxAbs(double[] a) {
        int best = 0;
        for (int k = 1; k < a.length; k++) {
            if (Math.abs(a[k]) > Math.abs(a[best])) {
                best = k;
            }
        }
        return best;
    }
}
