package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.RcfTestModels;
import io.accent.TestModels;
import io.accent.core.DataException;
import io.accent.core.ModelException;
import io.accent.influence.PinvReference;
import io.accent.influence.RemovalScores;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

class RcfInfluenceTest {

    private static TrainedModel model;

    @BeforeAll
    static void load() {
        model = ModelStore.load(RcfTestModels.small());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** A user with at least {@code min} positives. */
    private static int user(int min) {
        for (int u = 0; u < model.metadata().numUsers(); u++) {
            if (model.trainingItems(u).cardinality() >= min) {
                return u;
            }
        }
        throw new AssertionError("no user with " + min + " positives");
    }

    @Test
    void hessianMatchesFiniteDifferencesOfTheGradient() {
        // few rows per call, so the Hessian sum is split over several session calls
        try (RcfInfluenceEngine e =
                new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults().withRowsPerCall(6))) {
            int u = user(5);
            RcfInfluenceEngine.UserLists l = e.lists(u, new int[0], true);
            int[] tri = e.triples(u);
            int h = e.userVector(u).length;
            for (int removed : new int[] {-1, 2}) {
                double[] hess = e.sumHessian(l, tri, removed);
                double[] e0 = e.userVector(u);
                double eps = 1e-5;
                double scale = 0;
                double worst = 0;
                for (int c = 0; c < h; c++) {
                    double[] plus = e0.clone();
                    double[] minus = e0.clone();
                    plus[c] += eps;
                    minus[c] -= eps;
                    double[] gp = e.sumGradient(l, removed, plus);
                    double[] gm = e.sumGradient(l, removed, minus);
                    for (int r = 0; r < h; r++) {
                        double fd = (gp[r] - gm[r]) / (2 * eps);
                        worst = Math.max(worst, Math.abs(fd - hess[r * h + c]));
                        scale = Math.max(scale, Math.abs(hess[r * h + c]));
                    }
                }
                assertTrue(scale > 1e-6, "Hessian is not trivially zero");
                assertTrue(
                        worst < 1e-6 * Math.max(1, scale),
                        "max |H − FD| " + worst + " at scale " + scale);
            }
            exactHessiansMatchFiniteDifferences(e, u, 0, 2);
        }
    }

    /**
     * The closed-form per-removal Hessians of user u (the engine's exact mode) against central
     * differences of the gradient with the lists without p, for each p of {@code removals}.
     */
    static void exactHessiansMatchFiniteDifferences(RcfInfluenceEngine e, int u, int... removals) {
        RcfInfluenceEngine.UserLists l = e.lists(u, new int[0], true);
        double[][] exact = e.exactHessians(l, e.triples(u));
        int h = e.userVector(u).length;
        for (int p : removals) {
            double[] e0 = e.userVector(u);
            double eps = 1e-5;
            double scale = 0;
            double worst = 0;
            for (int c = 0; c < h; c++) {
                double[] plus = e0.clone();
                double[] minus = e0.clone();
                plus[c] += eps;
                minus[c] -= eps;
                double[] gp = e.sumGradient(l, p, plus);
                double[] gm = e.sumGradient(l, p, minus);
                for (int r = 0; r < h; r++) {
                    double fd = (gp[r] - gm[r]) / (2 * eps);
                    worst = Math.max(worst, Math.abs(fd - exact[p][r * h + c]));
                    scale = Math.max(scale, Math.abs(exact[p][r * h + c]));
                }
            }
            assertTrue(scale > 1e-6, "Hessian is not trivially zero");
            assertTrue(
                    worst < 1e-6 * Math.max(1, scale),
                    "p=" + p + ": max |H − FD| " + worst + " at scale " + scale);
        }
    }

