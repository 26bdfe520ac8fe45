package io.accent.ncf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.influence.BlockInverse;
import io.accent.influence.BlockOperator;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.RatingRows;
import io.accent.influence.SolveResult;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.influence.UserTargets;
import io.accent.model.TrainedModel;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full-scope influence for NCF (docs/SPEC.md §11.3): every parameter θ (66,353 on MovieLens 100K)
 * is perturbed, under the curvature of the whole training objective L(θ) = (1/N) Σ_all rows (ŷ −
 * r)² + λ Σ_D ½‖W‖² (the decayed set D of §2.3), damped by μ:
 *
 * <pre>
 *   A = (1/N)·C + λ·diag(1_D) + μI,   C = Σ_rows ∇²(ŷ − r)² (exact) or 2 Σ_rows ∇ŷ∇ŷᵀ (Gauss-Newton)
 *   I(z, ŷ_ui) = −(1/N) · (A⁻¹ ∇θŷ_ui)ᵀ g_z,   g_z = 2(ŷ_z − r_z)∇θŷ_z + λθ_D
 * </pre>
 *
 * A is never formed: products with it run in the TensorFlow graph {@link NcfFullScopeGraph} over
 * all training rows (in chunks), for all of a user's K targets in one call per chunk, and the K
 * systems are solved together by {@link io.accent.influence.BlockConjugateGradient} with a
 * block-Jacobi preconditioner: the Gauss-Newton blocks of every user's and every item's embedding
 * rows (2E × 2E, exact for those blocks, since ŷ is piecewise linear in one side's rows) and the
 * Gauss-Newton block of the dense layers (689 × 689 for E = 16), each with its λ and μ. The removal
 * gradients of all of the user's rows come from one session call.
 */
public final class NcfFullScopeEngine implements InfluenceEngine {

    private final NcfModel model;
    private final FullScopeConfig config;
    private final int topK;
    private final NcfFullScopeGraph graph;
    private final Ratings train;
    private final RatingRows byRows;
    private final double lambda;
    private final int n;
    private final int p;
    private final int e;
    private final int users;
    private final int items;
    private final double[] theta;
    private final double[] shift;
    private final List<NcfFullScopeGraph.RowTensors> chunks = new ArrayList<>();
    private final double[] userBlocks;
    private final double[] itemBlocks;
    private final double[] denseBlock;

    /** Opens the engine on a loaded model (the model stays owned by the caller). */
    public NcfFullScopeEngine(
            TrainedModel model, FullScopeConfig config, int topK, int rowsPerCall, int threads) {
        this(NcfModel.of(model), config, topK, rowsPerCall, threads);
    }

    private NcfFullScopeEngine(
            NcfModel model, FullScopeConfig config, int topK, int rowsPerCall, int threads) {
        if (topK < 1 || rowsPerCall < 1) {
            throw new ConfigException(
                    "top-K and rows per call must be positive, got " + topK + ", " + rowsPerCall);
        }
        this.model = model;
        this.config = config;
        this.topK = topK;
        ParameterSet ps = model.parameters();
        for (String name : NcfNetwork.VARIABLES) {
            if (ps.find(name).isEmpty()) {
                throw new ModelException("model graph lacks the expected tensor '" + name + "'");
            }
        }
        try {
            this.lambda = NcfConfig.fromMap(model.metadata().config()).weightDecay();
        } catch (ConfigException ex) {
            throw new ModelException("model metadata: " + ex.getMessage());
        }
        this.train = model.data().train();
        this.n = train.size();
        this.byRows = new RatingRows(train, model.data().users(), model.data().items());
        this.graph = new NcfFullScopeGraph(ps, threads);
        try {
            this.p = graph.parameterCount();
            this.e = graph.embeddingSize();
            this.users = ps.get("P_mlp").rows();
            this.items = ps.get("Q_mlp").rows();
            this.theta = new double[p];
            this.shift = new double[p];
            for (int v = 0; v < NcfNetwork.VARIABLES.size(); v++) {
                String name = NcfNetwork.VARIABLES.get(v);
                float[] data = ps.get(name).data();
                int off = graph.offset(v);
                double s = config.damping() + (NcfNetwork.DECAYED.contains(name) ? lambda : 0);
                for (int k = 0; k < data.length; k++) {
                    theta[off + k] = data[k];
                    shift[off + k] = s;
                }
            }
            for (int start = 0; start < n; start += rowsPerCall) {
                int end = Math.min(n, start + rowsPerCall);
                int[] us = new int[end - start];
                int[] is = new int[end - start];
                double[] rs = new double[end - start];
                for (int r = start; r < end; r++) {
                    us[r - start] = train.user(r);
                    is[r - start] = train.item(r);
                    rs[r - start] = train.rating(r);
                }
                chunks.add(NcfFullScopeGraph.RowTensors.of(us, is, rs));
            }
            int d = 2 * e;
            this.userBlocks = new double[users * d * d];
            this.itemBlocks = new double[items * d * d];
            this.denseBlock = new double[graph.denseCount() * graph.denseCount()];
            buildPreconditioner(rowsPerCall);
        } catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /** The Gauss-Newton blocks of the preconditioner, inverted in place. */
    private void buildPreconditioner(int rowsPerCall) {
        int d = 2 * e;
        int nd = graph.denseCount();
        int step = Math.min(rowsPerCall, 8192);
        for (int start = 0; start < n; start += step) {
            int end = Math.min(n, start + step);
            int[] us = new int[end - start];
            int[] is = new int[end - start];
            for (int r = start; r < end; r++) {
                us[r - start] = train.user(r);
                is[r - start] = train.item(r);
            }
            NcfFullScopeGraph.RowsWithGram rg = graph.rowsWithGram(us, is);
            NcfFullScopeGraph.RowGradients g = rg.rows();
            for (int r = 0; r < us.length; r++) {
                addOuter(userBlocks, us[r] * d * d, g.user(), r * d, d);
                addOuter(itemBlocks, is[r] * d * d, g.item(), r * d, d);
            }
            for (int k = 0; k < nd * nd; k++) {
                denseBlock[k] += 2 * rg.gram()[k];
            }
        }
        double s = lambda + config.damping();
        invertBlocks(userBlocks, users, d, s);
        invertBlocks(itemBlocks, items, d, s);
        int tail = p - nd;
        double[] m = new double[nd * nd];
        for (int k = 0; k < nd * nd; k++) {
            m[k] = denseBlock[k] / n;
        }
        for (int k = 0; k < nd; k++) {
            m[k * nd + k] += shift[tail + k];
        }
        System.arraycopy(BlockInverse.ofPositive(m, nd), 0, denseBlock, 0, nd * nd);
    }

    private static void addOuter(double[] h, int base, double[] g, int off, int d) {
        for (int a = 0; a < d; a++) {
            double ga = 2 * g[off + a];
            if (ga == 0) {
                continue;
            }
            int row = base + a * d;
            for (int b = 0; b < d; b++) {
                h[row + b] += ga * g[off + b];
            }
        }
    }

    /** Replaces each block B by (B/N + sI)⁻¹ (symmetric positive definite for s > 0). */
    private void invertBlocks(double[] blocks, int count, int d, double s) {
        double[] m = new double[d * d];
        for (int b = 0; b < count; b++) {
            int base = b * d * d;
            for (int k = 0; k < d * d; k++) {
                m[k] = blocks[base + k] / n;
            }
            for (int k = 0; k < d; k++) {
                m[k * d + k] += s;
            }
            double[] inv = BlockInverse.ofPositive(m, d);
            System.arraycopy(inv, 0, blocks, base, d * d);
        }
    }

    public FullScopeConfig config() {
        return config;
    }

    /** P, the number of parameters perturbed. */
    public int parameterCount() {
        return p;
    }

    /** The damped curvature A as an operator on blocks of directions (for tests and studies). */
    public BlockOperator curvature() {
        return new BlockOperator() {
            @Override
            public int dimension() {
                return p;
            }

            @Override
            public void apply(double[][] in, double[][] out) {
                int m = in.length;
                double[] block = new double[p * m];
                for (int j = 0; j < m; j++) {
                    double[] col = in[j];
                    for (int k = 0; k < p; k++) {
                        block[k * m + j] = col[k];
                    }
                }
                double[] sum = new double[p * m];
                for (NcfFullScopeGraph.RowTensors c : chunks) {
                    double[] part = graph.curvatureProducts(config.curvature(), c, block, m);
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += part[k];
                    }
                }
                for (int j = 0; j < m; j++) {
                    double[] col = in[j];
                    double[] o = out[j];
                    for (int k = 0; k < p; k++) {
                        o[k] = sum[k * m + j] / n + shift[k] * col[k];
                    }
                }
            }
        };
    }

    /** The block-Jacobi preconditioner M⁻¹. */
    BlockOperator preconditioner() {
        int d = 2 * e;
        int tail = p - graph.denseCount();
        int offPm = graph.offset(0);
        int offQm = graph.offset(1);
        int offPg = graph.offset(2);
        int offQg = graph.offset(3);
        return new BlockOperator() {
            @Override
            public int dimension() {
                return p;
            }

            @Override
            public void apply(double[][] in, double[][] out) {
                double[] x = new double[d];
                for (int j = 0; j < in.length; j++) {
                    double[] v = in[j];
                    double[] o = out[j];
                    for (int u = 0; u < users; u++) {
                        applyBlock(userBlocks, u, offPm, offPg, v, o, x, d);
                    }
                    for (int i = 0; i < items; i++) {
                        applyBlock(itemBlocks, i, offQm, offQg, v, o, x, d);
                    }
                    int nd = p - tail;
                    for (int a = 0; a < nd; a++) {
                        double s = 0;
                        int rb = a * nd;
                        for (int b = 0; b < nd; b++) {
                            s += denseBlock[rb + b] * v[tail + b];
                        }
                        o[tail + a] = s;
                    }
                }
            }
        };
    }

    private void applyBlock(
            double[] blocks,
            int row,
            int offMlp,
            int offGmf,
            double[] v,
            double[] o,
            double[] x,
            int d) {
        System.arraycopy(v, offMlp + row * e, x, 0, e);
        System.arraycopy(v, offGmf + row * e, x, e, e);
        int base = row * d * d;
        for (int a = 0; a < d; a++) {
            double s = 0;
            int rb = base + a * d;
            for (int b = 0; b < d; b++) {
                s += blocks[rb + b] * x[b];
            }
            if (a < e) {
                o[offMlp + row * e + a] = s;
            } else {
                o[offGmf + row * e + a - e] = s;
            }
        }
    }

    @Override
    public List<InfluenceResult> computeUsers(int[] us, Progress progress) {
        UserTargets t = UserTargets.top(model, byRows, us, topK);
        return computeTargets(us, t.items(), t.scores(), progress);
    }

    @Override
    public List<InfluenceResult> computeTargets(
            int[] us, int[][] targets, double[][] scores, Progress progress) {
        return UserTargets.eachUser(
                byRows, us, targets, scores, "influence (full scope)", progress, this::computeOne);
    }

    private InfluenceResult computeOne(int u, int[] targets, double[] scores) {
        int[] zu = byRows.ofUser(u);
        int kk = targets.length;
        int rows = zu.length + kk;
        int[] us = new int[rows];
        int[] is = new int[rows];
        Arrays.fill(us, u);
        for (int z = 0; z < zu.length; z++) {
            is[z] = train.item(zu[z]);
        }
        System.arraycopy(targets, 0, is, zu.length, kk);
        // scores and gradients of the user's rows and of its targets, one call
        NcfFullScopeGraph.RowGradients g = graph.rows(us, is);
        double[][] v = new double[kk][];
        for (int k = 0; k < kk; k++) {
            v[k] = new double[p];
            scatter(g, zu.length + k, u, targets[k], v[k]);
        }
        List<SolveResult> xs = config.solver().solve(curvature(), preconditioner(), v);
        int nd = graph.denseCount();
        int d = 2 * e;
        double[][] inf = new double[kk][zu.length];
        List<TargetSolve> solves = new ArrayList<>(kk);
        for (int k = 0; k < kk; k++) {
            double[] x = xs.get(k).x();
            double reg = 0;
            for (int v2 = 0; v2 < NcfNetwork.VARIABLES.size(); v2++) {
                if (!NcfNetwork.DECAYED.contains(NcfNetwork.VARIABLES.get(v2))) {
                    continue;
                }
                int end = v2 + 1 < NcfNetwork.VARIABLES.size() ? graph.offset(v2 + 1) : p;
                for (int q = graph.offset(v2); q < end; q++) {
                    reg += x[q] * theta[q];
                }
            }
            reg *= lambda;
            for (int z = 0; z < zu.length; z++) {
                double dot = 0;
                int j = is[z];
                for (int c = 0; c < e; c++) {
                    dot += g.user()[z * d + c] * x[graph.offset(0) + u * e + c];
                    dot += g.user()[z * d + e + c] * x[graph.offset(2) + u * e + c];
                    dot += g.item()[z * d + c] * x[graph.offset(1) + j * e + c];
                    dot += g.item()[z * d + e + c] * x[graph.offset(3) + j * e + c];
                }
                int tail = p - nd;
                for (int c = 0; c < nd; c++) {
                    dot += g.dense()[z * nd + c] * x[tail + c];
                }
                double err = g.scores()[z] - train.rating(zu[z]);
                inf[k][z] = -(2 * err * dot + reg) / n;
            }
            SolveResult sr = xs.get(k);
            solves.add(
                    new TargetSolve(
                            targets[k],
                            n,
                            new SolveResult(
                                    new double[0],
                                    sr.iterations(),
                                    sr.residualNorm(),
                                    sr.converged(),
                                    sr.method()),
                            new SolveResult(new double[0], 0, 0, true, "joint")));
        }
        int[] actions = new int[zu.length];
        for (int z = 0; z < zu.length; z++) {
            actions[z] = train.item(zu[z]);
        }
        return new InfluenceResult(new UserInfluence(u, targets, scores, actions, inf), solves);
    }

    /** Writes the sparse gradient of row {@code r} of {@code g}, pair (u, i), into θ-space. */
    private void scatter(NcfFullScopeGraph.RowGradients g, int r, int u, int i, double[] out) {
        int d = 2 * e;
        int nd = graph.denseCount();
        for (int c = 0; c < e; c++) {
            out[graph.offset(0) + u * e + c] += g.user()[r * d + c];
            out[graph.offset(2) + u * e + c] += g.user()[r * d + e + c];
            out[graph.offset(1) + i * e + c] += g.item()[r * d + c];
            out[graph.offset(3) + i * e + c] += g.item()[r * d + e + c];
        }
        System.arraycopy(g.dense(), r * nd, out, p - nd, nd);
    }

    /** The full gradient ∇θŷ of the pair (u, i), P values (for tests). */
    double[] scoreGradient(int u, int i) {
        NcfFullScopeGraph.RowGradients g = graph.rows(new int[] {u}, new int[] {i});
        double[] out = new double[p];
        scatter(g, 0, u, i, out);
        return out;
    }

    /** The scores of (user, item) rows from the float64 graph (for tests). */
    double[] rowScores(int[] us, int[] is) {
        return graph.rows(us, is).scores();
    }

    /** The flat parameter vector θ (for tests). */
    double[] theta() {
        return theta.clone();
    }

    @Override
    public java.util.Optional<float[]> actionRatings(int user) {
        return byRows.ratings(user);
    }

    @Override
    public String diagnostics(InfluenceResult r) {
        return config.diagnostics(p, r);
    }

    @Override
    public void describe(ObjectNode report) {
        config.describe(report, p);
    }

    @Override
    public void close() {
        chunks.forEach(NcfFullScopeGraph.RowTensors::close);
        graph.close();
    }
}
