package io.accent.ncf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.DataException;
import io.accent.data.Ratings;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.DirectSolver;
import io.accent.influence.HessianVectorProduct;
import io.accent.influence.InfluenceResult;
import io.accent.influence.LinearSolver;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the influence engine against independent oracles: finite differences for gradients and
 * Hessians, a plain-Java float64 implementation of docs/SPEC.md §3 with a dense solve, and
 * brute-force re-optimization of the restricted objective.
 */
class NcfInfluenceTest {

    static TrainedModel model;
    static ParameterSet params;
    static NcfOracle oracle;
    static double lambda;
    static Ratings train;
    static int d;

    @BeforeAll
    static void load() {
        model = ModelStore.load(TestModels.smallModel());
        params = model.parameters();
        oracle = new NcfOracle(params);
        lambda = ((Number) model.metadata().config().get("weight_decay")).doubleValue();
        train = ((io.accent.ncf.NcfModel) model).data().train();
        d = 2 * params.get("P_mlp").rowSize();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static double[] side(String mlp, String gmf, int row) {
        float[] a = params.get(mlp).row(row);
        float[] b = params.get(gmf).row(row);
        double[] v = new double[a.length + b.length];
        for (int k = 0; k < a.length; k++) {
            v[k] = a[k];
            v[a.length + k] = b[k];
        }
        return v;
    }

    static double[] user(int u) {
        return side("P_mlp", "P_gmf", u);
    }

    static double[] item(int i) {
        return side("Q_mlp", "Q_gmf", i);
    }

    @Test
    void pairGradientsMatchTheHandWrittenBackwardPass() {
        try (NcfInfluenceGraph g = new NcfInfluenceGraph(params, 1)) {
            int rows = 30;
            double[] us = new double[rows * d];
            double[] is = new double[rows * d];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(user(train.user(r * 7)), 0, us, r * d, d);
                System.arraycopy(item(train.item(r * 7)), 0, is, r * d, d);
            }
            NcfInfluenceGraph.PairGradients pg = g.pairs(us, is, rows);
            for (int r = 0; r < rows; r++) {
                double[] gu = new double[d];
                double[] gi = new double[d];
                double y =
                        oracle.score(
                                Arrays.copyOfRange(us, r * d, (r + 1) * d),
                                Arrays.copyOfRange(is, r * d, (r + 1) * d),
                                gu,
                                gi);
                assertEquals(y, pg.scores()[r], 1e-12);
                for (int k = 0; k < d; k++) {
                    assertEquals(gu[k], pg.gradUser()[r * d + k], 1e-12);
                    assertEquals(gi[k], pg.gradItem()[r * d + k], 1e-12);
                }
            }
        }
    }

    /** Gradient of Σ (ŷ(x, o_r) − r)² with respect to x (user side when userSide). */
    static double[] lossGradient(
            double[] x, double[][] others, double[] ratings, boolean userSide) {
        double[] g = new double[d];
        double[] gu = new double[d];
        double[] gi = new double[d];
        for (int r = 0; r < ratings.length; r++) {
            double y =
                    userSide
                            ? oracle.score(x, others[r], gu, gi)
                            : oracle.score(others[r], x, gu, gi);
            double[] gx = userSide ? gu : gi;
            for (int k = 0; k < d; k++) {
                g[k] += 2 * (y - ratings[r]) * gx[k];
            }
        }
        return g;
    }

