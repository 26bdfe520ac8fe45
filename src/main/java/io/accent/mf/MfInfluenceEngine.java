package io.accent.mf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.HessianVectorProduct;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.LinearSolver;
import io.accent.influence.RatingRows;
import io.accent.influence.SolveResult;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FIA influence for MF (docs/SPEC.md §11.1, with the definitions of §3). For a user u and a target
 * i of u's top-K, the test parameters are θ = (θ_u, θ_i) with θ_u = (P[u], Bu[u]) and θ_i = (Q[i],
 * Bi[i]), 2d + 2 numbers; the Hessian is over S = Z_u ∪ Z_i with the 1/n scaling, the L2 term λ on
 * the factor coordinates (the biases are not decayed) and the damping μ on every coordinate.
 *
 * <p>The Hessian is exact and in closed form, in float64 from the stored float32 values. ŷ is
 * linear in θ_u for a fixed item and in θ_i for a fixed user, and no row of S holds both u and i (i
 * is not rated by u), so the only second derivative of ŷ, the identity coupling P[u] with Q[i],
 * never appears: H is block-diagonal with the user block (1/n)A_u + D and the item block (1/n)A_i +
 * D, where A_u = Σ_{(u,j)∈Z_u} 2(Q[j], 1)(Q[j], 1)ᵀ, A_i = Σ_{(v,i)∈Z_i} 2(P[v], 1)(P[v], 1)ᵀ and D
 * = diag(λ + μ, …, λ + μ, μ). A_u serves all of u's targets and A_i all users with i in their top
 * list. Each block system is solved by the configured solver (CG by default), with a dense
 * fallback.
 */
public final class MfInfluenceEngine implements InfluenceEngine {

    private final MfModel model;
    private final MfInfluenceConfig config;
    private final Ratings train;
    private final double lambda;
    private final int d;
    private final int m;
    private final double[] p;
    private final double[] q;
    private final double[] bu;
    private final double[] bi;
    private final double mu;
    private final RatingRows byRows;
    private final Map<Integer, double[]> itemGrams = new HashMap<>();

    /** Opens the engine on a loaded model (the model stays owned by the caller). */
    public MfInfluenceEngine(TrainedModel model, MfInfluenceConfig config) {
        this.model = MfModel.of(model);
        this.config = config;
        ParameterSet ps = this.model.parameters();
        for (String n : MfNetwork.VARIABLES) {
            if (ps.find(n).isEmpty()) {
                throw new ModelException(
                        "model lacks the expected tensor '"
                                + n
                                + "' (an MF model has P, Q, Bu, Bi and mu)");
            }
        }
        try {
            this.lambda = MfConfig.fromMap(this.model.metadata().config()).weightDecay();
        } catch (ConfigException e) {
            throw new ModelException("model metadata: " + e.getMessage());
        }
        this.train = this.model.data().train();
        this.d = ps.get("P").rowSize();
        this.m = d + 1;
        this.p = doubles(ps.get("P").data());
        this.q = doubles(ps.get("Q").data());
        this.bu = doubles(ps.get("Bu").data());
        this.bi = doubles(ps.get("Bi").data());
        this.mu = ps.get("mu").data()[0];
        this.byRows = new RatingRows(train, this.model.data().users(), this.model.data().items());
    }

    public MfInfluenceConfig config() {
        return config;
    }

    /** ŷ(u, i) in float64 from the stored values. */
    public double predict(int u, int i) {
        double s = bu[u] + bi[i] + mu;
        for (int k = 0; k < d; k++) {
            s += p[u * d + k] * q[i * d + k];
        }
        return s;
    }

    @Override
    public List<InfluenceResult> computeUsers(int[] users, Progress progress) {
        int[][] targets = new int[users.length][];
        double[][] scores = new double[users.length][];
        for (int b = 0; b < users.length; b++) {
            byRows.checkUser(users[b]);
            List<ScoredItem> top = model.recommend(users[b], config.topK());
            targets[b] = top.stream().mapToInt(ScoredItem::item).toArray();
            scores[b] = top.stream().mapToDouble(ScoredItem::score).toArray();
        }
        return computeTargets(users, targets, scores, progress);
    }

    @Override
    public List<InfluenceResult> computeTargets(
            int[] users, int[][] targets, double[][] scores, Progress progress) {
        for (int b = 0; b < users.length; b++) {
            byRows.checkTargets(users[b], targets[b]);
        }
        progress.start("influence", users.length);
        List<InfluenceResult> out = new ArrayList<>(users.length);
        for (int b = 0; b < users.length; b++) {
            out.add(one(users[b], targets[b], scores[b]));
            progress.step(1);
        }
        progress.close();
        return out;
    }

