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
import io.accent.influence.UserTargets;
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
 * Bi[i]), 2d + 2 numbers, or θ_u = P[u] and θ_i = Q[i] (2d numbers) when the configuration leaves
 * the offsets out ({@link MfInfluenceConfig#biases()}, a model without offsets such as Spark's
 * ALS); the Hessian is over S = Z_u ∪ Z_i with the 1/n scaling, the L2 term on the factor
 * coordinates (the biases are not decayed) and the damping μ on every coordinate.
 *
 * <p>The Hessian is exact and in closed form, in float64 from the stored float32 values. ŷ is
 * linear in θ_u for a fixed item and in θ_i for a fixed user, and no row of S holds both u and i (i
 * is not rated by u), so the only second derivative of ŷ, the identity coupling P[u] with Q[i],
 * never appears: H is block-diagonal with the user block (1/n)A_u + D_u and the item block (1/n)A_i
 * + D_i, where A_u = Σ_{(u,j)∈Z_u} 2(Q[j], 1)(Q[j], 1)ᵀ and A_i = Σ_{(v,i)∈Z_i} 2(P[v], 1)(P[v],
 * 1)ᵀ (without the 1s when the offsets are left out). With the uniform L2 term (MF) D_u = D_i =
 * diag(λ + μ, …, λ + μ, μ); with the row-weighted one (ALS-WR, {@link
 * MfInfluenceConfig.Regularization#RATING_COUNT}) every row (v, j) carries λ(‖P[v]‖² + ‖Q[j]‖²), so
 * the rows of S add 2λn_u/n to the user block's factor diagonal and 2λn_i/n to the item block's
 * (n_u = |Z_u|, n_i = |Z_i|), and a row of u has the L2 gradient 2λP[u], on the user block only.
 * A_u serves all of u's targets and A_i all users with i in their top list. Each block system is
 * solved by the configured solver (CG by default), with a dense fallback.
 */
public final class MfInfluenceEngine implements InfluenceEngine {

    private final MfModel model;
    private final MfInfluenceConfig config;
    private final Ratings train;
    private final double lambda;
    private final boolean rowWeighted;
    private final int d;
    private final int m;
    private final double[] p;
    private final double[] q;
    private final double[] bu;
    private final double[] bi;
    private final double mu;
    private final RatingRows byRows;
    private final Map<Integer, double[]> itemGrams = new HashMap<>();

    /**
     * Opens the engine on a loaded MF model (the model stays owned by the caller), with λ from the
     * model's MF hyperparameters ({@code weight_decay}).
     */
    public MfInfluenceEngine(TrainedModel model, MfInfluenceConfig config) {
        this(model, config, weightDecay(model));
    }

    /**
     * Opens the engine on a loaded model of the MF layout (P, Q, Bu, Bi, mu) with the L2 factor λ
     * given: a family that stores MF's variables under hyperparameters of its own (Spark's ALS, λ =
     * regParam) passes its λ here.
     */
    public MfInfluenceEngine(TrainedModel model, MfInfluenceConfig config, double lambda) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new ModelException("L2 factor λ must be >= 0, got " + lambda);
        }
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
        this.lambda = lambda;
        this.rowWeighted = config.regularization() == MfInfluenceConfig.Regularization.RATING_COUNT;
        this.train = this.model.data().train();
        this.d = ps.get("P").rowSize();
        this.m = config.biases() ? d + 1 : d;
        this.p = doubles(ps.get("P").data());
        this.q = doubles(ps.get("Q").data());
        this.bu = doubles(ps.get("Bu").data());
        this.bi = doubles(ps.get("Bi").data());
        this.mu = ps.get("mu").data()[0];
        this.byRows = new RatingRows(train, this.model.data().users(), this.model.data().items());
    }

    private static double weightDecay(TrainedModel model) {
        try {
            return MfConfig.fromMap(model.metadata().config()).weightDecay();
        } catch (ConfigException e) {
            throw new ModelException("model metadata: " + e.getMessage());
        }
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
        UserTargets t = UserTargets.top(model, byRows, users, config.topK());
        return computeTargets(users, t.items(), t.scores(), progress);
    }

    @Override
    public List<InfluenceResult> computeTargets(
            int[] users, int[][] targets, double[][] scores, Progress progress) {
        return UserTargets.eachUser(
                byRows, users, targets, scores, "influence", progress, this::one);
    }

    private InfluenceResult one(int u, int[] targets, double[] scores) {
        int[] zu = byRows.ofUser(u);
        double[] au = userGram(u);
        // train-side user-block gradients without the L2 term: 2(ŷ − r)(Q[j], 1)
        double[][] gz = new double[zu.length][m];
        for (int z = 0; z < zu.length; z++) {
            int j = train.item(zu[z]);
            double err = 2 * (predict(u, j) - train.rating(zu[z]));
            for (int k = 0; k < d; k++) {
                gz[z][k] = err * q[j * d + k];
            }
            if (m > d) {
                gz[z][d] = err;
            }
        }
        double[][] inf = new double[targets.length][zu.length];
        List<TargetSolve> solves = new ArrayList<>(targets.length);
        for (int k = 0; k < targets.length; k++) {
            int i = targets[k];
            int ni = byRows.ofItem(i).length;
            int n = zu.length + ni;
            SolveResult xu =
                    LinearSolver.solveOrFallBack(
                            config.solver(),
                            config.directFallback(),
                            block(au, n, zu.length),
                            side(q, i));
            SolveResult xi =
                    LinearSolver.solveOrFallBack(
                            config.solver(),
                            config.directFallback(),
                            block(itemGram(i), n, ni),
                            side(p, u));
            solves.add(new TargetSolve(i, n, xu, xi));
            double[] xuv = xu.x();
            double[] xiv = xi.x();
            // the L2 part of every g_z (factor coordinates only), the same for all z: λ(P[u],
            // Q[i]) for the uniform term, 2λ(P[u], 0) for the row-weighted one (row (u, j)
            // penalizes P[u] and Q[j], and Q[j] is not a test parameter)
            double reg = 0;
            for (int c = 0; c < d; c++) {
                reg +=
                        rowWeighted
                                ? 2 * lambda * xuv[c] * p[u * d + c]
                                : lambda * (xuv[c] * p[u * d + c] + xiv[c] * q[i * d + c]);
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

    /**
     * (table[row], 1), or table[row] without offsets: the gradient of ŷ with respect to the other
     * side's block.
     */
    private double[] side(double[] table, int row) {
        double[] v = new double[m];
        System.arraycopy(table, row * d, v, 0, d);
        if (m > d) {
            v[d] = 1;
        }
        return v;
    }

    /** The size of each block: d + 1 with the offsets, d without. */
    public int blockSize() {
        return m;
    }

    /** A_u = Σ_{Z_u} 2(Q[j], 1)(Q[j], 1)ᵀ, row-major m×m (m = {@link #blockSize()}). */
    public double[] userGram(int u) {
        double[] a = new double[m * m];
        for (int r : byRows.ofUser(u)) {
            addOuter(a, side(q, train.item(r)));
        }
        return a;
    }

    /** A_i = Σ_{Z_i} 2(P[v], 1)(P[v], 1)ᵀ, row-major m×m; cached. */
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

    /**
     * The damped block (1/n)A + diag(s + μ, …, s + μ, μ) as an operator, where s is the L2 term's
     * curvature on a factor coordinate: λ (uniform) or 2λ·rows/n (row-weighted).
     *
     * @param a the block's Gram sum A
     * @param n |S| = |Z_u| + |Z_i|
     * @param rows the rows of S that penalize this block's factor: |Z_u| for the user block, |Z_i|
     *     for the item block
     */
    public HessianVectorProduct block(double[] a, int n, int rows) {
        double scale = 1.0 / n;
        double factorShift = (rowWeighted ? 2 * lambda * rows / n : lambda) + config.damping();
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
     * in this order), or (P[u], Q[i]) without offsets: the user block and the item block side by
     * side.
     */
    public HessianVectorProduct pairOperator(int user, int item) {
        int nu = byRows.ofUser(user).length;
        int ni = byRows.ofItem(item).length;
        int n = nu + ni;
        HessianVectorProduct hu = block(userGram(user), n, nu);
        HessianVectorProduct hi = block(itemGram(item), n, ni);
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
                "solver %s: %d systems (user and item blocks of %d, %s L2), at most %d"
                        + " iterations, largest relative residual %.2e, %d direct fallbacks",
                config.solver().name(),
                2 * r.solves().size(),
                m,
                config.regularization().label(),
                maxIt,
                maxRes,
                r.fallbacks());
    }

    @Override
    public void close() {}
}