    void checkHessiansAgainstFiniteDifferences(ParameterSet at, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NcfOracle o = new NcfOracle(at);
        try (NcfInfluenceGraph g = new NcfInfluenceGraph(at, 1)) {
            for (boolean userSide : new boolean[] {true, false}) {
                int slots = 3;
                int rows = 24;
                double[][] x = new double[slots][d];
                for (double[] v : x) {
                    for (int k = 0; k < d; k++) {
                        v[k] = 0.3 * rnd.nextGaussian();
                    }
                }
                double[] xs = new double[rows * d];
                double[] os = new double[rows * d];
                double[] rs = new double[rows];
                int[] slot = new int[rows];
                List<List<double[]>> othersBySlot = new ArrayList<>();
                List<List<Double>> ratingsBySlot = new ArrayList<>();
                for (int s = 0; s < slots; s++) {
                    othersBySlot.add(new ArrayList<>());
                    ratingsBySlot.add(new ArrayList<>());
                }
                for (int r = 0; r < rows; r++) {
                    slot[r] = r % slots;
                    double[] other = new double[d];
                    for (int k = 0; k < d; k++) {
                        other[k] = 0.3 * rnd.nextGaussian();
                    }
                    rs[r] = 1 + rnd.nextInt(5);
                    System.arraycopy(x[slot[r]], 0, xs, r * d, d);
                    System.arraycopy(other, 0, os, r * d, d);
                    othersBySlot.get(slot[r]).add(other);
                    ratingsBySlot.get(slot[r]).add(rs[r]);
                }
                double[] h =
                        g.hessians(
                                userSide
                                        ? NcfInfluenceGraph.Side.USER
                                        : NcfInfluenceGraph.Side.ITEM,
                                xs,
                                os,
                                rs,
                                slot,
                                slots);
                // the first-derivative form the engine uses equals double backprop
                double[] gn =
                        g.gaussNewton(
                                userSide
                                        ? NcfInfluenceGraph.Side.USER
                                        : NcfInfluenceGraph.Side.ITEM,
                                xs,
                                os,
                                slot,
                                slots);
                double hScale = 0;
                double hWorst = 0;
                for (int k = 0; k < h.length; k++) {
                    hScale = Math.max(hScale, Math.abs(h[k]));
                    hWorst = Math.max(hWorst, Math.abs(h[k] - gn[k]));
                }
                assertTrue(
                        hWorst <= 1e-12 * Math.max(1, hScale),
                        "outer products differ from double backprop by " + hWorst);
                double eps = 1e-6;
                for (int s = 0; s < slots; s++) {
                    double[][] others = othersBySlot.get(s).toArray(double[][]::new);
                    double[] ratings =
                            ratingsBySlot.get(s).stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray();
                    double scale = 0;
                    double worst = 0;
                    for (int c = 0; c < d; c++) {
                        double[] plus = x[s].clone();
                        double[] minus = x[s].clone();
                        plus[c] += eps;
                        minus[c] -= eps;
                        double[] gp = lossGradientWith(o, plus, others, ratings, userSide);
                        double[] gm = lossGradientWith(o, minus, others, ratings, userSide);
                        for (int k = 0; k < d; k++) {
                            double fd = (gp[k] - gm[k]) / (2 * eps);
                            double tf = h[s * d * d + c * d + k];
                            scale = Math.max(scale, Math.abs(fd));
                            worst = Math.max(worst, Math.abs(fd - tf));
                        }
                    }
                    assertTrue(
                            worst <= 1e-6 * Math.max(1, scale),
                            "Hessian block differs from finite differences by "
                                    + worst
                                    + " (scale "
                                    + scale
                                    + ")");
                }
            }
        }
    }

    static double[] lossGradientWith(
            NcfOracle o, double[] x, double[][] others, double[] ratings, boolean userSide) {
        double[] g = new double[x.length];
        double[] gu = new double[x.length];
        double[] gi = new double[x.length];
        for (int r = 0; r < ratings.length; r++) {
            double y = userSide ? o.score(x, others[r], gu, gi) : o.score(others[r], x, gu, gi);
            double[] gx = userSide ? gu : gi;
            for (int k = 0; k < x.length; k++) {
                g[k] += 2 * (y - ratings[r]) * gx[k];
            }
        }
        return g;
    }

    @Test
    void hessianBlocksMatchFiniteDifferencesAtRandomWeights() {
        ParameterSet random = new NcfTrainer(NcfConfig.reference(0, 5), 1).initialWeights(4, 4);
        checkHessiansAgainstFiniteDifferences(random, 1);
    }

    @Test
    void hessianBlocksMatchFiniteDifferencesOnTheTrainedModel() {
        checkHessiansAgainstFiniteDifferences(params, 2);
    }

    /** Rows of user u: item vectors and ratings; rows of item i: user vectors and ratings. */
    static int[] rowsOfUser(int u) {
        return train.rowsOf(u);
    }

