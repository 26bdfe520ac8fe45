package io.accent.mf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.data.Ratings;
import io.accent.influence.Curvature;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceResult;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.ParameterSet;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The full-scope MF influence (docs/SPEC.md §11.3) on the small MF (40 users, 120 items, d = 8,
 * 1,440 parameters) against independent oracles written here from the definitions: the float64
 * scores against the model's TensorFlow forward pass, the exact curvature products against finite
 * differences of the loss gradient, and the influences from block CG against a dense float64 solve
 * (commons-math3) of the curvature matrix built entry by entry from its formula.
 */
class MfFullScopeTest {

    static TrainedModel model;
    static ParameterSet params;
    static Ratings train;
    static double lambda;
    static int d;
    static int users;
    static int items;

    @BeforeAll
    static void load() {
        model = ModelStore.load(MfTestModels.small());
        params = model.parameters();
        train = MfModel.of(model).data().train();
        lambda = MfConfig.fromMap(model.metadata().config()).weightDecay();
        d = params.get("P").rowSize();
        users = params.get("P").rows();
        items = params.get("Q").rows();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static MfFullScopeEngine engine(Curvature c, double damping, double tolerance) {
        return new MfFullScopeEngine(model, new FullScopeConfig(c, damping, tolerance, 5000), 5);
    }

    // ---- the oracle's own layout and formulas: θ = (P, Q, Bu, Bi)

    static int p() {
        return (users + items) * (d + 1);
    }

    static int pIndex(int u, int k) {
        return u * d + k;
    }

    static int qIndex(int i, int k) {
        return users * d + i * d + k;
    }

    static int buIndex(int u) {
        return (users + items) * d + u;
    }

    static int biIndex(int i) {
        return (users + items) * d + users + i;
    }

    static double score(double[] t, int u, int i) {
        double s = t[buIndex(u)] + t[biIndex(i)] + params.get("mu").data()[0];
        for (int k = 0; k < d; k++) {
            s += t[pIndex(u, k)] * t[qIndex(i, k)];
        }
        return s;
    }

    /** ∇θŷ(u, i) as (index, value) pairs. */
    static int[] gradIndex(int u, int i) {
        int[] idx = new int[2 * d + 2];
        for (int k = 0; k < d; k++) {
            idx[k] = pIndex(u, k);
            idx[d + k] = qIndex(i, k);
        }
        idx[2 * d] = buIndex(u);
        idx[2 * d + 1] = biIndex(i);
        return idx;
    }

    static double[] gradValue(double[] t, int u, int i) {
        double[] g = new double[2 * d + 2];
        for (int k = 0; k < d; k++) {
            g[k] = t[qIndex(i, k)];
            g[d + k] = t[pIndex(u, k)];
        }
        g[2 * d] = 1;
        g[2 * d + 1] = 1;
        return g;
    }

    /** Σ_rows ∇θ(ŷ − r)² at θ = t (no L2, no 1/N). */
    static double[] lossGradient(double[] t) {
        double[] out = new double[p()];
        for (int r = 0; r < train.size(); r++) {
            int u = train.user(r);
            int i = train.item(r);
            double c = 2 * (score(t, u, i) - train.rating(r));
            int[] idx = gradIndex(u, i);
            double[] g = gradValue(t, u, i);
            for (int a = 0; a < idx.length; a++) {
                out[idx[a]] += c * g[a];
            }
        }
        return out;
    }

    /** λ on P and Q, plus μ on everything. */
    static double shift(int q, double mu) {
        return (q < (users + items) * d ? lambda : 0) + mu;
    }

    /** The damped curvature as a dense matrix, entry by entry from the formula. */
    static double[][] dense(double[] t, Curvature c, double mu) {
        int p = p();
        int n = train.size();
        double[][] a = new double[p][p];
        for (int r = 0; r < n; r++) {
            int u = train.user(r);
            int i = train.item(r);
            int[] idx = gradIndex(u, i);
            double[] g = gradValue(t, u, i);
            for (int x = 0; x < idx.length; x++) {
                for (int y = 0; y < idx.length; y++) {
                    a[idx[x]][idx[y]] += 2 * g[x] * g[y] / n;
                }
            }
            if (c == Curvature.EXACT) {
                double e = 2 * (score(t, u, i) - train.rating(r)) / n;
                for (int k = 0; k < d; k++) {
                    a[pIndex(u, k)][qIndex(i, k)] += e;
                    a[qIndex(i, k)][pIndex(u, k)] += e;
                }
            }
        }
        for (int q = 0; q < p; q++) {
            a[q][q] += shift(q, mu);
        }
        return a;
    }

    @Test
    void layoutScoresAndGradientsAgreeWithTheTensorFlowForwardPass() {
        try (MfFullScopeEngine eng = engine(Curvature.GAUSS_NEWTON, 0.01, 1e-8)) {
            assertEquals(p(), eng.parameterCount());
            double[] t = eng.theta();
            int[] us = {0, 7, train.user(5), users - 1};
            int[] is = {3, 11, train.item(5), items - 1};
            float[] tf = model.score(us, is);
            for (int b = 0; b < us.length; b++) {
                assertEquals(tf[b], eng.predict(us[b], is[b]), 1e-5 * (1 + Math.abs(tf[b])));
                assertEquals(score(t, us[b], is[b]), eng.predict(us[b], is[b]), 1e-12);
                double[] g = eng.scoreGradient(us[b], is[b]);
                double[] expect = new double[p()];
                int[] idx = gradIndex(us[b], is[b]);
                double[] gv = gradValue(t, us[b], is[b]);
                for (int a = 0; a < idx.length; a++) {
                    expect[idx[a]] = gv[a];
                }
                for (int q = 0; q < p(); q++) {
                    assertEquals(expect[q], g[q], 0.0, "parameter " + q);
                }
            }
        }
    }

    @Test
    void exactProductsAreTheDerivativeOfTheLossGradient() {
        try (MfFullScopeEngine eng = engine(Curvature.EXACT, 0.0, 1e-8)) {
            double[] t = eng.theta();
            int p = p();
            SplittableRandom rnd = new SplittableRandom(9);
            double[] v = new double[p];
            for (int q = 0; q < p; q++) {
                v[q] = rnd.nextGaussian();
            }
            double h = 1e-4;
            double[] up = t.clone();
            double[] down = t.clone();
            for (int q = 0; q < p; q++) {
                up[q] += h * v[q];
                down[q] -= h * v[q];
            }
            double[] gUp = lossGradient(up);
            double[] gDown = lossGradient(down);
            double[][] out = new double[1][p];
            eng.curvature().apply(new double[][] {v}, out);
            double scale = 0;
            for (int q = 0; q < p; q++) {
                scale = Math.max(scale, Math.abs(gUp[q] - gDown[q]) / (2 * h));
            }
            for (int q = 0; q < p; q++) {
                double fd = (gUp[q] - gDown[q]) / (2 * h); // Σ_rows ∇²(ŷ − r)² v, no 1/N
                double hv = (out[0][q] - shift(q, 0) * v[q]) * train.size();
                assertEquals(fd, hv, 1e-6 * scale, "parameter " + q);
            }
        }
    }

    @Test
    void gaussNewtonProductsEqualTheDenseMatrix() {
        try (MfFullScopeEngine eng = engine(Curvature.GAUSS_NEWTON, 0.03, 1e-8)) {
            double[][] a = dense(eng.theta(), Curvature.GAUSS_NEWTON, 0.03);
            SplittableRandom rnd = new SplittableRandom(5);
            double[][] v = new double[2][p()];
            for (double[] col : v) {
                for (int q = 0; q < col.length; q++) {
                    col[q] = rnd.nextGaussian();
                }
            }
            double[][] out = new double[2][p()];
            eng.curvature().apply(v, out);
            for (int j = 0; j < 2; j++) {
                for (int q = 0; q < p(); q++) {
                    double s = 0;
                    for (int c = 0; c < p(); c++) {
                        s += a[q][c] * v[j][c];
                    }
                    assertEquals(s, out[j][q], 1e-10 * (1 + Math.abs(s)), "parameter " + q);
                }
            }
        }
    }

    @Test
    void gaussNewtonInfluencesEqualADenseSolve() {
        influencesEqualADenseSolve(Curvature.GAUSS_NEWTON, 0.01);
    }

    @Test
    void exactHessianInfluencesEqualADenseSolve() {
        influencesEqualADenseSolve(Curvature.EXACT, 0.5);
    }

    void influencesEqualADenseSolve(Curvature c, double damping) {
        try (MfFullScopeEngine eng = engine(c, damping, 1e-12)) {
            double[] t = eng.theta();
            RealMatrix a = new Array2DRowRealMatrix(dense(t, c, damping), false);
            var solver =
                    c == Curvature.GAUSS_NEWTON
                            ? new CholeskyDecomposition(a).getSolver()
                            : new LUDecomposition(a).getSolver();
            int n = train.size();
            for (int u : new int[] {2, 17}) {
                InfluenceResult r = eng.computeUsers(new int[] {u}, Progress.NONE).get(0);
                UserInfluence inf = r.influence();
                assertTrue(r.solves().stream().allMatch(s -> s.converged()));
                int[] zu = MfInfluenceTest.rowsOf(train, true, u);
                assertEquals(zu.length, inf.actions().length);
                for (int k = 0; k < inf.topK(); k++) {
                    int target = inf.topItems()[k];
                    double[] b = new double[p()];
                    int[] idx = gradIndex(u, target);
                    double[] gv = gradValue(t, u, target);
                    for (int x = 0; x < idx.length; x++) {
                        b[idx[x]] = gv[x];
                    }
                    double[] x = solver.solve(new ArrayRealVector(b, false)).toArray();
                    double reg = 0;
                    for (int q = 0; q < p(); q++) {
                        reg += shift(q, 0) * x[q] * t[q]; // λ on P and Q only
                    }
                    double max = 0;
                    double[] expect = new double[zu.length];
                    for (int z = 0; z < zu.length; z++) {
                        int j = train.item(zu[z]);
                        double err = score(t, u, j) - train.rating(zu[z]);
                        int[] gi = gradIndex(u, j);
                        double[] g = gradValue(t, u, j);
                        double dot = 0;
                        for (int y = 0; y < gi.length; y++) {
                            dot += x[gi[y]] * g[y];
                        }
                        expect[z] = -(2 * err * dot + reg) / n;
                        max = Math.max(max, Math.abs(expect[z]));
                    }
                    for (int z = 0; z < zu.length; z++) {
                        assertEquals(
                                expect[z],
                                inf.influence(k, z),
                                1e-6 * max,
                                "user " + u + " target " + k + " action " + z);
                    }
                }
            }
        }
    }

    @Test
    void aSolveThatReachesTheCapFailsWithASolverError() {
        try (MfFullScopeEngine eng =
                new MfFullScopeEngine(
                        model, new FullScopeConfig(Curvature.GAUSS_NEWTON, 1e-4, 1e-12, 1), 5)) {
            SolverException ex = assertThrows(SolverException.class, () -> eng.compute(3));
            assertTrue(ex.getMessage().contains("iteration cap of 1"), ex.getMessage());
            assertEquals(5, ex.exitCode());
        }
    }

    @Test
    void theCommandRunsTheFullScopeOnTheEmbeddedModel() {
        MfCommandsTest.Run run =
                MfCommandsTest.run(
                        "influence",
                        "--model",
                        MfTestModels.SYNTHETIC.toString(),
                        "--user",
                        "1",
                        "--scope",
                        "full");
        assertEquals(0, run.code(), run.err());
        assertTrue((run.out() + run.err()).contains("scope full"), run.err());
        assertTrue(run.out().lines().count() > 20, run.out());
        MfCommandsTest.Run refused =
                MfCommandsTest.run(
                        "influence",
                        "--model",
                        MfTestModels.SYNTHETIC.toString(),
                        "--user",
                        "1",
                        "--scope",
                        "full",
                        "--solver",
                        "exact");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--solver applies to --scope embeddings"), refused.err());
    }
}