    /**
     * The closed-form Hessians (one call per batch of removals) equal TensorFlow double backprop
     * through the score graph, one removal at a time, to round-off; on users where a removed
     * positive has several entries in one list, a type of a row is empty, and a removal empties a
     * type. Small and large batches (several calls per user, or one) agree.
     */
    @Test
    void closedFormHessiansEqualDoubleBackprop() {
        try (RcfInfluenceEngine small =
                        new RcfInfluenceEngine(
                                model, RcfInfluenceConfig.defaults().withRowsPerCall(2));
                RcfInfluenceEngine big =
                        new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults())) {
            boolean repeated = false;
            boolean empty = false;
            boolean emptied = false;
            int checked = 0;
            for (int u = 0; u < model.metadata().numUsers() && checked < 3; u++) {
                int[] tri = small.triples(u);
                if (tri.length < 3 || tri.length > 40) {
                    continue;
                }
                RcfInfluenceEngine.UserLists l = small.lists(u, new int[0], true);
                boolean rep = false;
                boolean emp = false;
                boolean emd = false;
                for (int z : tri) {
                    for (int item :
                            new int[] {
                                ((RcfModel) model).rcfData().train().positive(z),
                                ((RcfModel) model).rcfData().train().negative(z)
                            }) {
                        int r = l.rowOf(item);
                        for (int t = 0; t < (RcfKinds.RELEASE.count() + 1); t++) {
                            emp |= l.count[r][t] == 0;
                            for (int p = 0; p < l.n; p++) {
                                int m = l.partCount[r][t * l.n + p];
                                rep |= m >= 2;
                                emd |= m > 0 && m == l.count[r][t];
                            }
                        }
                    }
                }
                if ((rep && !repeated) || (emp && !empty) || (emd && !emptied)) {
                    repeated |= rep;
                    empty |= emp;
                    emptied |= emd;
                    checked++;
                    double[][] got = small.exactHessians(l, tri);
                    double[][] once = big.exactHessians(big.lists(u, new int[0], true), tri);
                    double[][] shared = small.removalHessians(l, tri, new int[] {-1});
                    assertClose(small.sumHessian(l, tri, -1), shared[0], "u=" + u + " shared");
                    for (int p = 0; p < l.n; p++) {
                        double[] want = small.sumHessian(l, tri, p);
                        assertClose(want, got[p], "u=" + u + " p=" + p);
                        assertClose(want, once[p], "u=" + u + " p=" + p + " one call");
                    }
                }
            }
            assertTrue(repeated, "no removal with several entries in one list was checked");
            assertTrue(empty, "no row with an empty type was checked");
            assertTrue(emptied, "no removal emptying a type was checked");
        }
    }

    /**
     * The parameter shifts Δ_p of exact mode (closed-form Hessians) equal those from the
     * double-backprop Hessians to round-off, so the influence matrices and the explanations built
     * on them are those of the double-backprop engine.
     */
    @Test
    void exactShiftsEqualThoseOfTheDoubleBackpropHessians() {
        try (RcfInfluenceEngine e = new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults())) {
            int u = user(6);
            RcfInfluenceEngine.UserLists l = e.lists(u, new int[0], true);
            int[] tri = e.triples(u);
            double[][] oracle = new double[l.n][];
            for (int p = 0; p < l.n; p++) {
                oracle[p] = e.sumHessian(l, tri, p);
            }
            double[] want = e.shiftedSlots(l, oracle);
            double[] got = e.shiftedSlots(l);
            double[] e0 = e.userVector(u);
            int h = e0.length;
            double[] dWant = new double[want.length - h];
            double[] dGot = new double[want.length - h];
            for (int i = h; i < want.length; i++) {
                dWant[i - h] = want[i] - e0[i % h];
                dGot[i - h] = got[i] - e0[i % h];
            }
            assertClose(dWant, dGot, "Δ_p of user " + u);
        }
    }

    private static void assertClose(double[] want, double[] got, String what) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(scale > 1e-6, what + ": Hessian is not trivially zero");
        assertTrue(worst <= 1e-10 * scale, what + ": max |Δ| " + worst + " at scale " + scale);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheLoss() {
        try (RcfInfluenceEngine e = new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults())) {
            int u = user(4);
            RcfInfluenceEngine.UserLists l = e.lists(u, new int[0], true);
            double[] e0 = e.userVector(u);
            double[] g = e.sumGradient(l, 1, e0);
            try (Oracle o = new Oracle(model, 0.5)) {
                double eps = 1e-6;
                for (int c = 0; c < e0.length; c++) {
                    double[] plus = e0.clone();
                    double[] minus = e0.clone();
                    plus[c] += eps;
                    minus[c] -= eps;
                    int removed = l.actions[1];
                    double fd =
                            (o.loss(u, plus, e.triples(u), removed)
                                            - o.loss(u, minus, e.triples(u), removed))
                                    / (2 * eps);
                    assertEquals(fd, g[c], 1e-7, "component " + c);
                }
            }
        }
    }

    @Test
    void shiftEqualsAPlainJavaSolveOfTheDampedHessian() {
        try (RcfInfluenceEngine e = new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults())) {
            int u = user(4);
            RcfInfluenceEngine.UserLists l = e.lists(u, new int[0], true);
            int[] tri = e.triples(u);
            int n = tri.length;
            double[] slots = e.shiftedSlots(l);
            double[] e0 = e.userVector(u);
            int h = e0.length;
            try (Oracle o = new Oracle(model, 0.5)) {
                for (int p : new int[] {0, n - 1}) {
                    double[] hess = e.sumHessian(l, tri, p);
                    double[][] a = new double[h][h];
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < h; j++) {
                            a[i][j] =
                                    0.5 * (hess[i * h + j] + hess[j * h + i]) / n
                                            + (i == j ? 0.01 : 0);
                        }
                    }
                    // g_p from the oracle's finite differences of ℓ(z_p) with the lists without p
                    double[] g = new double[h];
                    for (int c = 0; c < h; c++) {
                        double[] plus = e0.clone();
                        double[] minus = e0.clone();
                        plus[c] += 1e-6;
                        minus[c] -= 1e-6;
                        int[] zp = {tri[p]};
                        g[c] =
                                (o.loss(u, plus, zp, l.actions[p])
                                                - o.loss(u, minus, zp, l.actions[p]))
                                        / 2e-6;
                    }
                    double[] want = PinvReference.solve(a, g);
                    for (int c = 0; c < h; c++) {
                        assertEquals(
                                want[c] / n,
                                slots[(p + 1) * h + c] - e0[c],
                                1e-6 * (1 + Math.abs(want[c] / n)));
                    }
                }
            }
        }
    }

    @Test
    void influenceIsTheDifferenceOfTwoRealForwardPasses() {
        for (RcfInfluenceConfig.Hessian mode : RcfInfluenceConfig.Hessian.values()) {
            try (RcfInfluenceEngine e =
                            new RcfInfluenceEngine(
                                    model, RcfInfluenceConfig.defaults().withHessian(mode));
                    Oracle o = new Oracle(model, 0.5)) {
                int u = user(4);
                UserInfluence in = e.compute(u).influence();
                int[] top = in.topItems();
                // the engine's float64 top-K is the float32 model's top-K
                assertArrayEquals(
                        model.recommend(u, 20).stream().mapToInt(x -> x.item()).toArray(), top);
                assertArrayEquals(
                        model.trainingItems(u).stream().sorted().toArray(),
                        Arrays.stream(in.actions()).sorted().toArray());
                influenceIsTheScoreDifference(e, o, u, in, mode.toString());
            }
        }
    }

    /**
     * Every influence of {@code in} (user u) equals ŷ now minus ŷ with p removed and e_u shifted,
     * two real forward passes of the oracle, and the engine's scores are the float32 model's.
     */
    static void influenceIsTheScoreDifference(
            RcfInfluenceEngine e, Oracle o, int u, UserInfluence in, String what) {
        int[] top = in.topItems();
        double[] slots = e.shiftedSlots(e.lists(u, top, true));
        double[] e0 = e.userVector(u);
        double[] base = o.scores(u, e0, top, new BitSet());
        for (int k = 0; k < top.length; k++) {
            assertEquals(in.score(k), base[k], 1e-4, "float32 model vs float64 graph");
        }
        for (int p = 0; p < in.actionCount(); p++) {
            BitSet ignore = new BitSet();
            ignore.set(in.action(p));
            double[] shifted = Arrays.copyOfRange(slots, (p + 1) * e0.length, (p + 2) * e0.length);
            double[] now = o.scores(u, shifted, top, ignore);
            for (int k = 0; k < top.length; k++) {
                assertEquals(
                        base[k] - now[k], in.influence(k, p), 1e-10, what + " p=" + p + " k=" + k);
            }
        }
    }

    @Test
    void removalScoresAreRealForwardPassesWithItemsRemoved() {
        try (RcfInfluenceEngine e = new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults());
                Oracle o = new Oracle(model, 0.5)) {
            int u = user(5);
            UserInfluence in = e.compute(u).influence();
            RemovalScores r = e.removal(in).orElseThrow();
            int n = in.actionCount();
            int[] all = new int[n];
            for (int j = 0; j < n; j++) {
                all[j] = j;
            }
            List<int[]> sets = List.of(new int[0], new int[] {0}, new int[] {1, 3}, all);
            double[][] got = r.scoresWithout(sets, 5);
            double[] e0 = e.userVector(u);
            int[] top5 = Arrays.copyOf(in.topItems(), 5);
            for (int s = 0; s < sets.size(); s++) {
                BitSet ignore = new BitSet();
                for (int j : sets.get(s)) {
                    ignore.set(in.action(j));
                }
                assertArrayEquals(o.scores(u, e0, top5, ignore), got[s], 1e-10, "set " + s);
            }
            // prefixes by running sums equal the sets scored one by one
            int[] order = {3, 0, 4, 1, 2};
            double[][] along = r.scoresAlongOrder(order, 20);
            for (int m = 1; m <= order.length; m++) {
                assertArrayEquals(
                        r.scoresWithout(List.of(Arrays.copyOf(order, m)), 20)[0],
                        along[m - 1],
                        1e-10);
            }
            // the attention weights: positive, one per action
            double[] w = r.attentionWeights();
            assertEquals(n, w.length);
            assertTrue(Arrays.stream(w).allMatch(x -> x > 0));
        }
    }

    @Test
    void targetsAmongThePositivesAndNcfModelsAreRejected() {
        try (RcfInfluenceEngine e = new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults())) {
            int u = user(3);
            int pos = model.trainingItems(u).nextSetBit(0);
            assertThrows(
                    DataException.class,
                    () ->
                            e.computeTargets(
                                    new int[] {u},
                                    new int[][] {{pos}},
                                    new double[][] {{0}},
                                    io.accent.core.Progress.NONE));
        }
        try (TrainedModel ncf = ModelStore.load(TestModels.smallModel())) {
            ModelException x =
                    assertThrows(
                            ModelException.class,
                            () -> new RcfInfluenceEngine(ncf, RcfInfluenceConfig.defaults()));
            assertTrue(x.getMessage().contains("ncf"), x.getMessage());
        }
        assertTrue(model instanceof RcfModel);
    }

    /**
     * Independent float64 forward pass: {@link RcfNetwork#score} with lists rebuilt by {@link
     * RcfNeighbourLists} from N_u ∖ ignore and the user's row of e_user replaced.
     */
    static final class Oracle implements AutoCloseable {
        private final Graph g = new Graph();
        private final Session s;
        private final Placeholder<TFloat64> table;
        private final Placeholder<TInt32> users;
        private final Placeholder<TInt32> targets;
        private final List<Placeholder<TInt32>> rows = new ArrayList<>();
        private final List<Placeholder<TInt32>> items = new ArrayList<>();
        private final List<Placeholder<TInt32>> values = new ArrayList<>();
        private final Operand<TFloat64> y;
        private final double[] e;
        private final int h;
        private final RcfNeighbourLists lists;
        private final io.accent.data.Triples train;

        Oracle(TrainedModel model, double alpha) {
            Ops tf = Ops.create(g);
            ParameterSet p = model.parameters();
            RcfNetwork.Sizes sizes = ((RcfModel) model).rcfData().sizes();
            NamedArray eu = p.get("e_user");
            h = eu.rowSize();
            e = new double[eu.data().length];
            for (int k = 0; k < e.length; k++) {
                e[k] = eu.data()[k];
            }
            table = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(eu.rows(), h)));
            List<Operand<TFloat64>> w = new ArrayList<>();
            for (String n : sizes.variables()) {
                if (n.equals("e_user")) {
                    w.add(table);
                    continue;
                }
                float[] f = p.get(n).data();
                double[] d = new double[f.length];
                for (int k = 0; k < f.length; k++) {
                    d[k] = f[k];
                }
                w.add(tf.constant(Shape.of(p.get(n).shape()), DataBuffers.of(d, true, false)));
            }
            users = tf.placeholder(TInt32.class);
            targets = tf.placeholder(TInt32.class);
            for (int t = 0; t < sizes.types(); t++) {
                rows.add(tf.placeholder(TInt32.class));
                items.add(tf.placeholder(TInt32.class));
                values.add(tf.placeholder(TInt32.class));
            }
            y =
                    RcfNetwork.score(
                            tf,
                            RcfNetwork.Nonlinearity.NATIVE,
                            new RcfNetwork.Weights<>(w),
                            alpha,
                            users,
                            targets,
                            new RcfNetwork.Lists(
                                    List.copyOf(rows), List.copyOf(items), List.copyOf(values)));
            s = new Session(g);
            RcfModel m = (RcfModel) model;
            lists = m.rcfData().lists();
            train = m.rcfData().train();
        }

        double[] scores(int user, double[] eu, int[] tg, BitSet ignore) {
            int[] us = new int[tg.length];
            Arrays.fill(us, user);
            return run(user, eu, lists.batch(us, tg, ignore));
        }

        private double[] run(int user, double[] eu, RcfNeighbourLists.Batch b) {
            double[] tab = e.clone();
            System.arraycopy(eu, 0, tab, user * h, h);
            List<org.tensorflow.Tensor> open = new ArrayList<>();
            try {
                var r = s.runner();
                TFloat64 tt =
                        TFloat64.tensorOf(
                                Shape.of(tab.length / h, h), DataBuffers.of(tab, true, false));
                open.add(tt);
                r.feed(table, tt);
                TInt32 a = TInt32.vectorOf(b.users());
                open.add(a);
                r.feed(users, a);
                TInt32 c = TInt32.vectorOf(b.targets());
                open.add(c);
                r.feed(targets, c);
                for (int t = 0; t < b.rows().length; t++) {
                    for (var pair :
                            List.of(
                                    List.of(rows.get(t), b.rows()[t]),
                                    List.of(items.get(t), b.items()[t]),
                                    List.of(values.get(t), b.values()[t]))) {
                        @SuppressWarnings("unchecked")
                        Placeholder<TInt32> ph = (Placeholder<TInt32>) pair.get(0);
                        TInt32 x = TInt32.vectorOf((int[]) pair.get(1));
                        open.add(x);
                        r.feed(ph, x);
                    }
                }
                try (Result res = r.fetch(y).run()) {
                    TFloat64 out = (TFloat64) res.get(0);
                    double[] v = new double[(int) out.shape().size()];
                    out.asRawTensor().data().asDoubles().read(v);
                    return v;
                }
            } finally {
                open.forEach(org.tensorflow.Tensor::close);
            }
        }

        /**
         * Σ over the triples {@code tri} of ℓ = softplus(ŷ(n) − ŷ(p)), lists without {@code
         * removedItem}.
         */
        double loss(int user, double[] eu, int[] tri, int removedItem) {
            BitSet ignore = new BitSet();
            ignore.set(removedItem);
            int[] tg = new int[2 * tri.length];
            for (int z = 0; z < tri.length; z++) {
                tg[z] = train.positive(tri[z]);
                tg[tri.length + z] = train.negative(tri[z]);
            }
            double[] y = scores(user, eu, tg, ignore);
            double sum = 0;
            for (int z = 0; z < tri.length; z++) {
                double d = y[tri.length + z] - y[z];
                sum += Math.log1p(Math.exp(d));
            }
            return sum;
        }

        @Override
        public void close() {
            s.close();
            g.close();
        }
    }
}