    static int[] rowsOfItem(int i) {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < train.size(); r++) {
            if (train.item(r) == i) {
                out.add(r);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * SPEC §3 computed from scratch in float64 Java: θ = (θ_u, θ_i) jointly (no block structure
     * assumed), Hessian by central differences of the hand-written gradient, a dense Cholesky
     * solve.
     */
    static double[] oracleInfluence(int u, int i, double[] thetaU, double[] thetaI) {
        int[] zu = rowsOfUser(u);
        int[] zi = rowsOfItem(i);
        int n = zu.length + zi.length;
        int m = 2 * d;
        double[][] h = new double[m][m];
        double eps = 1e-6;
        for (int c = 0; c < m; c++) {
            double[] tp = concat(thetaU, thetaI);
            double[] tm = tp.clone();
            tp[c] += eps;
            tm[c] -= eps;
            double[] gp = fullLossGradient(u, i, tp, zu, zi);
            double[] gm = fullLossGradient(u, i, tm, zu, zi);
            for (int k = 0; k < m; k++) {
                h[k][c] = (gp[k] - gm[k]) / (2 * eps) / n;
            }
        }
        for (int k = 0; k < m; k++) {
            h[k][k] += lambda + 1e-6;
        }
        double[] vu = new double[d];
        double[] vi = new double[d];
        oracle.score(thetaU, thetaI, vu, vi);
        double[] x = DirectSolver.choleskySolve(h, concat(vu, vi));
        double[] theta = concat(thetaU, thetaI);
        double[] inf = new double[zu.length];
        for (int z = 0; z < zu.length; z++) {
            double[] gu = new double[d];
            double[] gi = new double[d];
            double y = oracle.score(thetaU, item(train.item(zu[z])), gu, gi);
            double err = y - train.rating(zu[z]);
            double s = 0;
            for (int k = 0; k < m; k++) {
                double gz = (k < d ? 2 * err * gu[k] : 0) + lambda * theta[k];
                s += x[k] * gz;
            }
            inf[z] = -s / n;
        }
        return inf;
    }

    static double[] fullLossGradient(int u, int i, double[] theta, int[] zu, int[] zi) {
        double[] tu = Arrays.copyOfRange(theta, 0, d);
        double[] ti = Arrays.copyOfRange(theta, d, 2 * d);
        double[] g = new double[2 * d];
        double[] gu = new double[d];
        double[] gi = new double[d];
        for (int r : zu) {
            double y = oracle.score(tu, item(train.item(r)), gu, gi);
            for (int k = 0; k < d; k++) {
                g[k] += 2 * (y - train.rating(r)) * gu[k];
            }
        }
        for (int r : zi) {
            double y = oracle.score(user(train.user(r)), ti, gu, gi);
            for (int k = 0; k < d; k++) {
                g[d + k] += 2 * (y - train.rating(r)) * gi[k];
            }
        }
        return g;
    }

    static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void influencesMatchTheIndependentImplementationOfSection3() {
        try (NcfInfluenceEngine engine =
                new NcfInfluenceEngine(model, NcfInfluenceConfig.defaults())) {
            for (int u : new int[] {0, 7, 23}) {
                InfluenceResult r = engine.compute(u);
                UserInfluence inf = r.influence();
                assertEquals(20, inf.topK());
                assertTrue(r.solves().stream().allMatch(TargetSolve::converged));
                for (int k : new int[] {0, 1, 19}) {
                    int i = inf.topItem(k);
                    double[] want = oracleInfluence(u, i, user(u), item(i));
                    double scale = Arrays.stream(want).map(Math::abs).max().orElse(1);
                    for (int z = 0; z < want.length; z++) {
                        assertEquals(
                                want[z],
                                inf.influence(k, z),
                                1e-6 * scale,
                                "user " + u + " target " + k + " action " + z);
                    }
                }
            }
        }
    }

    @Test
    void batchedUsersGiveTheSameInfluencesAsOneAtATime() {
        NcfInfluenceConfig small = NcfInfluenceConfig.defaults().withRowsPerCall(200);
        try (NcfInfluenceEngine batched =
                        new NcfInfluenceEngine(model, NcfInfluenceConfig.defaults());
                NcfInfluenceEngine single = new NcfInfluenceEngine(model, small)) {
            int[] users = {1, 2, 3, 4, 5, 6};
            List<InfluenceResult> all = batched.computeUsers(users, io.accent.core.Progress.NONE);
            for (int b = 0; b < users.length; b++) {
                UserInfluence one = single.compute(users[b]).influence();
                UserInfluence many = all.get(b).influence();
                assertTrue(Arrays.equals(one.topItems(), many.topItems()));
                for (int k = 0; k < one.topK(); k++) {
                    for (int z = 0; z < one.actionCount(); z++) {
                        assertEquals(
                                one.influence(k, z),
                                many.influence(k, z),
                                1e-9 * (1 + Math.abs(one.influence(k, z))));
                    }
                }
            }
        }
    }

    /**
     * Brute force: re-optimize the restricted objective F(θ) = (1/n)Σ_S ℓ'_z, ℓ'_z = (ŷ_z − r_z)² +
     * (λ/2)‖θ‖², then re-optimize with row z up- and down-weighted by ±δ/n, and compare the
     * measured derivative of ŷ(u, i) with the engine's influence at the optimum (removal is the
     * weight −1/n, so I_z = dŷ/dw at w = 0 in units of 1/n). It gets sign, 1/n and λθ right or
     * fails. The biases are shifted so that every ReLU is active: F is then smooth and Newton
     * converges exactly (with kinks, the optimum of a ReLU network often sits on one and has no
     * derivative).
     */
    @Test
    void influenceEqualsTheDerivativeOfReoptimizedScoresWithRespectToTheRowWeight(
            @TempDir Path tmp) {
        ParameterSet saved = params;
        NcfOracle savedOracle = oracle;
        double savedLambda = lambda;
        try {
            // a strong L2 keeps the optimum of F close to the trained point, inside the region
            // where
            // every ReLU is active (the engine reads λ from the model's metadata)
            lambda = 1.0;
            params = shiftBiases(saved, 10f, 300f);
            oracle = new NcfOracle(params);
            // re-center the output so that residuals stay O(1) (only ŷ's offset depends on the
            // biases)
            double offset = 0;
            for (int r = 0; r < train.size(); r++) {
                offset +=
                        oracle.score(user(train.user(r)), item(train.item(r)), null, null)
                                - train.rating(r);
            }
            params = shiftOutput(params, (float) (offset / train.size()));
            oracle = new NcfOracle(params);
            int u = 5;
            int[] zu = rowsOfUser(u);
            java.util.Set<Integer> rated = new java.util.HashSet<>();
            for (int r : zu) {
                rated.add(train.item(r));
            }
            int i = 0;
            while (rated.contains(i) || rowsOfItem(i).length < 3) {
                i++;
            }
            int[] zi = rowsOfItem(i);
            int n = zu.length + zi.length;
            double[] theta = newton(u, i, concat(user(u), item(i)), zu, zi, -1, 0, n);
            double[] grad = objectiveGradient(u, i, theta, zu, zi, -1, 0, n);
            assertTrue(
                    Math.sqrt(ConjugateGradientSolver.dot(grad, grad)) < 1e-10,
                    "Newton did not converge: |grad| = "
                            + Math.sqrt(ConjugateGradientSolver.dot(grad, grad)));
            ParameterSet atOptimum = withRows(params, u, i, theta);
            Path dir = tmp.resolve("optimum");
            java.util.Map<String, Object> cfg =
                    new java.util.LinkedHashMap<>(model.metadata().config());
            cfg.put("weight_decay", lambda);
            ModelMetadata mm = model.metadata();
            ModelStore.save(
                    dir,
                    new ModelMetadata(
                            mm.format(),
                            mm.family(),
                            mm.numUsers(),
                            mm.numItems(),
                            cfg,
                            mm.steps(),
                            mm.seed(),
                            mm.trainingMse(),
                            mm.heldOutMse(),
                            mm.provenance()),
                    atOptimum,
                    ((io.accent.ncf.NcfModel) model).data().directory());
            UserInfluence inf;
            try (TrainedModel m = ModelStore.load(dir);
                    NcfInfluenceEngine engine =
                            new NcfInfluenceEngine(m, NcfInfluenceConfig.defaults())) {
                inf =
                        engine.computeTargets(
                                        new int[] {u},
                                        new int[][] {{i}},
                                        new double[][] {{score(theta)}},
                                        io.accent.core.Progress.NONE)
                                .get(0)
                                .influence();
            }
            double delta = 1e-4;
            for (int z = 0; z < zu.length; z += Math.max(1, zu.length / 8)) {
                double[] up = newton(u, i, theta, zu, zi, z, delta, n);
                double[] down = newton(u, i, theta, zu, zi, z, -delta, n);
                double derivative = (score(up) - score(down)) / (2 * delta);
                assertEquals(
                        derivative,
                        inf.influence(0, z),
                        1e-5 * Math.abs(derivative) + 1e-9,
                        "action " + z);
            }
        } finally {
            params = saved;
            oracle = savedOracle;
            lambda = savedLambda;
        }
    }

    static ParameterSet shiftOutput(ParameterSet p, float by) {
        List<NamedArray> out = new ArrayList<>();
        for (NamedArray a : p.arrays()) {
            out.add(
                    a.name().equals("b3")
                            ? new NamedArray("b3", a.shape(), new float[] {a.data()[0] - by})
                            : a);
        }
        return new ParameterSet(out);
    }

    static ParameterSet shiftBiases(ParameterSet p, float shift1, float shift2) {
        List<NamedArray> out = new ArrayList<>();
        for (NamedArray a : p.arrays()) {
            if (a.name().equals("b1") || a.name().equals("b2")) {
                float[] v = a.data().clone();
                for (int k = 0; k < v.length; k++) {
                    v[k] += a.name().equals("b1") ? shift1 : shift2;
                }
                out.add(new NamedArray(a.name(), a.shape(), v));
            } else {
                out.add(a);
            }
        }
        return new ParameterSet(out);
    }

    /** A copy of p with user u's and item i's embedding rows set from θ = (θ_u, θ_i). */
    static ParameterSet withRows(ParameterSet p, int u, int i, double[] theta) {
        int e = d / 2;
        List<NamedArray> out = new ArrayList<>();
        for (NamedArray a : p.arrays()) {
            float[] v = a.data().clone();
            int row = -1;
            int off = 0;
            switch (a.name()) {
                case "P_mlp" -> {
                    row = u;
                    off = 0;
                }
                case "P_gmf" -> {
                    row = u;
                    off = e;
                }
                case "Q_mlp" -> {
                    row = i;
                    off = d;
                }
                case "Q_gmf" -> {
                    row = i;
                    off = d + e;
                }
                default -> {}
            }
            if (row >= 0) {
                for (int k = 0; k < e; k++) {
                    v[row * e + k] = (float) theta[off + k];
                }
            }
            out.add(new NamedArray(a.name(), a.shape(), v));
        }
        return new ParameterSet(out);
    }

    static double score(double[] theta) {
        return oracle.score(
                Arrays.copyOfRange(theta, 0, d), Arrays.copyOfRange(theta, d, 2 * d), null, null);
    }

    /** Newton's method on F (or F without row index {@code skip} of Z_u when skip ≥ 0). */
    static double[] newton(
            int u, int i, double[] start, int[] zu, int[] zi, int row, double weight, int n) {
        double[] theta = start.clone();
        int m = 2 * d;
        for (int it = 0; it < 100; it++) {
            double[] g = objectiveGradient(u, i, theta, zu, zi, row, weight, n);
            double gn = Math.sqrt(ConjugateGradientSolver.dot(g, g));
            if (gn < 1e-13) {
                break;
            }
            // Gauss-Newton matrix: the exact Hessian inside a ReLU linear region (∇²ŷ = 0 there)
            double[][] h = gaussNewton(u, i, theta, zu, zi, row, weight, n);
            double[] step = DirectSolver.choleskySolve(h, g);
            // backtracking line search: ReLU kinks make full Newton steps overshoot
            double f0 = objective(u, i, theta, zu, zi, row, weight, n);
            double t = 1;
            double[] next = theta.clone();
            for (int ls = 0; ls < 60; ls++) {
                for (int k = 0; k < m; k++) {
                    next[k] = theta[k] - t * step[k];
                }
                if (objective(u, i, next, zu, zi, row, weight, n)
                        <= f0 - 1e-4 * t * ConjugateGradientSolver.dot(g, step)) {
                    break;
                }
                t *= 0.5;
            }
            theta = next;
        }
        return theta;
    }

    static double[][] gaussNewton(
            int u, int i, double[] theta, int[] zu, int[] zi, int row, double weight, int n) {
        double[] tu = Arrays.copyOfRange(theta, 0, d);
        double[] ti = Arrays.copyOfRange(theta, d, 2 * d);
        double[][] h = new double[2 * d][2 * d];
        double[] gu = new double[d];
        double[] gi = new double[d];
        for (int z = 0; z < zu.length; z++) {
            double w = z == row ? 1 + weight : 1;
            oracle.score(tu, item(train.item(zu[z])), gu, gi);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    h[a][b] += 2 * w * gu[a] * gu[b] / n;
                }
            }
        }
        for (int r : zi) {
            oracle.score(user(train.user(r)), ti, gu, gi);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    h[d + a][d + b] += 2 * gi[a] * gi[b] / n;
                }
            }
        }
        double regWeight = row >= 0 ? 1 + weight / n : 1.0;
        for (int k = 0; k < 2 * d; k++) {
            h[k][k] += regWeight * lambda;
        }
        return h;
    }

    static double objective(
            int u, int i, double[] theta, int[] zu, int[] zi, int row, double weight, int n) {
        double[] tu = Arrays.copyOfRange(theta, 0, d);
        double[] ti = Arrays.copyOfRange(theta, d, 2 * d);
        double f = 0;
        for (int z = 0; z < zu.length; z++) {
            double w = z == row ? 1 + weight : 1;
            double e = oracle.score(tu, item(train.item(zu[z])), null, null) - train.rating(zu[z]);
            f += w * e * e / n;
        }
        for (int r : zi) {
            double e = oracle.score(user(train.user(r)), ti, null, null) - train.rating(r);
            f += e * e / n;
        }
        double regWeight = row >= 0 ? 1 + weight / n : 1.0;
        return f + regWeight * lambda / 2 * ConjugateGradientSolver.dot(theta, theta);
    }

    static double[] objectiveGradient(
            int u, int i, double[] theta, int[] zu, int[] zi, int row, double weight, int n) {
        double[] tu = Arrays.copyOfRange(theta, 0, d);
        double[] ti = Arrays.copyOfRange(theta, d, 2 * d);
        double[] g = new double[2 * d];
        double[] gu = new double[d];
        double[] gi = new double[d];
        for (int z = 0; z < zu.length; z++) {
            double w = z == row ? 1 + weight : 1;
            int r = zu[z];
            double y = oracle.score(tu, item(train.item(r)), gu, gi);
            for (int k = 0; k < d; k++) {
                g[k] += w * 2 * (y - train.rating(r)) * gu[k] / n;
            }
        }
        for (int r : zi) {
            double y = oracle.score(user(train.user(r)), ti, gu, gi);
            for (int k = 0; k < d; k++) {
                g[d + k] += 2 * (y - train.rating(r)) * gi[k] / n;
            }
        }
        double regWeight = row >= 0 ? 1 + weight / n : 1.0;
        for (int k = 0; k < 2 * d; k++) {
            g[k] += regWeight * lambda * theta[k];
        }
        return g;
    }

    /**
     * The batched (block) path and the per-pair reference path build the same systems in different
     * orders of floating-point operations. With the direct solver both solve them to rounding, so
     * they must agree to about 1e-12 of the target's largest influence whatever the trained model
     * is; with CG each solve stops at a relative residual of at most 1e-8, and the two stopping
     * points may differ by up to κ(H_μ)·1e-8 relatively, so that comparison is made against each
     * target's largest influence (not per element, where a near-zero influence would make any
     * relative tolerance depend on the model) and with the condition-number allowance measured from
     * the dense Hessian.
     */
    @Test
    void thePerPairReferencePathGivesTheSameInfluences() {
        int u = 9;
        try (NcfInfluenceEngine exact =
                        new NcfInfluenceEngine(
                                model,
                                NcfInfluenceConfig.defaults().withSolver(LinearSolver.EXACT));
                NcfInfluenceEngine engine =
                        new NcfInfluenceEngine(model, NcfInfluenceConfig.defaults())) {
            assertAgree(exact.compute(u).influence(), exact.computePerPair(u).influence(), 1e-10);
            UserInfluence batched = engine.compute(u).influence();
            InfluenceResult perPair = engine.computePerPair(u);
            assertTrue(perPair.solves().stream().allMatch(TargetSolve::converged));
            double kappa = 0;
            for (int k = 0; k < batched.topK(); k++) {
                kappa =
                        Math.max(
                                kappa, conditionNumber(engine.pairOperator(u, batched.topItem(k))));
            }
            // two solves, each within the 1e-8 relative residual, times the condition number
            double tol = Math.max(1e-10, 2 * 1e-8 * kappa);
            assertTrue(tol < 1e-3, "the comparison would be meaningless: kappa " + kappa);
            assertAgree(batched, perPair.influence(), tol);
        }
    }

    private static void assertAgree(UserInfluence a, UserInfluence b, double relToRowMax) {
        for (int k = 0; k < a.topK(); k++) {
            double rowMax = 0;
            for (int z = 0; z < a.actionCount(); z++) {
                rowMax = Math.max(rowMax, Math.abs(a.influence(k, z)));
            }
            for (int z = 0; z < a.actionCount(); z++) {
                assertEquals(
                        a.influence(k, z),
                        b.influence(k, z),
                        relToRowMax * rowMax,
                        "target " + k + ", rating " + z);
            }
        }
    }

    /**
     * |λ|max / |λ|min of a symmetric operator, from its dense matrix (64 products, one
     * eigendecomposition).
     */
    private static double conditionNumber(HessianVectorProduct h) {
        int n = h.dimension();
        double[][] a = new double[n][];
        for (int c = 0; c < n; c++) {
            double[] e = new double[n];
            e[c] = 1;
            a[c] = new double[n];
            h.apply(e, a[c]);
        }
        double[] ev =
                new org.apache.commons.math3.linear.EigenDecomposition(
                                new org.apache.commons.math3.linear.Array2DRowRealMatrix(a))
                        .getRealEigenvalues();
        double hi = 0;
        double lo = Double.POSITIVE_INFINITY;
        for (double v : ev) {
            hi = Math.max(hi, Math.abs(v));
            lo = Math.min(lo, Math.abs(v));
        }
        return hi / lo;
    }

    @Test
    void pairOperatorIsTheHessianOfTheFiniteDifferencedGradient() {
        try (NcfInfluenceEngine engine =
                new NcfInfluenceEngine(model, NcfInfluenceConfig.defaults())) {
            int u = 3;
            int i = engine.compute(u).influence().topItem(0);
            HessianVectorProduct h = engine.pairOperator(u, i);
            int[] zu = rowsOfUser(u);
            int[] zi = rowsOfItem(i);
            int n = zu.length + zi.length;
            SplittableRandom rnd = new SplittableRandom(8);
            double[] p = new double[2 * d];
            for (int k = 0; k < p.length; k++) {
                p[k] = rnd.nextGaussian();
            }
            double[] hp = new double[2 * d];
            h.apply(p, hp);
            double eps = 1e-6;
            double[] theta = concat(user(u), item(i));
            double[] tp = theta.clone();
            double[] tm = theta.clone();
            for (int k = 0; k < p.length; k++) {
                tp[k] += eps * p[k];
                tm[k] -= eps * p[k];
            }
            double[] gp = fullLossGradient(u, i, tp, zu, zi);
            double[] gm = fullLossGradient(u, i, tm, zu, zi);
            for (int k = 0; k < p.length; k++) {
                double fd = (gp[k] - gm[k]) / (2 * eps) / n + (lambda + 1e-6) * p[k];
                assertEquals(fd, hp[k], 1e-6 * (1 + Math.abs(fd)));
            }
        }
    }

    @Test
    void ratedItemsAndUnknownIndicesAreRejected() {
        try (NcfInfluenceEngine engine =
                new NcfInfluenceEngine(model, NcfInfluenceConfig.defaults())) {
            int rated = train.item(train.rowsOf(0)[0]);
            DataException e =
                    assertThrows(
                            DataException.class,
                            () ->
                                    engine.computeTargets(
                                            new int[] {0},
                                            new int[][] {{rated}},
                                            new double[][] {{0}},
                                            io.accent.core.Progress.NONE));
            assertTrue(e.getMessage().contains("has not rated"), e.getMessage());
            assertThrows(
                    DataException.class,
                    () ->
                            engine.computeTargets(
                                    new int[] {0},
                                    new int[][] {{100_000}},
                                    new double[][] {{0}},
                                    io.accent.core.Progress.NONE));
            assertThrows(DataException.class, () -> engine.compute(-1));
        }
    }
}
