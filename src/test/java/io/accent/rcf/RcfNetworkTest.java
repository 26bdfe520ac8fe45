package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.data.MovieAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
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
 * The RCF graph against a plain-Java float64 evaluation of §4.3, finite differences and padding.
 */
class RcfNetworkTest {

    static final RcfNetwork.Sizes SIZES = new RcfNetwork.Sizes(4, 9, 4, 3, 6, 6, 4, 5);

    /** Items with 1–3 genres, 1–2 directors, 1–3 actors (several values per item, shared often). */
    static MovieAttributes[] attributes(long seed) {
        Random r = new Random(seed);
        MovieAttributes[] a = new MovieAttributes[SIZES.items()];
        for (int i = 0; i < a.length; i++) {
            a[i] =
                    new MovieAttributes(
                            pick(r, SIZES.genres(), 1 + r.nextInt(3)),
                            pick(r, SIZES.directors(), 1 + r.nextInt(2)),
                            pick(r, SIZES.actors(), 1 + r.nextInt(3)));
        }
        return a;
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

    static RcfNeighbourLists lists(MovieAttributes[] attrs) {
        return new RcfNeighbourLists(
                Arrays.asList(attrs),
                POSITIVES,
                new int[] {SIZES.genres(), SIZES.directors(), SIZES.actors()});
    }

    static RcfNetwork.Weights<TFloat64> weights(Ops tf, JavaRcf m) {
        List<Operand<TFloat64>> w = new ArrayList<>();
        long[][] shapes = RcfNetwork.shapes(SIZES);
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
        for (int t = 0; t < RcfNetwork.TYPES; t++) {
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

    @Test
    void scoreEqualsJavaFloat64EvaluationRaggedAndPadded() {
        for (long seed = 1; seed <= 3; seed++) {
            MovieAttributes[] attrs = attributes(seed);
            JavaRcf m = new JavaRcf(SIZES, seed, 0.6, 0.5);
            RcfNeighbourLists nl = lists(attrs);
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
        MovieAttributes[] attrs = attributes(5);
        RcfNeighbourLists.Batch b = lists(attrs).batch(new int[] {2}, new int[] {3});
        assertEquals(0, b.entries());
    }

    @Test
    void ignoreSetRemovesItemsFromEveryList() {
        MovieAttributes[] attrs = attributes(7);
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
    @Test
    void gradientAndHessianVectorProductWithRespectToUserRowsMatchFiniteDifferences() {
        MovieAttributes[] attrs = attributes(11);
        JavaRcf m = new JavaRcf(SIZES, 11, 0.6, 0.5);
        RcfNeighbourLists nl = lists(attrs);
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
                RcfNetwork.shapes(new RcfNetwork.Sizes(452, 1654, 26, 1154, 3946, 64, 32, 64))) {
            long k = 1;
            for (long d : s) {
                k *= d;
            }
            n += k;
        }
        assertEquals(492_096, n);
    }
}
