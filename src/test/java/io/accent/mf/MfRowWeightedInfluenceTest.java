package io.accent.mf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.influence.HessianVectorProduct;
import io.accent.influence.InfluenceResult;
import io.accent.influence.LinearSolver;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.mf.MfInfluenceConfig.Regularization;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MF influence engine with the objectives of other trainers (docs/SPEC.md §11.1): offsets left
 * out of θ (Spark's ALS has none) and the row-weighted L2 term of ALS-WR, where row (v, j) carries
 * λ(‖P[v]‖² + ‖Q[j]‖²). Checked against a dense float64 LU solve (commons-math3) of the exact
 * Hessian of the restricted mean objective, written here from the definitions without the engine's
 * block structure, against finite differences of that objective, and against re-optimization.
 */
class MfRowWeightedInfluenceTest {

    /** A λ large enough for the L2 term to matter on the small model. */
    static final double LAMBDA = 0.05;

    static TrainedModel model;
    static ParameterSet params;
    static Ratings train;

    @BeforeAll
    static void load() {
        model = ModelStore.load(MfTestModels.small());
        params = model.parameters();
        train = ((MfModel) model).data().train();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /**
     * The mean objective over S = Z_u ∪ Z_i restricted to θ = (P[u], [Bu[u]], Q[i], [Bi[i]]), the
     * offsets in θ only when {@code biases}: F(θ) = (1/n)Σ_{z∈S} ℓ_z(θ) + w·ℓ_{z'}(θ), with ℓ_z the
     * squared error of row z plus its L2 term: λ·½(‖P[u]‖² + ‖Q[i]‖²) (uniform; the whole tables,
     * of which only θ's rows vary) or λ(‖P[v]‖² + ‖Q[j]‖²) of the row's own user and item (row
     * weighted).
     */
    static final class Objective {
        final ParameterSet p;
        final Ratings rows;
        final double lambda;
        final boolean biases;
        final boolean weighted;
        final int u;
        final int i;
        final int d;
        final int m;
        final int[] zu;
        final int[] zi;
        final int n;

        Objective(
                ParameterSet p,
                Ratings rows,
                double lambda,
                boolean biases,
                Regularization reg,
                int u,
                int i) {
            this.p = p;
            this.rows = rows;
            this.lambda = lambda;
            this.biases = biases;
            this.weighted = reg == Regularization.RATING_COUNT;
            this.u = u;
            this.i = i;
            this.d = p.get("P").rowSize();
            this.m = biases ? d + 1 : d;
            this.zu = MfInfluenceTest.rowsOf(rows, true, u);
            this.zi = MfInfluenceTest.rowsOf(rows, false, i);
            this.n = zu.length + zi.length;
        }

        int dim() {
            return 2 * m;
        }

        double[] theta() {
            double[] t = new double[dim()];
            float[] pu = p.get("P").row(u);
            float[] qi = p.get("Q").row(i);
            for (int k = 0; k < d; k++) {
                t[k] = pu[k];
                t[m + k] = qi[k];
            }
            if (biases) {
                t[d] = p.get("Bu").data()[u];
                t[m + d] = p.get("Bi").data()[i];
            }
            return t;
        }

        double[] userVector(double[] t, int v) {
            double[] x = new double[d];
            if (v == u) {
                System.arraycopy(t, 0, x, 0, d);
            } else {
                float[] f = p.get("P").row(v);
                for (int k = 0; k < d; k++) {
                    x[k] = f[k];
                }
            }
            return x;
        }

        double[] itemVector(double[] t, int j) {
            double[] y = new double[d];
            if (j == i) {
                System.arraycopy(t, m, y, 0, d);
            } else {
                float[] f = p.get("Q").row(j);
                for (int k = 0; k < d; k++) {
                    y[k] = f[k];
                }
            }
            return y;
        }

        /** ŷ(v, j) under θ. */
        double score(double[] t, int v, int j) {
            double s = p.get("mu").data()[0];
            s += biases && v == u ? t[d] : p.get("Bu").data()[v];
            s += biases && j == i ? t[m + d] : p.get("Bi").data()[j];
            double[] x = userVector(t, v);
            double[] y = itemVector(t, j);
            for (int k = 0; k < d; k++) {
                s += x[k] * y[k];
            }
            return s;
        }

        /** ∇_θ ŷ(v, j), from the definitions (either side may be in θ). */
        double[] scoreGradient(double[] t, int v, int j) {
            double[] g = new double[dim()];
            double[] x = userVector(t, v);
            double[] y = itemVector(t, j);
            if (v == u) {
                System.arraycopy(y, 0, g, 0, d);
                if (biases) {
                    g[d] = 1;
                }
            }
            if (j == i) {
                System.arraycopy(x, 0, g, m, d);
                if (biases) {
                    g[m + d] = 1;
                }
            }
            return g;
        }

        double sq(double[] t, int from) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += t[from + k] * t[from + k];
            }
            return s;
        }

        /** ℓ_z(θ) of training row {@code row}, up to terms constant in θ. */
        double rowLoss(double[] t, int row) {
            int v = rows.user(row);
            int j = rows.item(row);
            double e = score(t, v, j) - rows.rating(row);
            double pen;
            if (weighted) {
                pen = lambda * ((v == u ? sq(t, 0) : 0) + (j == i ? sq(t, m) : 0));
            } else {
                pen = 0.5 * lambda * (sq(t, 0) + sq(t, m));
            }
            return e * e + pen;
        }

        /** ∇_θ ℓ_z, the row gradient g_z of §3. */
        double[] rowGradient(double[] t, int row) {
            int v = rows.user(row);
            int j = rows.item(row);
            double e = score(t, v, j) - rows.rating(row);
            double[] g = scoreGradient(t, v, j);
            for (int k = 0; k < g.length; k++) {
                g[k] *= 2 * e;
            }
            for (int k = 0; k < d; k++) {
                if (weighted) {
                    g[k] += v == u ? 2 * lambda * t[k] : 0;
                    g[m + k] += j == i ? 2 * lambda * t[m + k] : 0;
                } else {
                    g[k] += lambda * t[k];
                    g[m + k] += lambda * t[m + k];
                }
            }
            return g;
        }

        /** ∇²_θ ℓ_z, exact: 2∇ŷ∇ŷᵀ + 2e∇²ŷ + the L2 term's curvature. */
        double[][] rowHessian(double[] t, int row) {
            int v = rows.user(row);
            int j = rows.item(row);
            double e = score(t, v, j) - rows.rating(row);
            double[] g = scoreGradient(t, v, j);
            double[][] h = new double[dim()][dim()];
            for (int a = 0; a < dim(); a++) {
                for (int b = 0; b < dim(); b++) {
                    h[a][b] = 2 * g[a] * g[b];
                }
            }
            if (v == u && j == i) { // ∂²ŷ/∂P[u]∂Q[i] = I; never in S, kept for exactness
                for (int k = 0; k < d; k++) {
                    h[k][m + k] += 2 * e;
                    h[m + k][k] += 2 * e;
                }
            }
            for (int k = 0; k < d; k++) {
                if (weighted) {
                    h[k][k] += v == u ? 2 * lambda : 0;
                    h[m + k][m + k] += j == i ? 2 * lambda : 0;
                } else {
                    h[k][k] += lambda;
                    h[m + k][m + k] += lambda;
                }
            }
            return h;
        }

        int[] all() {
            int[] s = Arrays.copyOf(zu, n);
            System.arraycopy(zi, 0, s, zu.length, zi.length);
            return s;
        }

        double loss(double[] t, int z, double w) {
            double f = 0;
            for (int row : all()) {
                f += rowLoss(t, row) / n;
            }
            return z < 0 ? f : f + w * rowLoss(t, zu[z]);
        }

        double[] gradient(double[] t, int z, double w) {
            double[] g = new double[dim()];
            for (int row : all()) {
                double[] gr = rowGradient(t, row);
                for (int k = 0; k < g.length; k++) {
                    g[k] += gr[k] / n;
                }
            }
            if (z >= 0) {
                double[] gr = rowGradient(t, zu[z]);
                for (int k = 0; k < g.length; k++) {
                    g[k] += w * gr[k];
                }
            }
            return g;
        }

        double[][] hessian(double[] t, int z, double w) {
            double[][] h = new double[dim()][dim()];
            for (int row : all()) {
                add(h, rowHessian(t, row), 1.0 / n);
            }
            if (z >= 0) {
                add(h, rowHessian(t, zu[z]), w);
            }
            return h;
        }

        /** Minimizes F (+ w·ℓ_z) by Newton steps with the exact Hessian and an LU solve. */
        double[] optimum(double[] from, int z, double w) {
            double[] t = from.clone();
            for (int it = 0; it < 8; it++) {
                double[] step = lu(hessian(t, z, w), gradient(t, z, w));
                for (int k = 0; k < t.length; k++) {
                    t[k] -= step[k];
                }
            }
            return t;
        }
    }

    static void add(double[][] into, double[][] a, double w) {
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a.length; c++) {
                into[r][c] += w * a[r][c];
            }
        }
    }

    static double[] lu(double[][] a, double[] b) {
        return new LUDecomposition(new Array2DRowRealMatrix(a, true))
                .getSolver()
                .solve(new ArrayRealVector(b, true))
                .toArray();
    }

    /** I(z) = −(1/n)(H_μ⁻¹∇ŷ(u, i))ᵀg_z for u's rows, H_μ the exact Hessian plus damping. */
    static double[] oracle(Objective o, double damping) {
        double[] t = o.theta();
        double[][] h = o.hessian(t, -1, 0);
        for (int k = 0; k < h.length; k++) {
            h[k][k] += damping;
        }
        double[] x = lu(h, o.scoreGradient(t, o.u, o.i));
        double[] out = new double[o.zu.length];
        for (int z = 0; z < out.length; z++) {
            double[] g = o.rowGradient(t, o.zu[z]);
            double s = 0;
            for (int k = 0; k < g.length; k++) {
                s += x[k] * g[k];
            }
            out[z] = -s / o.n;
        }
        return out;
    }

    static MfInfluenceConfig config(boolean biases, Regularization reg) {
        return MfInfluenceConfig.defaults().withObjective(biases, reg);
    }

    /** The objectives checked: ALS's (no offsets, row-weighted) and the two mixed ones. */
    static List<Object[]> objectives() {
        return List.of(
                new Object[] {false, Regularization.RATING_COUNT},
                new Object[] {true, Regularization.RATING_COUNT},
                new Object[] {false, Regularization.UNIFORM});
    }

    /** Some (user, unrated item) pairs of the small model. */
    static int[][] pairs() {
        return new int[][] {{0, unrated(0, 0)}, {5, unrated(5, 30)}, {17, unrated(17, 77)}};
    }

    static int unrated(int u, int from) {
        java.util.Set<Integer> rated = MfInfluenceTest.ratedBy(train, u);
        int i = from;
        while (rated.contains(i) || MfInfluenceTest.rowsOf(train, false, i).length == 0) {
            i++;
        }
        return i;
    }

    static double maxAbs(double[] a) {
        return Arrays.stream(a).map(Math::abs).max().orElse(0);
    }

    @Test
    void influencesMatchADenseLuSolveOfTheExactHessian() {
        int[] users = {0, 3, 11};
        for (Object[] obj : objectives()) {
            boolean biases = (Boolean) obj[0];
            Regularization reg = (Regularization) obj[1];
            for (LinearSolver solver : List.of(LinearSolver.CG, LinearSolver.EXACT)) {
                MfInfluenceConfig cfg = config(biases, reg).withSolver(solver);
                double rel = solver == LinearSolver.CG ? 1e-6 : 1e-9;
                try (MfInfluenceEngine engine = new MfInfluenceEngine(model, cfg, LAMBDA)) {
                    assertEquals(biases ? 9 : 8, engine.blockSize());
                    List<InfluenceResult> res = engine.computeUsers(users, Progress.NONE);
                    for (int b = 0; b < users.length; b++) {
                        UserInfluence inf = res.get(b).influence();
                        assertTrue(res.get(b).solves().stream().allMatch(TargetSolve::converged));
                        int[] top =
                                model.recommend(users[b], 20).stream()
                                        .mapToInt(ScoredItem::item)
                                        .toArray();
                        assertTrue(Arrays.equals(top, inf.topItems()));
                        for (int k = 0; k < top.length; k++) {
                            Objective o =
                                    new Objective(
                                            params, train, LAMBDA, biases, reg, users[b], top[k]);
                            double[] want = oracle(o, cfg.damping());
                            double scale = maxAbs(want);
                            for (int z = 0; z < want.length; z++) {
                                assertEquals(
                                        want[z],
                                        inf.influence(k, z),
                                        rel * scale + 1e-15,
                                        reg + " biases " + biases + " user " + users[b]);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The check above can fail: the two weightings give clearly different influences. */
    @Test
    void theWeightingMatters() {
        int u = 3;
        try (MfInfluenceEngine engine =
                new MfInfluenceEngine(model, config(false, Regularization.RATING_COUNT), LAMBDA)) {
            UserInfluence inf = engine.compute(u).influence();
            Objective uniform =
                    new Objective(
                            params,
                            train,
                            LAMBDA,
                            false,
                            Regularization.UNIFORM,
                            u,
                            inf.topItems()[0]);
            double[] other = oracle(uniform, 1e-6);
            double diff = 0;
            for (int z = 0; z < other.length; z++) {
                diff = Math.max(diff, Math.abs(other[z] - inf.influence(0, z)));
            }
            assertTrue(diff > 1e-3 * maxAbs(other), "difference " + diff);
        }
    }

    @Test
    void hessianAndRowGradientsMatchFiniteDifferencesOfTheObjective() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (Object[] obj : objectives()) {
            boolean biases = (Boolean) obj[0];
            Regularization reg = (Regularization) obj[1];
            MfInfluenceConfig cfg = config(biases, reg);
            try (MfInfluenceEngine engine = new MfInfluenceEngine(model, cfg, LAMBDA)) {
                for (int[] pair : pairs()) {
                    Objective o =
                            new Objective(params, train, LAMBDA, biases, reg, pair[0], pair[1]);
                    HessianVectorProduct h = engine.pairOperator(pair[0], pair[1]);
                    assertEquals(o.dim(), h.dimension());
                    double[] t = o.theta();
                    double[] v = new double[o.dim()];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = rnd.nextGaussian();
                    }
                    double[] hv = new double[v.length];
                    h.apply(v, hv);
                    double step = 1e-3;
                    double[] tp = t.clone();
                    double[] tm = t.clone();
                    for (int k = 0; k < v.length; k++) {
                        tp[k] += step * v[k];
                        tm[k] -= step * v[k];
                    }
                    double[] gp = o.gradient(tp, -1, 0);
                    double[] gm = o.gradient(tm, -1, 0);
                    for (int k = 0; k < v.length; k++) {
                        double fd = (gp[k] - gm[k]) / (2 * step) + cfg.damping() * v[k];
                        assertEquals(fd, hv[k], 1e-7 * (1 + Math.abs(fd)), reg + " coord " + k);
                    }
                    // the analytic gradients (objective and rows) against central differences
                    double[] g = o.gradient(t, -1, 0);
                    double[] gz = o.rowGradient(t, o.zu[0]);
                    double eps = 1e-5;
                    for (int k = 0; k < t.length; k++) {
                        double[] a = t.clone();
                        double[] b = t.clone();
                        a[k] += eps;
                        b[k] -= eps;
                        double fd = (o.loss(a, -1, 0) - o.loss(b, -1, 0)) / (2 * eps);
                        assertEquals(fd, g[k], 1e-7 * (1 + Math.abs(fd)), "∂F/∂θ_" + k);
                        double fdz = (o.rowLoss(a, o.zu[0]) - o.rowLoss(b, o.zu[0])) / (2 * eps);
                        assertEquals(fdz, gz[k], 1e-7 * (1 + Math.abs(fdz)), "∂ℓ_z/∂θ_" + k);
                    }
                }
            }
        }
    }

    /**
     * ALS's objective by brute force: θ moved to the optimum of F, then F re-optimized with row z
     * weighted by ±δ/n; the derivative of ŷ(u, i) is the influence. This pins the row-weighted
     * definitions (which rows penalize θ, the factor 2, the 1/n) to the objective they come from.
     */
    @Test
    void influenceEqualsTheDerivativeOfReoptimizedScores(@TempDir Path tmp) {
        Regularization reg = Regularization.RATING_COUNT;
        int[] pair = pairs()[1];
        int u = pair[0];
        int i = pair[1];
        Objective o = new Objective(params, train, LAMBDA, false, reg, u, i);
        double[] opt = o.optimum(o.theta(), -1, 0);
        assertTrue(maxAbs(o.gradient(opt, -1, 0)) < 1e-10, "Newton did not converge");
        double[] full = new double[2 * (params.get("P").rowSize() + 1)];
        int d = o.d;
        System.arraycopy(opt, 0, full, 0, d);
        System.arraycopy(opt, d, full, d + 1, d);
        full[d] = params.get("Bu").data()[u];
        full[2 * d + 1] = params.get("Bi").data()[i];
        ParameterSet at = MfInfluenceTest.withTheta(params, u, i, full, d);
        Path dir = tmp.resolve("optimum");
        ModelStore.save(dir, model.metadata(), at, ((MfModel) model).data().directory());
        Objective atFloat = new Objective(at, train, LAMBDA, false, reg, u, i);
        double[] theta = atFloat.theta();
        UserInfluence inf;
        try (TrainedModel m = ModelStore.load(dir);
                MfInfluenceEngine engine = new MfInfluenceEngine(m, config(false, reg), LAMBDA)) {
            inf =
                    engine.computeTargets(
                                    new int[] {u},
                                    new int[][] {{i}},
                                    new double[][] {{atFloat.score(theta, u, i)}},
                                    Progress.NONE)
                            .get(0)
                            .influence();
        }
        double largest = 0;
        for (int z = 0; z < o.zu.length; z++) {
            largest = Math.max(largest, Math.abs(inf.influence(0, z)));
        }
        assertTrue(largest > 0);
        double delta = 1e-3;
        for (int z = 0; z < o.zu.length; z++) {
            double up = atFloat.score(atFloat.optimum(theta, z, delta / o.n), u, i);
            double down = atFloat.score(atFloat.optimum(theta, z, -delta / o.n), u, i);
            assertEquals(
                    (up - down) / (2 * delta),
                    inf.influence(0, z),
                    5e-5 * largest + 1e-9,
                    "action " + z);
        }
    }
}
