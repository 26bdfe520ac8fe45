package io.accent.mf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.influence.HessianVectorProduct;
import io.accent.influence.InfluenceResult;
import io.accent.influence.LinearSolver;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.model.ModelMetadata;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MF influence engine against independent oracles: finite differences of the restricted loss
 * for its Hessian, re-optimization of the restricted objective for its influences, and a plain
 * float64 implementation of the definitions with a dense solve on MovieLens users.
 */
class MfInfluenceTest {

    static TrainedModel model;
    static ParameterSet params;
    static Ratings train;
    static double lambda;
    static int d;

    @BeforeAll
    static void load() {
        model = ModelStore.load(MfTestModels.small());
        params = model.parameters();
        train = ((MfModel) model).data().train();
        lambda = MfConfig.fromMap(model.metadata().config()).weightDecay();
        d = params.get("P").rowSize();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static int[] rowsOf(Ratings r, boolean byUser, int key) {
        List<Integer> out = new ArrayList<>();
        for (int row = 0; row < r.size(); row++) {
            if ((byUser ? r.user(row) : r.item(row)) == key) {
                out.add(row);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static Set<Integer> ratedBy(Ratings r, int u) {
        Set<Integer> s = new HashSet<>();
        for (int row : rowsOf(r, true, u)) {
            s.add(r.item(row));
        }
        return s;
    }

    /**
     * The objective of §3 restricted to θ = (P[u], Bu[u], Q[i], Bi[i]) with every other value
     * fixed: F(θ) = (1/n)Σ_{S}(ŷ − r)² + (λ/2)(‖P[u]‖² + ‖Q[i]‖²) + w·ℓ'_z, where ℓ'_z is row z's
     * squared error plus the same L2 term. Written from the definitions, sharing no code with the
     * engine.
     */
    static final class Restricted {
        final ParameterSet p;
        final Ratings rows;
        final double lambda;
        final int u;
        final int i;
        final int[] zu;
        final int[] zi;
        final int n;
        final int m;

        Restricted(ParameterSet p, Ratings rows, double lambda, int u, int i) {
            this.p = p;
            this.rows = rows;
            this.lambda = lambda;
            this.u = u;
            this.i = i;
            this.zu = rowsOf(rows, true, u);
            this.zi = rowsOf(rows, false, i);
            this.n = zu.length + zi.length;
            this.m = p.get("P").rowSize() + 1;
        }

        double[] theta() {
            double[] t = new double[2 * m];
            float[] pu = p.get("P").row(u);
            float[] qi = p.get("Q").row(i);
            for (int k = 0; k < m - 1; k++) {
                t[k] = pu[k];
                t[m + k] = qi[k];
            }
            t[m - 1] = p.get("Bu").data()[u];
            t[2 * m - 1] = p.get("Bi").data()[i];
            return t;
        }

        /**
         * ŷ of training row {@code row} (of u or of i) under θ, and its gradient into {@code g}.
         */
        double rowScore(double[] t, int row, double[] g) {
            int v = rows.user(row);
            int j = rows.item(row);
            double mu = p.get("mu").data()[0];
            if (g != null) {
                java.util.Arrays.fill(g, 0);
            }
            double s = mu;
            if (v == u && j == i) {
                throw new AssertionError("u rated i");
            }
            if (v == u) {
                float[] qj = p.get("Q").row(j);
                for (int k = 0; k < m - 1; k++) {
                    s += t[k] * qj[k];
                    if (g != null) {
                        g[k] = qj[k];
                    }
                }
                s += t[m - 1] + p.get("Bi").data()[j];
                if (g != null) {
                    g[m - 1] = 1;
                }
            } else {
                float[] pv = p.get("P").row(v);
                for (int k = 0; k < m - 1; k++) {
                    s += pv[k] * t[m + k];
                    if (g != null) {
                        g[m + k] = pv[k];
                    }
                }
                s += p.get("Bu").data()[v] + t[2 * m - 1];
                if (g != null) {
                    g[2 * m - 1] = 1;
                }
            }
            return s;
        }

        /** ŷ(u, i) under θ. */
        double target(double[] t) {
            double s = p.get("mu").data()[0] + t[m - 1] + t[2 * m - 1];
            for (int k = 0; k < m - 1; k++) {
                s += t[k] * t[m + k];
            }
            return s;
        }

        double l2(double[] t) {
            double s = 0;
            for (int k = 0; k < m - 1; k++) {
                s += t[k] * t[k] + t[m + k] * t[m + k];
            }
            return 0.5 * lambda * s;
        }

        double loss(double[] t, int z, double w) {
            double s = 0;
            for (int[] side : new int[][] {zu, zi}) {
                for (int row : side) {
                    double e = rowScore(t, row, null) - rows.rating(row);
                    s += e * e;
                }
            }
            double f = s / n + l2(t);
            if (z >= 0) {
                double e = rowScore(t, zu[z], null) - rows.rating(zu[z]);
                f += w * (e * e + l2(t));
            }
            return f;
        }

        /** ∇ of ℓ'_z, the gradient g_z of §3. */
        double[] rowGradient(double[] t, int row) {
            double[] g = new double[2 * m];
            double e = rowScore(t, row, g) - rows.rating(row);
            for (int k = 0; k < 2 * m; k++) {
                g[k] *= 2 * e;
            }
            for (int k = 0; k < m - 1; k++) {
                g[k] += lambda * t[k];
                g[m + k] += lambda * t[m + k];
            }
            return g;
        }

        double[] gradient(double[] t, int z, double w) {
            double[] g = new double[2 * m];
            double[] gr = new double[2 * m];
            for (int[] side : new int[][] {zu, zi}) {
                for (int row : side) {
                    double e = rowScore(t, row, gr) - rows.rating(row);
                    for (int k = 0; k < 2 * m; k++) {
                        g[k] += 2 * e * gr[k] / n;
                    }
                }
            }
            for (int k = 0; k < m - 1; k++) {
                g[k] += lambda * t[k];
                g[m + k] += lambda * t[m + k];
            }
            if (z >= 0) {
                double[] gz = rowGradient(t, zu[z]);
                for (int k = 0; k < 2 * m; k++) {
                    g[k] += w * gz[k];
                }
            }
            return g;
        }

        /** Minimizes F by Newton steps with a Hessian from central differences of the gradient. */
        double[] optimum(double[] from, int z, double w) {
            double[] t = from.clone();
            for (int it = 0; it < 6; it++) {
                double[] g = gradient(t, z, w);
                double h = 1e-3;
                double[][] hess = new double[2 * m][];
                for (int k = 0; k < 2 * m; k++) {
                    double[] a = t.clone();
                    double[] b = t.clone();
                    a[k] += h;
                    b[k] -= h;
                    double[] ga = gradient(a, z, w);
                    double[] gb = gradient(b, z, w);
                    hess[k] = new double[2 * m];
                    for (int c = 0; c < 2 * m; c++) {
                        hess[k][c] = (ga[c] - gb[c]) / (2 * h);
                    }
                }
                double[] step = solveDense(hess, g);
                for (int k = 0; k < 2 * m; k++) {
                    t[k] -= step[k];
                }
            }
            return t;
        }
    }

    /** Gaussian elimination with partial pivoting (a and b are copied). */
    static double[] solveDense(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int r = 0; r < n; r++) {
            a[r] = a0[r].clone();
        }
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] tr = a[c];
            a[c] = a[piv];
            a[piv] = tr;
            double tb = b[c];
            b[c] = b[piv];
            b[piv] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /** Some (user, unrated item) pairs of the small model. */
    static int[][] pairs() {
        return new int[][] {
            {0, firstUnrated(0, 0)}, {5, firstUnrated(5, 30)}, {17, firstUnrated(17, 77)}
        };
    }

    static int firstUnrated(int u, int from) {
        Set<Integer> rated = ratedBy(train, u);
        int i = from;
        while (rated.contains(i) || rowsOf(train, false, i).length == 0) {
            i++;
        }
        return i;
    }

    @Test
    void hessianVectorProductsMatchFiniteDifferencesOfTheRestrictedLoss() {
        MfInfluenceConfig cfg = MfInfluenceConfig.defaults();
        try (MfInfluenceEngine engine = new MfInfluenceEngine(model, cfg)) {
            SplittableRandom rnd = new SplittableRandom(3);
            for (int[] pair : pairs()) {
                Restricted r = new Restricted(params, train, lambda, pair[0], pair[1]);
                HessianVectorProduct h = engine.pairOperator(pair[0], pair[1]);
                assertEquals(2 * (d + 1), h.dimension());
                double[] theta = r.theta();
                for (int trial = 0; trial < 3; trial++) {
                    double[] v = new double[h.dimension()];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = rnd.nextGaussian();
                    }
                    double[] hv = new double[v.length];
                    h.apply(v, hv);
                    double step = 1e-2;
                    for (int k = 0; k < v.length; k++) {
                        double[] pp = theta.clone();
                        double[] pm = theta.clone();
                        double[] mp = theta.clone();
                        double[] mm = theta.clone();
                        for (int c = 0; c < v.length; c++) {
                            pp[c] += step * v[c];
                            pm[c] -= step * v[c];
                            mp[c] += step * v[c];
                            mm[c] -= step * v[c];
                        }
                        pp[k] += step;
                        pm[k] += step;
                        mp[k] -= step;
                        mm[k] -= step;
                        double fd =
                                (r.loss(pp, -1, 0)
                                                - r.loss(pm, -1, 0)
                                                - r.loss(mp, -1, 0)
                                                + r.loss(mm, -1, 0))
                                        / (4 * step * step);
                        fd += cfg.damping() * v[k];
                        assertEquals(fd, hv[k], 1e-7 * (1 + Math.abs(fd)), "coordinate " + k);
                    }
                }
            }
        }
    }

    /**
     * Brute force on a tiny data set: move θ to the optimum of the restricted objective, then
     * re-optimize with row z weighted by ±δ/n; the measured derivative of ŷ(u, i) is the influence
     * (removal is the weight −1/n), which checks sign, 1/n, λθ and the bias coordinates. Actually
     * dropping the row (weight −1/n) must move the score the same way.
     */
    @Test
    void influenceEqualsTheDerivativeOfReoptimizedScores(@TempDir Path tmp) {
        for (int[] pair : new int[][] {pairs()[0], pairs()[1]}) {
            int u = pair[0];
            int i = pair[1];
            Restricted r = new Restricted(params, train, lambda, u, i);
            double[] theta = r.optimum(r.theta(), -1, 0);
            double[] g = r.gradient(theta, -1, 0);
            double gn = 0;
            for (double x : g) {
                gn = Math.max(gn, Math.abs(x));
            }
            assertTrue(gn < 1e-10, "Newton did not converge: " + gn);
            ParameterSet at = withTheta(params, u, i, theta, d);
            Restricted atFloat = new Restricted(at, train, lambda, u, i);
            theta = atFloat.theta(); // the float32 values the engine reads
            Path dir = tmp.resolve("optimum-" + u);
            ModelMetadata mm = model.metadata();
            ModelStore.save(dir, mm, at, ((MfModel) model).data().directory());
            UserInfluence inf;
            try (TrainedModel m = ModelStore.load(dir);
                    MfInfluenceEngine engine =
                            new MfInfluenceEngine(m, MfInfluenceConfig.defaults())) {
                inf =
                        engine.computeTargets(
                                        new int[] {u},
                                        new int[][] {{i}},
                                        new double[][] {{r.target(theta)}},
                                        Progress.NONE)
                                .get(0)
                                .influence();
            }
            assertEquals(r.zu.length, inf.actionCount());
            double delta = 1e-3;
            double largest = 0;
            for (int z = 0; z < r.zu.length; z++) {
                largest = Math.max(largest, Math.abs(inf.influence(0, z)));
            }
            for (int z = 0; z < r.zu.length; z++) {
                double up = atFloat.target(atFloat.optimum(theta, z, delta / r.n));
                double down = atFloat.target(atFloat.optimum(theta, z, -delta / r.n));
                double derivative = (up - down) / (2 * delta);
                assertEquals(
                        derivative,
                        inf.influence(0, z),
                        5e-5 * largest + 1e-9,
                        "pair " + u + "," + i + " action " + z);
                double removed = atFloat.target(atFloat.optimum(theta, z, -1.0 / r.n));
                double actual = r.target(theta) - removed;
                // first order only: dropping one of a user's few rows also changes the Hessian
                // (here by up to about 40%), so only the sign of a clear effect is checked
                if (Math.abs(actual) > 0.05 * largest) {
                    assertEquals(
                            Math.signum(actual),
                            Math.signum(inf.influence(0, z)),
                            "exact removal, pair " + u + "," + i + " action " + z);
                }
            }
        }
    }

    static ParameterSet withTheta(ParameterSet p, int u, int i, double[] t, int d) {
        List<NamedArray> out = new ArrayList<>();
        for (NamedArray a : p.arrays()) {
            float[] x = a.data().clone();
            switch (a.name()) {
                case "P" -> {
                    for (int k = 0; k < d; k++) {
                        x[u * d + k] = (float) t[k];
                    }
                }
                case "Bu" -> x[u] = (float) t[d];
                case "Q" -> {
                    for (int k = 0; k < d; k++) {
                        x[i * d + k] = (float) t[d + 1 + k];
                    }
                }
                case "Bi" -> x[i] = (float) t[2 * d + 1];
                default -> {}
            }
            out.add(new NamedArray(a.name(), a.shape(), x));
        }
        return new ParameterSet(out);
    }

    /**
     * The definitions of §3 for θ = (P[u], Bu[u], Q[i], Bi[i]) in plain float64: the full (2d +
     * 2)-square Hessian over S assembled row by row (with the second-derivative term wherever a row
     * reads both P[u] and Q[i]), λ on the factor coordinates, damping, a dense solve and I =
     * −(1/n)xᵀg_z.
     */
    static double[][] oracle(
            ParameterSet p, Ratings rows, double lambda, double damping, int u, int[] targets) {
        int[] zu = rowsOf(rows, true, u);
        double[][] out = new double[targets.length][zu.length];
        for (int k = 0; k < targets.length; k++) {
            Restricted r = new Restricted(p, rows, lambda, u, targets[k]);
            int dim = 2 * r.m;
            double[] theta = r.theta();
            double[][] h = new double[dim][dim];
            double[] g = new double[dim];
            for (int[] side : new int[][] {r.zu, r.zi}) {
                for (int row : side) {
                    double e = r.rowScore(theta, row, g) - rows.rating(row);
                    for (int a = 0; a < dim; a++) {
                        for (int b = 0; b < dim; b++) {
                            h[a][b] += 2 * g[a] * g[b] / r.n;
                        }
                    }
                    if (rows.user(row) == u && rows.item(row) == targets[k]) {
                        for (int c = 0; c < r.m - 1; c++) {
                            h[c][r.m + c] += 2 * e / r.n;
                            h[r.m + c][c] += 2 * e / r.n;
                        }
                    }
                }
            }
            for (int c = 0; c < dim; c++) {
                boolean bias = c == r.m - 1 || c == dim - 1;
                h[c][c] += (bias ? 0 : lambda) + damping;
            }
            double[] v = new double[dim];
            for (int c = 0; c < r.m - 1; c++) {
                v[c] = theta[r.m + c];
                v[r.m + c] = theta[c];
            }
            v[r.m - 1] = 1;
            v[dim - 1] = 1;
            double[] x = solveDense(h, v);
            for (int z = 0; z < zu.length; z++) {
                double[] gz = r.rowGradient(theta, zu[z]);
                double s = 0;
                for (int c = 0; c < dim; c++) {
                    s += x[c] * gz[c];
                }
                out[k][z] = -s / r.n;
            }
        }
        return out;
    }

    static void checkAgainstOracle(TrainedModel m, int[] users, LinearSolver solver, double rel) {
        ParameterSet p = m.parameters();
        Ratings rows = ((MfModel) m).data().train();
        double lam = MfConfig.fromMap(m.metadata().config()).weightDecay();
        MfInfluenceConfig cfg = MfInfluenceConfig.defaults().withSolver(solver);
        try (MfInfluenceEngine engine = new MfInfluenceEngine(m, cfg)) {
            List<InfluenceResult> results = engine.computeUsers(users, Progress.NONE);
            for (int b = 0; b < users.length; b++) {
                InfluenceResult res = results.get(b);
                UserInfluence inf = res.influence();
                int[] top = m.recommend(users[b], 20).stream().mapToInt(ScoredItem::item).toArray();
                assertEquals(20, inf.topK());
                assertTrue(java.util.Arrays.equals(top, inf.topItems()));
                assertTrue(res.solves().stream().allMatch(TargetSolve::converged));
                assertEquals(0, res.fallbacks());
                double[][] want = oracle(p, rows, lam, cfg.damping(), users[b], top);
                for (int k = 0; k < top.length; k++) {
                    double rowMax = 0;
                    for (double x : want[k]) {
                        rowMax = Math.max(rowMax, Math.abs(x));
                    }
                    for (int z = 0; z < want[k].length; z++) {
                        assertEquals(
                                want[k][z],
                                inf.influence(k, z),
                                rel * rowMax + 1e-15,
                                "user " + users[b] + " target " + k + " action " + z);
                    }
                }
            }
        }
    }

    @Test
    void influencesMatchADenseFloat64OracleOnTheSmallModel() {
        checkAgainstOracle(model, new int[] {0, 3, 11}, LinearSolver.CG, 1e-6);
        checkAgainstOracle(model, new int[] {0, 3, 11}, LinearSolver.EXACT, 1e-9);
    }

    @Test
    void influencesMatchADenseFloat64OracleOnMovieLensUsers() {
        Optional<Path> dir = MfTestModels.movieLens();
        Assumptions.assumeTrue(
                dir.isPresent(),
                "MovieLens 100K is not under " + MfTestModels.MOVIELENS.toAbsolutePath());
        try (TrainedModel m = ModelStore.load(dir.get())) {
            checkAgainstOracle(m, new int[] {0, 41, 200}, LinearSolver.CG, 1e-6);
        }
    }

    @Test
    void ratedItemsAndUnknownIndicesAreRejected() {
        try (MfInfluenceEngine engine =
                new MfInfluenceEngine(model, MfInfluenceConfig.defaults())) {
            int rated = train.item(rowsOf(train, true, 2)[0]);
            DataException e =
                    assertThrows(
                            DataException.class,
                            () ->
                                    engine.computeTargets(
                                            new int[] {2},
                                            new int[][] {{rated}},
                                            new double[][] {{0}},
                                            Progress.NONE));
            assertTrue(e.getMessage().contains("has not rated"), e.getMessage());
            assertThrows(DataException.class, () -> engine.compute(-1));
            assertThrows(DataException.class, () -> engine.compute(model.metadata().numUsers()));
            float[] ratings = engine.actionRatings(2).orElseThrow();
            assertEquals(rowsOf(train, true, 2).length, ratings.length);
        }
    }
}
