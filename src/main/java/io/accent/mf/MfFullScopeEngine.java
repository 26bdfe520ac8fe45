package io.accent.mf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.influence.BlockInverse;
import io.accent.influence.BlockOperator;
import io.accent.influence.Curvature;
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
import java.util.Optional;

/**
 * Full-scope influence for MF (docs/SPEC.md §11.3): every trained parameter θ = (P, Q, Bu, Bi) is
 * perturbed (mu is fixed in training and stays fixed), under the curvature of the whole training
 * objective L(θ) = (1/N) Σ_all rows (ŷ − r)² + λ·½(‖P‖² + ‖Q‖²), damped by μ:
 *
 * <pre>
 *   A = (1/N)·C + λ·diag(1_{P,Q}) + μI,
 *   C = 2 Σ_rows ∇ŷ∇ŷᵀ (Gauss-Newton) or C = 2 Σ_rows (∇ŷ∇ŷᵀ + (ŷ − r)∇²ŷ) (exact)
 *   I(z, ŷ_ui) = −(1/N) · (A⁻¹ ∇θŷ_ui)ᵀ g_z,   g_z = 2(ŷ_z − r_z)∇θŷ_z + λθ_{P,Q}
 * </pre>
 *
 * For a row (u, i), ∇ŷ is Q[i] on P[u], P[u] on Q[i] and 1 on Bu[u] and Bi[i]; the only second
 * derivative is the identity coupling P[u] with Q[i]. Products with A are therefore computed in
 * plain float64 from the stored float32 values, one pass over the training rows per conjugate
 * gradient iteration for all of a user's targets. The K systems are solved together by {@link
 * io.accent.influence.BlockConjugateGradient}, preconditioned by the Gauss-Newton blocks of every
 * user's (P[u], Bu[u]) and every item's (Q[i], Bi[i]) ((d + 1) × (d + 1), with their λ and μ).
 */
public final class MfFullScopeEngine implements InfluenceEngine {

    private final MfModel model;
    private final FullScopeConfig config;
    private final int topK;
    private final Ratings train;
    private final RatingRows byRows;
    private final double lambda;
    private final int n;
    private final int d;
    private final int users;
    private final int items;
    private final int p;
    private final int offQ;
    private final int offBu;
    private final int offBi;
    private final double[] theta;
    private final double mu;
    private final int[] rowUser;
    private final int[] rowItem;
    private final double[] residual;
    private final double[] userBlocks;
    private final double[] itemBlocks;

    /** Opens the engine on a loaded model (the model stays owned by the caller). */
    public MfFullScopeEngine(TrainedModel model, FullScopeConfig config, int topK) {
        if (topK < 1) {
            throw new ConfigException("top-K must be positive, got " + topK);
        }
        this.model = MfModel.of(model);
        this.config = config;
        this.topK = topK;
        ParameterSet ps = this.model.parameters();
        for (String name : MfNetwork.VARIABLES) {
            if (ps.find(name).isEmpty()) {
                throw new ModelException(
                        "model lacks the expected tensor '"
                                + name
                                + "' (an MF model has P, Q, Bu, Bi and mu)");
            }
        }
        try {
            this.lambda = MfConfig.fromMap(this.model.metadata().config()).weightDecay();
        } catch (ConfigException e) {
            throw new ModelException("model metadata: " + e.getMessage());
        }
        this.train = this.model.data().train();
        this.n = train.size();
        this.byRows = new RatingRows(train, this.model.data().users(), this.model.data().items());
        this.d = ps.get("P").rowSize();
        this.users = ps.get("P").rows();
        this.items = ps.get("Q").rows();
        this.offQ = users * d;
        this.offBu = offQ + items * d;
        this.offBi = offBu + users;
        this.p = offBi + items;
        this.theta = new double[p];
        copy(ps.get("P").data(), 0);
        copy(ps.get("Q").data(), offQ);
        copy(ps.get("Bu").data(), offBu);
        copy(ps.get("Bi").data(), offBi);
        this.mu = ps.get("mu").data()[0];
        this.rowUser = new int[n];
        this.rowItem = new int[n];
        this.residual = new double[n];
        for (int r = 0; r < n; r++) {
            rowUser[r] = train.user(r);
            rowItem[r] = train.item(r);
            residual[r] = predict(rowUser[r], rowItem[r]) - train.rating(r);
        }
        int m = d + 1;
        this.userBlocks = new double[users * m * m];
        this.itemBlocks = new double[items * m * m];
        double[] x = new double[m];
        for (int r = 0; r < n; r++) {
            side(offQ, rowItem[r], x);
            addOuter(userBlocks, rowUser[r] * m * m, x, m);
            side(0, rowUser[r], x);
            addOuter(itemBlocks, rowItem[r] * m * m, x, m);
        }
        invertBlocks(userBlocks, users, m);
        invertBlocks(itemBlocks, items, m);
    }

    private void copy(float[] from, int off) {
        for (int k = 0; k < from.length; k++) {
            theta[off + k] = from[k];
        }
    }

    /**
     * (table[row], 1) of the factor table at {@code offFactor}: ∇ŷ with respect to the other side.
     */
    private void side(int offFactor, int row, double[] out) {
        System.arraycopy(theta, offFactor + row * d, out, 0, d);
        out[d] = 1;
    }

    private static void addOuter(double[] h, int base, double[] x, int m) {
        for (int a = 0; a < m; a++) {
            double xa = 2 * x[a];
            int row = base + a * m;
            for (int b = 0; b < m; b++) {
                h[row + b] += xa * x[b];
            }
        }
    }