    private InfluenceResult one(int u, int[] targets, double[] scores) {
        int[] zu = byRows.ofUser(u);
        double[] au = userGram(u);
        // train-side user-block gradients without the λθ term: 2(ŷ − r)(Q[j], 1)
        double[][] gz = new double[zu.length][m];
        for (int z = 0; z < zu.length; z++) {
            int j = train.item(zu[z]);
            double err = 2 * (predict(u, j) - train.rating(zu[z]));
            for (int k = 0; k < d; k++) {
                gz[z][k] = err * q[j * d + k];
            }
            gz[z][d] = err;
        }
        double[][] inf = new double[targets.length][zu.length];
        List<TargetSolve> solves = new ArrayList<>(targets.length);
        for (int k = 0; k < targets.length; k++) {
            int i = targets[k];
            int n = zu.length + byRows.ofItem(i).length;
            SolveResult xu =
                    LinearSolver.solveOrFallBack(
                            config.solver(), config.directFallback(), block(au, n), side(q, i));
            SolveResult xi =
                    LinearSolver.solveOrFallBack(
                            config.solver(),
                            config.directFallback(),
                            block(itemGram(i), n),
                            side(p, u));
            solves.add(new TargetSolve(i, n, xu, xi));
            double[] xuv = xu.x();
            double[] xiv = xi.x();
            // the λθ part of every g_z (factor coordinates only), the same for all z
            double reg = 0;
            for (int c = 0; c < d; c++) {
                reg += lambda * (xuv[c] * p[u * d + c] + xiv[c] * q[i * d + c]);
            }
            for (int z = 0; z < zu.length; z++) {
                inf[k][z] = -(ConjugateGradientSolver.dot(xuv, gz[z]) + reg) / n;
            }
        }
        int[] actions = new int[zu.length];
        for (int z = 0; z < zu.length; z++) {
            actions[z] = train.item(zu[z]);
        }
        return new InfluenceResult(new UserInfluence(u, targets, scores, actions, inf), solves);
    }

    /** (table[row], 1): the gradient of ŷ with respect to the other side's block. */
    private double[] side(double[] table, int row) {
        double[] v = new double[m];
        System.arraycopy(table, row * d, v, 0, d);
        v[d] = 1;
        return v;
    }

    /** A_u = Σ_{Z_u} 2(Q[j], 1)(Q[j], 1)ᵀ, row-major (d+1)×(d+1). */
    public double[] userGram(int u) {
        double[] a = new double[m * m];
        for (int r : byRows.ofUser(u)) {
            addOuter(a, side(q, train.item(r)));
        }
        return a;
    }

    /** A_i = Σ_{Z_i} 2(P[v], 1)(P[v], 1)ᵀ, row-major (d+1)×(d+1); cached. */
    public double[] itemGram(int i) {
        return itemGrams.computeIfAbsent(
                i,
                key -> {
                    double[] a = new double[m * m];
                    for (int r : byRows.ofItem(key)) {
                        addOuter(a, side(p, train.user(r)));
                    }
                    return a;
                });
    }

    private void addOuter(double[] a, double[] x) {
        for (int r = 0; r < m; r++) {
            double xr = 2 * x[r];
            for (int c = 0; c < m; c++) {
                a[r * m + c] += xr * x[c];
            }
        }
    }

    /** The damped block (1/n)A + diag(λ + μ, …, λ + μ, μ) as an operator. */
    public HessianVectorProduct block(double[] a, int n) {
        double scale = 1.0 / n;
        double factorShift = lambda + config.damping();
        double biasShift = config.damping();
        return new HessianVectorProduct() {
            @Override
            public int dimension() {
                return m;
            }

            @Override
            public void apply(double[] v, double[] out) {
                for (int r = 0; r < m; r++) {
                    double s = 0;
                    for (int c = 0; c < m; c++) {
                        s += a[r * m + c] * v[c];
                    }
                    out[r] = scale * s + (r < d ? factorShift : biasShift) * v[r];
                }
            }
        };
    }

    /**
     * The damped Hessian H_μ of one (u, i) pair over θ = (P[u], Bu[u], Q[i], Bi[i]) (2d + 2 values,
     * in this order): the user block and the item block side by side.
     */
    public HessianVectorProduct pairOperator(int user, int item) {
        int n = byRows.ofUser(user).length + byRows.ofItem(item).length;
        HessianVectorProduct hu = block(userGram(user), n);
        HessianVectorProduct hi = block(itemGram(item), n);
        return new HessianVectorProduct() {
            @Override
            public int dimension() {
                return 2 * m;
            }

            @Override
            public void apply(double[] v, double[] out) {
                double[] a = new double[m];
                double[] b = new double[m];
                hu.apply(Arrays.copyOfRange(v, 0, m), a);
                hi.apply(Arrays.copyOfRange(v, m, 2 * m), b);
                System.arraycopy(a, 0, out, 0, m);
                System.arraycopy(b, 0, out, m, m);
            }
        };
    }

    private static double[] doubles(float[] a) {
        double[] out = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = a[k];
        }
        return out;
    }

    @Override
    public Optional<float[]> actionRatings(int user) {
        return byRows.ratings(user);
    }

    @Override
    public String diagnostics(InfluenceResult r) {
        int maxIt = r.solves().stream().mapToInt(TargetSolve::iterations).max().orElse(0);
        double maxRes = r.solves().stream().mapToDouble(TargetSolve::residualNorm).max().orElse(0);
        return String.format(
                "solver %s: %d systems (user and item blocks of %d), at most %d iterations,"
                        + " largest relative residual %.2e, %d direct fallbacks",
                config.solver().name(), 2 * r.solves().size(), m, maxIt, maxRes, r.fallbacks());
    }

    @Override
    public void close() {}
}
