package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.RcfTestModels;
import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.family.OptionValues;
import io.accent.influence.Curvature;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceResult;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RCF's wider influence scope (docs/SPEC.md §11.3) against oracles built from forward passes only:
 * gradients against central differences of the BPR loss, Gauss-Newton products against a Jacobian
 * of the score gaps by central differences, exact products against differences of the gradient, and
 * the influences against a dense float64 LU solve of the damped curvature of each removal.
 */
class RcfFullScopeTest {

    private static final double MU = 0.01;

    private static TrainedModel model;

    /** Gauss-Newton, damping 0.01, CG to 1e-10 (graphs are built once: they take seconds). */
    private static RcfFullScopeEngine gn;

    @BeforeAll
    static void load() {
        model = ModelStore.load(RcfTestModels.small());
        gn = engine(Curvature.GAUSS_NEWTON, MU, 1e-10, 2000);
    }

    @AfterAll
    static void close() {
        gn.close();
        model.close();
    }

    private static int user(int min, int max) {
        for (int u = 0; u < model.metadata().numUsers(); u++) {
            int n = model.trainingItems(u).cardinality();
            if (n >= min && n <= max) {
                return u;
            }
        }
        throw new AssertionError("no user with " + min + ".." + max + " positives");
    }

    private static RcfFullScopeEngine engine(Curvature c, double damping, double tol, int cap) {
        return new RcfFullScopeEngine(model, new FullScopeConfig(c, damping, tol, cap), 5, 1);
    }

    private static double loss(double[] y) {
        double s = 0;
        for (int z = 0; z < y.length / 2; z++) {
            s += Math.log1p(Math.exp(-(y[2 * z] - y[2 * z + 1])));
        }
        return s;
    }