    /** Replaces each block B by (B/N + diag(λ + μ, …, λ + μ, μ))⁻¹. */
    private void invertBlocks(double[] blocks, int count, int m) {
        double[] a = new double[m * m];
        for (int b = 0; b < count; b++) {
            int base = b * m * m;
            for (int k = 0; k < m * m; k++) {
                a[k] = blocks[base + k] / n;
            }
            for (int k = 0; k < m; k++) {
                a[k * m + k] += (k < d ? lambda : 0) + config.damping();
            }
            System.arraycopy(BlockInverse.ofPositive(a, m), 0, blocks, base, m * m);
        }
    }

    public FullScopeConfig config() {
        return config;
    }

    /** P, the number of parameters perturbed: (users + items)·(d + 1). */
    public int parameterCount() {
        return p;
    }

    /** ŷ(u, i) in float64 from the stored values. */
    double predict(int u, int i) {
        double s = theta[offBu + u] + theta[offBi + i] + mu;
        for (int k = 0; k < d; k++) {
            s += theta[u * d + k] * theta[offQ + i * d + k];
        }
        return s;
    }

    /** The gradient ∇θŷ of the pair (u, i), P values (for tests). */
    double[] scoreGradient(int u, int i) {
        double[] g = new double[p];
        System.arraycopy(theta, offQ + i * d, g, u * d, d);
        System.arraycopy(theta, u * d, g, offQ + i * d, d);
        g[offBu + u] = 1;
        g[offBi + i] = 1;
        return g;
    }

    /** The flat parameter vector θ = (P, Q, Bu, Bi) (for tests). */
    double[] theta() {
        return theta.clone();
    }

    /** λ on P and Q plus μ, per parameter (the diagonal added to C/N). */
    double shift(int k) {
        return (k < offBu ? lambda : 0) + config.damping();
    }

    /** The damped curvature A as an operator on blocks of directions (for tests and studies). */
    public BlockOperator curvature() {
        boolean exact = config.curvature() == Curvature.EXACT;
        return new BlockOperator() {
            @Override
            public int dimension() {
                return p;
            }

            @Override
            public void apply(double[][] in, double[][] out) {
                for (int j = 0; j < in.length; j++) {
                    double[] v = in[j];
                    double[] o = out[j];
                    Arrays.fill(o, 0);
                    for (int r = 0; r < n; r++) {
                        int pu = rowUser[r] * d;
                        int qi = offQ + rowItem[r] * d;
                        int bu = offBu + rowUser[r];
                        int bi = offBi + rowItem[r];
                        double gv = v[bu] + v[bi];
                        for (int k = 0; k < d; k++) {
                            gv += theta[qi + k] * v[pu + k] + theta[pu + k] * v[qi + k];
                        }
                        double c = 2 * gv;
                        for (int k = 0; k < d; k++) {
                            o[pu + k] += c * theta[qi + k];
                            o[qi + k] += c * theta[pu + k];
                        }
                        o[bu] += c;
                        o[bi] += c;
                        if (exact) {
                            double e = 2 * residual[r];
                            for (int k = 0; k < d; k++) {
                                o[pu + k] += e * v[qi + k];
                                o[qi + k] += e * v[pu + k];
                            }
                        }
                    }
                    for (int k = 0; k < p; k++) {
                        o[k] = o[k] / n + shift(k) * v[k];
                    }
                }
            }
        };
    }

    /** The block-Jacobi preconditioner M⁻¹. */
    BlockOperator preconditioner() {
        int m = d + 1;
        return new BlockOperator() {
            @Override
            public int dimension() {
                return p;
            }

            @Override
            public void apply(double[][] in, double[][] out) {
                double[] x = new double[m];
                for (int j = 0; j < in.length; j++) {
                    for (int u = 0; u < users; u++) {
                        applyBlock(userBlocks, u, 0, offBu, in[j], out[j], x);
                    }
                    for (int i = 0; i < items; i++) {
                        applyBlock(itemBlocks, i, offQ, offBi, in[j], out[j], x);
                    }
                }
            }
        };
    }

    private void applyBlock(
            double[] blocks,
            int row,
            int offFactor,
            int offBias,
            double[] v,
            double[] o,
            double[] x) {
        int m = d + 1;
        System.arraycopy(v, offFactor + row * d, x, 0, d);
        x[d] = v[offBias + row];
        int base = row * m * m;
        for (int a = 0; a < m; a++) {
            double s = 0;
            int rb = base + a * m;
            for (int b = 0; b < m; b++) {
                s += blocks[rb + b] * x[b];
            }
            if (a < d) {
                o[offFactor + row * d + a] = s;
            } else {
                o[offBias + row] = s;
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
        double[][] v = new double[kk][];
        for (int k = 0; k < kk; k++) {
            v[k] = scoreGradient(u, targets[k]);
        }
        List<SolveResult> xs = config.solver().solve(curvature(), preconditioner(), v);
        double[][] inf = new double[kk][zu.length];
        List<TargetSolve> solves = new ArrayList<>(kk);
        for (int k = 0; k < kk; k++) {
            double[] x = xs.get(k).x();
            double reg = 0;
            for (int q = 0; q < offBu; q++) {
                reg += x[q] * theta[q];
            }
            reg *= lambda;
            for (int z = 0; z < zu.length; z++) {
                int j = rowItem[zu[z]];
                double dot = x[offBu + u] + x[offBi + j];
                for (int c = 0; c < d; c++) {
                    dot += theta[offQ + j * d + c] * x[u * d + c];
                    dot += theta[u * d + c] * x[offQ + j * d + c];
                }
                inf[k][z] = -(2 * residual[zu[z]] * dot + reg) / n;
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
            actions[z] = rowItem[zu[z]];
        }
        return new InfluenceResult(new UserInfluence(u, targets, scores, actions, inf), solves);
    }

    @Override
    public Optional<float[]> actionRatings(int user) {
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
    public void close() {}
}
