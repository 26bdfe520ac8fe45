package io.accent.ncf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.DenseMatrix;
import io.accent.influence.HessianVectorProduct;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.LinearSolver;
import io.accent.influence.RatingRows;
import io.accent.influence.SolveResult;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.influence.UserTargets;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FIA influence for NCF (docs/SPEC.md §3), batched. For a user u and each target i of u's top-K,
 * the test parameters are θ = (θ_u, θ_i), θ_u = (P_mlp[u], P_gmf[u]) and θ_i = (Q_mlp[i],
 * Q_gmf[i]); the Hessian is over S = Z_u ∪ Z_i with the 1/n scaling, λI and damping μI.
 *
 * <p>Exact structure used: no training row holds both u and a target i (i is unrated by u), so H is
 * block-diagonal: H = diag((1/n)A_u, (1/n)A_i) + (λ+μ)I with A_u = Σ_{Z_u} ∇²_{θ_u}(ŷ−r)² and A_i =
 * Σ_{Z_i} ∇²_{θ_i}(ŷ−r)². A_u is shared by all of u's targets (only n changes) and A_i by all users
 * that have i among their targets, so each block is assembled once, and every (u, i) system is then
 * solved by the configured solver (CG by default) against that operator. The score is piecewise
 * linear in each side vector, so A_u = 2Σ_{Z_u}∇ŷ∇ŷᵀ exactly (and A_i likewise): the blocks are
 * sums of outer products of the rows' float64 TensorFlow gradients, one gradient pass per row
 * ({@link NcfInfluenceGraph#gaussNewton}; the double-backprop Hessians it replaces are the tests'
 * oracle).
 */
public final class NcfInfluenceEngine implements InfluenceEngine {

    private final NcfModel model;
    private final NcfInfluenceConfig config;
    private final NcfInfluenceGraph graph;
    private final Ratings train;
    private final double lambda;
    private final int d;
    private final double[] userVec;
    private final double[] itemVec;
    private final RatingRows byRows;
    private final Map<Integer, double[]> itemHessians = new HashMap<>();

    /** Opens the engine on a loaded model (the model stays owned by the caller). */
    public NcfInfluenceEngine(TrainedModel model, NcfInfluenceConfig config) {
        this(NcfModel.of(model), config);
    }

    private NcfInfluenceEngine(NcfModel model, NcfInfluenceConfig config) {
        this.model = model;
        this.config = config;
        ParameterSet p = model.parameters();
        for (String n : NcfNetwork.VARIABLES) {
            if (p.find(n).isEmpty()) {
                throw new ModelException(
                        "model graph lacks the expected tensor '"
                                + n
                                + "' (an NCF model has P_mlp, Q_mlp, P_gmf, Q_gmf, W1..W3, b1..b3)");
            }
        }
        try {
            this.lambda = NcfConfig.fromMap(model.metadata().config()).weightDecay();
        } catch (ConfigException e) {
            throw new ModelException("model metadata: " + e.getMessage());
        }
        this.train = model.data().train();
        int e = p.get("P_mlp").rowSize();
        this.d = 2 * e;
        this.userVec = sideVectors(p.get("P_mlp"), p.get("P_gmf"));
        this.itemVec = sideVectors(p.get("Q_mlp"), p.get("Q_gmf"));
        this.byRows = new RatingRows(train, model.data().users(), model.data().items());
        this.graph = new NcfInfluenceGraph(p, config.threads());
    }

    public NcfInfluenceConfig config() {
        return config;
    }

    /** The influences of u's training rows on u's top-K items. */
    @Override
    public InfluenceResult compute(int user) {
        return computeUsers(new int[] {user}, Progress.NONE).get(0);
    }

    /** The influences for many users; the work of a batch shares session calls. */
    @Override
    public List<InfluenceResult> computeUsers(int[] users, Progress progress) {
        UserTargets t = UserTargets.top(model, byRows, users, config.topK());
        return computeTargets(users, t.items(), t.scores(), progress);
    }

    /**
     * The influences of u's training rows on chosen target items, none of which u has rated.
     *
     * @param scores the current scores of the targets (used as {@link UserInfluence#scores()})
     */
    @Override
    public List<InfluenceResult> computeTargets(
            int[] users, int[][] targets, double[][] scores, Progress progress) {
        for (int b = 0; b < users.length; b++) {
            byRows.checkTargets(users[b], targets[b]);
        }
        progress.start("influence", users.length);
        Set<Integer> distinct = new LinkedHashSet<>();
        for (int[] t : targets) {
            for (int i : t) {
                distinct.add(i);
            }
        }
        ensureItemHessians(distinct);
        List<InfluenceResult> out = new ArrayList<>(users.length);
        int start = 0;
        while (start < users.length) {
            int end = start;
            int rows = 0;
            do {
                rows += byRows.ofUser(users[end]).length;
                end++;
            } while (end < users.length
                    && rows + byRows.ofUser(users[end]).length <= config.rowsPerCall());
            out.addAll(
                    chunk(
                            Arrays.copyOfRange(users, start, end),
                            Arrays.copyOfRange(targets, start, end),
                            Arrays.copyOfRange(scores, start, end)));
            progress.step(end - start);
            start = end;
        }
        progress.close();
        return out;
    }

    private List<InfluenceResult> chunk(int[] users, int[][] targets, double[][] scores) {
        // user-block Hessians of the chunk, one session call
        int rows = 0;
        for (int u : users) {
            rows += byRows.ofUser(u).length;
        }
        double[] x = new double[rows * d];
        double[] other = new double[rows * d];
        double[] r = new double[rows];
        int[] slot = new int[rows];
        int at = 0;
        for (int s = 0; s < users.length; s++) {
            for (int row : byRows.ofUser(users[s])) {
                System.arraycopy(userVec, users[s] * d, x, at * d, d);
                System.arraycopy(itemVec, train.item(row) * d, other, at * d, d);
                r[at] = train.rating(row);
                slot[at] = s;
                at++;
            }
        }
        // per-row score gradients of the users' rows and of every (user, target) pair, one call
        int pairs = 0;
        for (int[] t : targets) {
            pairs += t.length;
        }
        double[] pu = new double[(rows + pairs) * d];
        double[] pi = new double[(rows + pairs) * d];
        System.arraycopy(x, 0, pu, 0, rows * d);
        System.arraycopy(other, 0, pi, 0, rows * d);
        at = rows;
        for (int s = 0; s < users.length; s++) {
            for (int i : targets[s]) {
                System.arraycopy(userVec, users[s] * d, pu, at * d, d);
                System.arraycopy(itemVec, i * d, pi, at * d, d);
                at++;
            }
        }
        NcfInfluenceGraph.PairGradients g = graph.pairs(pu, pi, rows + pairs);
        // the user blocks from the rows' gradients (NcfInfluenceGraph#gaussNewton)
        double[] userH = NcfInfluenceGraph.outerSums(g.gradUser(), slot, users.length, d);

        List<InfluenceResult> out = new ArrayList<>(users.length);
        int rowBase = 0;
        int pairBase = rows;
        for (int s = 0; s < users.length; s++) {
            int u = users[s];
            int[] zu = byRows.ofUser(u);
            double[] au = Arrays.copyOfRange(userH, s * d * d, (s + 1) * d * d);
            // train-side user-block gradients without the λθ term: 2(ŷ − r)∇ŷ
            double[][] gz = new double[zu.length][d];
            for (int z = 0; z < zu.length; z++) {
                double err = g.scores()[rowBase + z] - r[rowBase + z];
                for (int k = 0; k < d; k++) {
                    gz[z][k] = 2 * err * g.gradUser()[(rowBase + z) * d + k];
                }
            }
            double[] thetaU = Arrays.copyOfRange(userVec, u * d, (u + 1) * d);
            int kk = targets[s].length;
            double[][] inf = new double[kk][zu.length];
            List<TargetSolve> solves = new ArrayList<>(kk);
            for (int k = 0; k < kk; k++) {
                int i = targets[s][k];
                int n = zu.length + byRows.ofItem(i).length;
                double shift = lambda + config.damping();
                double[] vu =
                        Arrays.copyOfRange(
                                g.gradUser(), (pairBase + k) * d, (pairBase + k + 1) * d);
                double[] vi =
                        Arrays.copyOfRange(
                                g.gradItem(), (pairBase + k) * d, (pairBase + k + 1) * d);
                SolveResult xu =
                        LinearSolver.solveOrFallBack(
                                config.solver(),
                                config.directFallback(),
                                new DenseMatrix(au, d, 1.0 / n, shift),
                                vu);
                SolveResult xi =
                        LinearSolver.solveOrFallBack(
                                config.solver(),
                                config.directFallback(),
                                new DenseMatrix(itemHessians.get(i), d, 1.0 / n, shift),
                                vi);
                solves.add(new TargetSolve(i, n, xu, xi));
                double[] xuv = xu.x();
                double[] xiv = xi.x();
                double[] thetaI = Arrays.copyOfRange(itemVec, i * d, (i + 1) * d);
                // the λθ part of every g_z: identical for all z of this target
                double reg =
                        lambda
                                * (ConjugateGradientSolver.dot(xuv, thetaU)
                                        + ConjugateGradientSolver.dot(xiv, thetaI));
                for (int z = 0; z < zu.length; z++) {
                    inf[k][z] = -(ConjugateGradientSolver.dot(xuv, gz[z]) + reg) / n;
                }
            }
            int[] actions = new int[zu.length];
            for (int z = 0; z < zu.length; z++) {
                actions[z] = train.item(zu[z]);
            }
            out.add(
                    new InfluenceResult(
                            new UserInfluence(u, targets[s], scores[s], actions, inf), solves));
            rowBase += zu.length;
            pairBase += kk;
        }
        return out;
    }

    /**
     * The reference design, for comparison and benchmarks: for each target, one solve of the full
     * 2D-parameter system H_μ x = v whose operator runs one TensorFlow session call per
     * Hessian-vector product over all rows of Z_u ∪ Z_i; no block structure, no batching.
     */
    public InfluenceResult computePerPair(int user) {
        byRows.checkUser(user);
        List<ScoredItem> top = model.recommend(user, config.topK());
        int[] zu = byRows.ofUser(user);
        double[] thetaU = Arrays.copyOfRange(userVec, user * d, (user + 1) * d);
        // train-side gradients of u's rows (one call), as in the batched path
        double[] pu = new double[zu.length * d];
        double[] pi = new double[zu.length * d];
        for (int z = 0; z < zu.length; z++) {
            System.arraycopy(thetaU, 0, pu, z * d, d);
            System.arraycopy(itemVec, train.item(zu[z]) * d, pi, z * d, d);
        }
        NcfInfluenceGraph.PairGradients rows = graph.pairs(pu, pi, zu.length);
        double[][] inf = new double[top.size()][zu.length];
        List<TargetSolve> solves = new ArrayList<>();
        for (int k = 0; k < top.size(); k++) {
            int i = top.get(k).item();
            HessianVectorProduct h = pairOperator(user, i);
            double[] thetaI = Arrays.copyOfRange(itemVec, i * d, (i + 1) * d);
            NcfInfluenceGraph.PairGradients v = graph.pairs(thetaU, thetaI, 1);
            double[] rhs = new double[2 * d];
            System.arraycopy(v.gradUser(), 0, rhs, 0, d);
            System.arraycopy(v.gradItem(), 0, rhs, d, d);
            SolveResult x =
                    LinearSolver.solveOrFallBack(config.solver(), config.directFallback(), h, rhs);
            // one joint system: reported as the user block, with an empty item-block entry
            solves.add(
                    new TargetSolve(
                            i,
                            zu.length + byRows.ofItem(i).length,
                            x,
                            new SolveResult(new double[0], 0, 0, true, "joint")));
            double[] xv = x.x();
            int n = zu.length + byRows.ofItem(i).length;
            double reg = 0;
            for (int c = 0; c < d; c++) {
                reg += lambda * (xv[c] * thetaU[c] + xv[d + c] * thetaI[c]);
            }
            for (int z = 0; z < zu.length; z++) {
                double err = rows.scores()[z] - train.rating(zu[z]);
                double s = reg;
                for (int c = 0; c < d; c++) {
                    s += xv[c] * 2 * err * rows.gradUser()[z * d + c];
                }
                inf[k][z] = -s / n;
            }
        }
        int[] actions = Arrays.stream(zu).map(train::item).toArray();
        return new InfluenceResult(
                new UserInfluence(
                        user,
                        top.stream().mapToInt(ScoredItem::item).toArray(),
                        top.stream().mapToDouble(ScoredItem::score).toArray(),
                        actions,
                        inf),
                solves);
    }

    /**
     * The damped Hessian H_μ = (1/n)Σ_{Z_u ∪ Z_i}∇²(ŷ − r)² + (λ + μ)I of one (u, i) pair over θ =
     * (θ_u, θ_i) as an operator that makes one TensorFlow session call per product.
     */
    public HessianVectorProduct pairOperator(int user, int item) {
        int[] zu = byRows.ofUser(user);
        int[] zi = byRows.ofItem(item);
        double[] itemsOfU = new double[zu.length * d];
        double[] ratingsOfU = new double[zu.length];
        for (int z = 0; z < zu.length; z++) {
            System.arraycopy(itemVec, train.item(zu[z]) * d, itemsOfU, z * d, d);
            ratingsOfU[z] = train.rating(zu[z]);
        }
        double[] usersOfI = new double[zi.length * d];
        double[] ratingsOfI = new double[zi.length];
        for (int z = 0; z < zi.length; z++) {
            System.arraycopy(userVec, train.user(zi[z]) * d, usersOfI, z * d, d);
            ratingsOfI[z] = train.rating(zi[z]);
        }
        NcfInfluenceGraph.PairProblem p =
                new NcfInfluenceGraph.PairProblem(
                        Arrays.copyOfRange(userVec, user * d, (user + 1) * d),
                        Arrays.copyOfRange(itemVec, item * d, (item + 1) * d),
                        itemsOfU,
                        ratingsOfU,
                        usersOfI,
                        ratingsOfI);
        double scale = 1.0 / (zu.length + zi.length);
        double shift = lambda + config.damping();
        return new HessianVectorProduct() {
            @Override
            public int dimension() {
                return 2 * d;
            }

            @Override
            public void apply(double[] v, double[] out) {
                double[] r =
                        graph.hvp(p, Arrays.copyOfRange(v, 0, d), Arrays.copyOfRange(v, d, 2 * d));
                for (int c = 0; c < 2 * d; c++) {
                    out[c] = scale * r[c] + shift * v[c];
                }
            }
        };
    }

    /** Forgets the cached item-block Hessians (they are reused across users otherwise). */
    public void clearCache() {
        itemHessians.clear();
    }

    private void ensureItemHessians(Set<Integer> items) {
        List<Integer> todo = new ArrayList<>();
        for (int i : items) {
            if (!itemHessians.containsKey(i)) {
                todo.add(i);
            }
        }
        int start = 0;
        while (start < todo.size()) {
            int end = start;
            int rows = 0;
            do {
                rows += byRows.ofItem(todo.get(end)).length;
                end++;
            } while (end < todo.size()
                    && rows + byRows.ofItem(todo.get(end)).length <= config.rowsPerCall());
            double[] x = new double[rows * d];
            double[] other = new double[rows * d];
            int[] slot = new int[rows];
            int at = 0;
            for (int s = start; s < end; s++) {
                int i = todo.get(s);
                for (int row : byRows.ofItem(i)) {
                    System.arraycopy(itemVec, i * d, x, at * d, d);
                    System.arraycopy(userVec, train.user(row) * d, other, at * d, d);
                    slot[at] = s - start;
                    at++;
                }
            }
            double[] h =
                    graph.gaussNewton(NcfInfluenceGraph.Side.ITEM, x, other, slot, end - start);
            for (int s = start; s < end; s++) {
                itemHessians.put(
                        todo.get(s),
                        Arrays.copyOfRange(h, (s - start) * d * d, (s - start + 1) * d * d));
            }
            start = end;
        }
    }

    private double[] sideVectors(NamedArray mlp, NamedArray gmf) {
        int n = mlp.rows();
        int e = mlp.rowSize();
        double[] out = new double[n * 2 * e];
        float[] a = mlp.data();
        float[] b = gmf.data();
        for (int row = 0; row < n; row++) {
            for (int k = 0; k < e; k++) {
                out[row * 2 * e + k] = a[row * e + k];
                out[row * 2 * e + e + k] = b[row * e + k];
            }
        }
        return out;
    }

    @Override
    public java.util.Optional<float[]> actionRatings(int user) {
        return byRows.ratings(user);
    }

    @Override
    public String diagnostics(InfluenceResult r) {
        int maxIt = r.solves().stream().mapToInt(TargetSolve::iterations).max().orElse(0);
        double maxRes = r.solves().stream().mapToDouble(TargetSolve::residualNorm).max().orElse(0);
        return String.format(
                "solver %s: %d systems (user and item blocks), at most %d iterations, largest"
                        + " relative residual %.2e, %d direct fallbacks",
                config.solver().name(), 2 * r.solves().size(), maxIt, maxRes, r.fallbacks());
    }

    @Override
    public void close() {
        graph.close();
    }
}