    @Test
    void scopeCoversTheUserRelationsAndListValuesAndScoresMatchTheEmbeddingsEngine() {
        int u = user(5, 40);
        RcfFullScopeEngine e = gn;
        try (RcfInfluenceEngine emb =
                new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults().withTopK(5))) {
            int[] top = emb.topTargets(u);
            RcfFullScopeEngine.Layout l = e.layout(u, top);
            int h = model.parameters().get("e_user").rowSize();
            int types = model.parameters().get("R").data().length / h;
            assertTrue(l.dimension > h + types * h, "some value embeddings are in scope");
            assertEquals(0, (l.dimension - h - types * h) % h);
            double[] y = e.targetScores(l, -1, l.theta, top);
            double[] ref =
                    emb.computeTargets(
                                    new int[] {u},
                                    new int[][] {top},
                                    new double[][] {new double[top.length]},
                                    Progress.NONE)
                            .get(0)
                            .influence()
                            .scores();
            InfluenceResult base = emb.computeUsers(new int[] {u}, Progress.NONE).get(0);
            for (int k = 0; k < top.length; k++) {
                assertEquals(base.influence().scores()[k], y[k], 1e-9, "target " + k);
            }
            assertEquals(top.length, ref.length);
        }
    }

    @Test
    void gradientsAndCurvatureProductsMatchFiniteDifferenceOracles() {
        int u = user(5, 30);
        try (RcfFullScopeEngine ex = engine(Curvature.EXACT, 0, 1e-8, 500)) {
            RcfFullScopeEngine.Layout l = gn.layout(u, new int[0]);
            int d = l.dimension;
            int removed = 1;
            double eps = 1e-5;
            // the gradient of Σℓ against central differences of the loss from forward passes
            double[] g = gn.sumGradient(l, removed, l.theta);
            // Jacobian of the gaps d_z by central differences of forward passes
            int zs = l.triples.length;
            double[][] jac = new double[zs][d];
            double gradWorst = 0;
            double gradScale = 0;
            for (int c = 0; c < d; c++) {
                double[] plus = l.theta.clone();
                double[] minus = l.theta.clone();
                plus[c] += eps;
                minus[c] -= eps;
                double[] yp = gn.tripleScores(l, removed, plus);
                double[] ym = gn.tripleScores(l, removed, minus);
                double fd = (loss(yp) - loss(ym)) / (2 * eps);
                gradWorst = Math.max(gradWorst, Math.abs(fd - g[c]));
                gradScale = Math.max(gradScale, Math.abs(g[c]));
                for (int z = 0; z < zs; z++) {
                    jac[z][c] =
                            ((yp[2 * z] - yp[2 * z + 1]) - (ym[2 * z] - ym[2 * z + 1])) / (2 * eps);
                }
            }
            assertTrue(gradScale > 1e-4, "gradient is not trivially zero");
            assertTrue(gradWorst < 1e-7 * Math.max(1, gradScale), "gradient vs FD " + gradWorst);

            double[] y0 = gn.tripleScores(l, removed, l.theta);
            Random rnd = new Random(7);
            double[] v = new double[d];
            for (int c = 0; c < d; c++) {
                v[c] = rnd.nextGaussian();
            }
            // Gauss-Newton: Σ_z σ(1−σ) J_z (J_z·v)
            double[] gnRef = new double[d];
            for (int z = 0; z < zs; z++) {
                double gap = y0[2 * z] - y0[2 * z + 1];
                double s = 1 / (1 + Math.exp(-gap));
                double jv = 0;
                for (int c = 0; c < d; c++) {
                    jv += jac[z][c] * v[c];
                }
                for (int c = 0; c < d; c++) {
                    gnRef[c] += s * (1 - s) * jv * jac[z][c];
                }
            }
            double[] got = gn.product(l, removed, v);
            for (int c = 0; c < d; c++) {
                got[c] -= MU * l.n * v[c]; // the damping the engine adds
            }
            assertClose(gnRef, got, 1e-7, "Gauss-Newton product");

            // exact: central differences of the gradient along v
            double[] plus = l.theta.clone();
            double[] minus = l.theta.clone();
            double step = 1e-5;
            for (int c = 0; c < d; c++) {
                plus[c] += step * v[c];
                minus[c] -= step * v[c];
            }
            double[] gp = ex.sumGradient(l, removed, plus);
            double[] gm = ex.sumGradient(l, removed, minus);
            double[] exRef = new double[d];
            for (int c = 0; c < d; c++) {
                exRef[c] = (gp[c] - gm[c]) / (2 * step);
            }
            assertClose(exRef, ex.product(l, removed, v), 1e-6, "exact product");
        }
    }

    /**
     * The engine's influences (block CG to 1e-10) equal a dense LU solve of (C_p + μ·n_u·I) Δ =
     * g_p, with C_p the Gauss-Newton matrix from a finite-difference Jacobian of every removal's
     * score gaps, followed by the same real forward passes, within 1e-6.
     */
    @Test
    void influencesEqualADenseSolveOfEachRemoval() {
        int u = user(4, 20);
        double mu = MU;
        RcfFullScopeEngine e = gn;
        try (RcfInfluenceEngine emb =
                new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults().withTopK(5))) {
            int[] top = emb.topTargets(u);
            InfluenceResult r = e.computeUsers(new int[] {u}, Progress.NONE).get(0);
            RcfFullScopeEngine.Layout l = e.layout(u, top);
            int d = l.dimension;
            int n = l.n;
            double[][] grads = e.gradients(l);
            double[] base = e.targetScores(l, -1, l.theta, top);
            double eps = 1e-5;
            double scale = 0;
            double worst = 0;
            for (int p = 0; p < n; p++) {
                int zs = l.triples.length;
                double[][] jac = new double[zs][d];
                for (int c = 0; c < d; c++) {
                    double[] plus = l.theta.clone();
                    double[] minus = l.theta.clone();
                    plus[c] += eps;
                    minus[c] -= eps;
                    double[] yp = e.tripleScores(l, p, plus);
                    double[] ym = e.tripleScores(l, p, minus);
                    for (int z = 0; z < zs; z++) {
                        jac[z][c] =
                                ((yp[2 * z] - yp[2 * z + 1]) - (ym[2 * z] - ym[2 * z + 1]))
                                        / (2 * eps);
                    }
                }
                double[] y0 = e.tripleScores(l, p, l.theta);
                double[][] c = new double[d][d];
                for (int z = 0; z < zs; z++) {
                    double gap = y0[2 * z] - y0[2 * z + 1];
                    double s = 1 / (1 + Math.exp(-gap));
                    double w = s * (1 - s);
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            c[a][b] += w * jac[z][a] * jac[z][b];
                        }
                    }
                }
                for (int a = 0; a < d; a++) {
                    c[a][a] += mu * n;
                }
                double[] delta =
                        new LUDecomposition(new Array2DRowRealMatrix(c))
                                .getSolver()
                                .solve(new ArrayRealVector(grads[p]))
                                .toArray();
                double[] shifted = l.theta.clone();
                for (int a = 0; a < d; a++) {
                    shifted[a] += delta[a];
                }
                double[] y = e.targetScores(l, p, shifted, top);
                for (int k = 0; k < top.length; k++) {
                    double ref = base[k] - y[k];
                    double got = r.influence().influence()[k][p];
                    worst = Math.max(worst, Math.abs(ref - got));
                    scale = Math.max(scale, Math.abs(ref));
                }
            }
            assertTrue(scale > 1e-4, "influences are not trivially zero: " + scale);
            assertTrue(worst < 1e-6, "max |influence − dense| " + worst + " at scale " + scale);
        }
    }

    /**
     * Every user of the small model, among them users whose triples' lists name no value of some
     * kind (an empty live value table for that kind in a call), gets finite removal gradients.
     */
    @Test
    void everyUserGetsFiniteRemovalGradients() {
        for (int u = 0; u < model.metadata().numUsers(); u++) {
            if (model.trainingItems(u).cardinality() == 0) {
                continue;
            }
            for (double[] g : gn.gradients(gn.layout(u, new int[0]))) {
                for (double v : g) {
                    assertTrue(Double.isFinite(v), "user " + u);
                }
            }
        }
    }

    @Test
    void aSolveThatDoesNotConvergeIsAnError() {
        int u = user(5, 30);
        try (RcfFullScopeEngine e = engine(Curvature.GAUSS_NEWTON, 1e-6, 1e-12, 1)) {
            SolverException x =
                    assertThrows(
                            SolverException.class,
                            () -> e.computeUsers(new int[] {u}, Progress.NONE));
            assertTrue(x.getMessage().contains("iteration cap"), x.getMessage());
        }
    }

    @Test
    void optionsOfOneScopeAreRefusedWithTheOther() {
        RcfFamily f = new RcfFamily();
        assertThrows(
                ConfigException.class,
                () ->
                        f.influence(
                                new OptionValues(Map.of("--scope", "full", "--hessian", "shared")),
                                1));
        assertThrows(
                ConfigException.class,
                () -> f.influence(new OptionValues(Map.of("--cg-tolerance", "1e-3")), 1));
        assertThrows(
                ConfigException.class,
                () -> f.influence(new OptionValues(Map.of("--scope", "wide")), 1));
        f.influence(new OptionValues(Map.of("--scope", "full", "--curvature", "exact")), 1);
        f.influence(new OptionValues(Map.of("--damping", "0.1")), 1);
    }

    private static void assertClose(double[] ref, double[] got, double rel, String what) {
        double scale = 0;
        double worst = 0;
        for (int c = 0; c < ref.length; c++) {
            scale = Math.max(scale, Math.abs(ref[c]));
            worst = Math.max(worst, Math.abs(ref[c] - got[c]));
        }
        assertTrue(scale > 1e-6, what + " is not trivially zero");
        assertTrue(worst < rel * Math.max(1, scale), what + ": max diff " + worst + " at " + scale);
    }
}
