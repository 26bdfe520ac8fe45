package io.accent.ncf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.data.Ratings;
import io.accent.influence.BlockOperator;
import io.accent.influence.Curvature;
import io.accent.influence.DirectSolver;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceResult;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The full-scope NCF influence (docs/SPEC.md §11.3) on a tiny NCF (E = 4, about 1,600 parameters)
 * against independent oracles: the rows' gradients against finite differences of the plain-Java
 * forward pass, the Gauss-Newton products against sums of the rows' outer products, the exact
 * products against finite differences of the loss gradient, and the influences from block CG
 * against a dense float64 solve of the matrix the products define (built column by column from
 * products with unit vectors).
 */
class NcfFullScopeTest {

    static Path modelDir;
    static TrainedModel model;
    static ParameterSet params;
    static Ratings train;
    static double lambda;

    @BeforeAll
    static void train() throws Exception {
        Path data = TestModels.smallData();
        modelDir = Files.createTempDirectory("accent-fullscope").resolve("model");
        NcfTraining.run(
                data, modelDir, new NcfConfig(4, 1e-2, 1e-3, 128, 1500, 3, 50), 1, Progress.NONE);
        model = ModelStore.load(modelDir);
        params = model.parameters();
        train = NcfModel.of(model).data().train();
        lambda = 1e-3;
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static NcfFullScopeEngine engine(Curvature c, double damping, double tolerance) {
        return new NcfFullScopeEngine(
                model, new FullScopeConfig(c, damping, tolerance, 5000), 5, 97, 1);
    }

    /** The parameters as a flat vector, and a copy of a parameter set with θ[q] moved. */
    static ParameterSet moved(ParameterSet p, int q, float to) {
        List<NamedArray> out = new ArrayList<>();
        int off = 0;
        for (String n : NcfNetwork.VARIABLES) {
            NamedArray a = p.get(n);
            float[] v = a.data().clone();
            if (q >= off && q < off + v.length) {
                v[q - off] = to;
            }
            out.add(new NamedArray(n, a.shape(), v));
            off += v.length;
        }
        return new ParameterSet(out);
    }

    @Test
    void rowGradientsMatchFiniteDifferencesOfTheJavaForwardPass() {
        try (NcfFullScopeEngine eng = engine(Curvature.GAUSS_NEWTON, 0.01, 1e-8)) {
            double[] theta = eng.theta();
            int checked = 0;
            for (int[] pair : new int[][] {{0, 3}, {7, 11}, {train.user(5), train.item(5)}}) {
                int u = pair[0];
                int i = pair[1];
                double[] g = eng.scoreGradient(u, i);
                assertEquals(JavaNcf.score(params, u, i), scoreOf(eng, u, i), 1e-9);
                for (int q = 0; q < theta.length; q++) {
                    if (g[q] == 0 && q % 7 != 0) {
                        continue; // untouched rows: a sample is enough
                    }
                    float up = (float) (theta[q] + 1e-2);
                    float down = (float) (theta[q] - 1e-2);
                    double fu = JavaNcf.score(moved(params, q, up), u, i);
                    double fd = JavaNcf.score(moved(params, q, down), u, i);
                    double f0 = JavaNcf.score(params, u, i);
                    double right = (fu - f0) / (up - theta[q]);
                    double left = (f0 - fd) / (theta[q] - down);
                    if (Math.abs(right - left) > 1e-6 * (1 + Math.abs(right))) {
                        continue; // a ReLU kink between the points
                    }
                    assertEquals(right, g[q], 1e-7 * (1 + Math.abs(right)), "parameter " + q);
                    checked++;
                }
            }
            assertTrue(checked > 300, "too few parameters checked: " + checked);
        }
    }

    static double scoreOf(NcfFullScopeEngine eng, int u, int i) {
        return eng.rowScores(new int[] {u}, new int[] {i})[0];
    }

    @Test
    void gaussNewtonProductsAreSumsOfTheRowsOuterProducts() {
        try (NcfFullScopeEngine eng = engine(Curvature.GAUSS_NEWTON, 0.03, 1e-8)) {
            int p = eng.parameterCount();
            SplittableRandom rnd = new SplittableRandom(5);
            double[][] v = new double[3][p];
            for (double[] col : v) {
                for (int k = 0; k < p; k++) {
                    col[k] = rnd.nextGaussian();
                }
            }
            double[][] out = new double[3][p];
            eng.curvature().apply(v, out);
            double[] shift = shift(eng, 0.03);
            for (int j = 0; j < 3; j++) {
                double[] expect = new double[p];
                for (int r = 0; r < train.size(); r++) {
                    double[] g = eng.scoreGradient(train.user(r), train.item(r));
                    double dot = 0;
                    for (int k = 0; k < p; k++) {
                        dot += g[k] * v[j][k];
                    }
                    for (int k = 0; k < p; k++) {
                        expect[k] += 2 * dot * g[k] / train.size();
                    }
                }
                for (int k = 0; k < p; k++) {
                    expect[k] += shift[k] * v[j][k];
                    assertEquals(expect[k], out[j][k], 1e-9 * (1 + Math.abs(expect[k])));
                }
            }
        }
    }

    /** λ on the decayed parameters plus μ, per parameter. */
    static double[] shift(NcfFullScopeEngine eng, double mu) {
        double[] s = new double[eng.parameterCount()];
        int off = 0;
        for (String n : NcfNetwork.VARIABLES) {
            int len = params.get(n).data().length;
            for (int k = 0; k < len; k++) {
                s[off + k] = mu + (NcfNetwork.DECAYED.contains(n) ? lambda : 0);
            }
            off += len;
        }
        return s;
    }

    @Test
    void exactProductsAreTheDerivativeOfTheLossGradient() {
        // every ReLU active: the loss is a polynomial, so central differences are accurate
        ParameterSet smooth = NcfInfluenceTest.shiftBiases(params, 10f, 300f);
        Path dir = modelDir.resolveSibling("smooth");
        NcfModel nm = NcfModel.of(model);
        ModelStore.save(dir, model.metadata(), smooth, nm.data().directory());
        try (TrainedModel m = ModelStore.load(dir);
                NcfFullScopeEngine eng =
                        new NcfFullScopeEngine(
                                m, new FullScopeConfig(Curvature.EXACT, 0.0, 1e-8, 10), 5, 97, 1)) {
            int p = eng.parameterCount();
            double[] theta = eng.theta();
            SplittableRandom rnd = new SplittableRandom(9);
            double h = 1e-3;
            double[] plus = new double[p];
            double[] minus = new double[p];
            ParameterSet up = smooth;
            ParameterSet down = smooth;
            float[][] upData = new float[NcfNetwork.VARIABLES.size()][];
            float[][] downData = new float[NcfNetwork.VARIABLES.size()][];
            int off = 0;
            for (int v = 0; v < NcfNetwork.VARIABLES.size(); v++) {
                float[] base = smooth.get(NcfNetwork.VARIABLES.get(v)).data();
                upData[v] = base.clone();
                downData[v] = base.clone();
                for (int k = 0; k < base.length; k++) {
                    double step = rnd.nextGaussian();
                    upData[v][k] = (float) (theta[off + k] + h * step);
                    downData[v][k] = (float) (theta[off + k] - h * step);
                    plus[off + k] = upData[v][k] - theta[off + k];
                    minus[off + k] = downData[v][k] - theta[off + k];
                }
                off += base.length;
            }
            up = replace(smooth, upData);
            down = replace(smooth, downData);
            double[] gUp = lossGradient(up);
            double[] gDown = lossGradient(down);
            double[] delta = new double[p];
            for (int k = 0; k < p; k++) {
                delta[k] = plus[k] - minus[k];
            }
            double[][] out = new double[1][p];
            eng.curvature().apply(new double[][] {delta}, out);
            double[] s = shift(eng, 0.0);
            double scale = 0;
            for (int k = 0; k < p; k++) {
                scale = Math.max(scale, Math.abs(gUp[k] - gDown[k]));
            }
            for (int k = 0; k < p; k++) {
                double fd = gUp[k] - gDown[k]; // Σ_rows ∇(ŷ − r)², no 1/N
                double hv = (out[0][k] - s[k] * delta[k]) * train.size();
                assertEquals(fd, hv, 1e-5 * scale, "parameter " + k);
            }
        }
    }

    static ParameterSet replace(ParameterSet p, float[][] data) {
        List<NamedArray> out = new ArrayList<>();
        for (int v = 0; v < NcfNetwork.VARIABLES.size(); v++) {
            NamedArray a = p.get(NcfNetwork.VARIABLES.get(v));
            out.add(new NamedArray(a.name(), a.shape(), data[v]));
        }
        return new ParameterSet(out);
    }

    /** Σ_rows ∇θ(ŷ − r)² at {@code p}, from the graph's row gradients. */
    static double[] lossGradient(ParameterSet p) {
        try (NcfFullScopeGraph g = new NcfFullScopeGraph(p, 1)) {
            int n = train.size();
            int[] us = new int[n];
            int[] is = new int[n];
            for (int r = 0; r < n; r++) {
                us[r] = train.user(r);
                is[r] = train.item(r);
            }
            NcfFullScopeGraph.RowGradients rg = g.rows(us, is);
            int e = g.embeddingSize();
            int d = 2 * e;
            int nd = g.denseCount();
            int total = g.parameterCount();
            double[] out = new double[total];
            for (int r = 0; r < n; r++) {
                double c = 2 * (rg.scores()[r] - train.rating(r));
                for (int k = 0; k < e; k++) {
                    out[g.offset(0) + us[r] * e + k] += c * rg.user()[r * d + k];
                    out[g.offset(2) + us[r] * e + k] += c * rg.user()[r * d + e + k];
                    out[g.offset(1) + is[r] * e + k] += c * rg.item()[r * d + k];
                    out[g.offset(3) + is[r] * e + k] += c * rg.item()[r * d + e + k];
                }
                for (int k = 0; k < nd; k++) {
                    out[total - nd + k] += c * rg.dense()[r * nd + k];
                }
            }
            return out;
        }
    }

    /** The damped curvature as a dense matrix, from products with unit vectors. */
    static double[][] dense(NcfFullScopeEngine eng) {
        int p = eng.parameterCount();
        double[][] a = new double[p][];
        BlockOperator op = eng.curvature();
        int block = 64;
        for (int start = 0; start < p; start += block) {
            int m = Math.min(block, p - start);
            double[][] in = new double[m][p];
            double[][] out = new double[m][p];
            for (int j = 0; j < m; j++) {
                in[j][start + j] = 1;
            }
            op.apply(in, out);
            for (int j = 0; j < m; j++) {
                a[start + j] = out[j];
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(a[i][j], a[j][i], 1e-9 * (1 + Math.abs(a[i][j])), "symmetry");
            }
        }
        return a;
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
        try (NcfFullScopeEngine eng = engine(c, damping, 1e-12)) {
            double[][] a = dense(eng);
            double[] theta = eng.theta();
            double[] s = shift(eng, 0);
            int n = train.size();
            for (int u : new int[] {2, 17}) {
                InfluenceResult r = eng.computeUsers(new int[] {u}, Progress.NONE).get(0);
                UserInfluence inf = r.influence();
                assertTrue(r.solves().stream().allMatch(t -> t.converged()));
                int[] zu = rowsOf(u);
                for (int k = 0; k < inf.topK(); k++) {
                    double[] x =
                            DirectSolver.choleskySolve(a, eng.scoreGradient(u, inf.topItems()[k]));
                    double reg = 0;
                    for (int q = 0; q < theta.length; q++) {
                        reg += s[q] * x[q] * theta[q]; // λ on the decayed set only
                    }
                    double max = 0;
                    double[] expect = new double[zu.length];
                    for (int z = 0; z < zu.length; z++) {
                        double[] g = eng.scoreGradient(u, train.item(zu[z]));
                        double err =
                                JavaNcf.score(params, u, train.item(zu[z])) - train.rating(zu[z]);
                        double dot = 0;
                        for (int q = 0; q < theta.length; q++) {
                            dot += x[q] * g[q];
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

    static int[] rowsOf(int u) {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < train.size(); r++) {
            if (train.user(r) == u) {
                out.add(r);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void aSolveThatReachesTheCapFailsWithASolverError() {
        try (NcfFullScopeEngine eng =
                new NcfFullScopeEngine(
                        model,
                        new FullScopeConfig(Curvature.GAUSS_NEWTON, 1e-4, 1e-12, 2),
                        5,
                        97,
                        1)) {
            SolverException ex = assertThrows(SolverException.class, () -> eng.compute(3));
            assertTrue(ex.getMessage().contains("iteration cap of 2"), ex.getMessage());
            assertEquals(5, ex.exitCode());
        }
    }
}
