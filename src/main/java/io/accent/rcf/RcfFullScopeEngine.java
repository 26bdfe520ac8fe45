package io.accent.rcf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.Progress;
import io.accent.data.Triples;
import io.accent.influence.BlockOperator;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.RemovalScores;
import io.accent.influence.SolveResult;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RCF influence with the wider scope of docs/SPEC.md §11.3 ({@code --scope full}): removing a
 * positive p of user u moves θ_u = (e_u, the relation-type embeddings R, and the value embeddings
 * V_t[v] of every attribute value in the lists of u's training triples), not e_u alone. Everything
 * else follows §5 with θ_u in place of e_u:
 *
 * <ul>
 *   <li>C_p = Σ_{T_u} ∇²_θ ℓ (or its Gauss-Newton part) with every list built without p: one
 *       curvature matrix per removal, never formed; its products come from TensorFlow ({@link
 *       RcfFullScopeGraph}), all removals of a user batched into few session calls;
 *   <li>g_p = ∇_θ ℓ(z_p), lists without p;
 *   <li>Δ_p = (C_p + μ·n_u·I)⁻¹ g_p by conjugate gradients, one column per removal in lockstep
 *       ({@link io.accent.influence.BlockConjugateGradient}): μ is the damping of the mean
 *       curvature, as §5's 0.01 (there the mean Hessian (1/n_u)Σ is damped and Δ divided by n_u);
 *   <li>I(z_p, ŷ(u,i)) = ŷ(u,i; θ_u, N_u) − ŷ(u,i; θ_u + Δ_p, N_u ∖ {p}), a real forward pass.
 * </ul>
 *
 * <p>The curvature is that of u's own triples, as in §5: R and the value embeddings are shared with
 * other users, whose triples (and the relational loss) curve them too but are left out, as §5
 * leaves them out for e_u's neighbours. A solve that reaches the iteration cap or meets
 * non-positive curvature is an error (exit 5), never a silent estimate. Targets, base scores and
 * the attention baselines' forward passes are those of the embeddings-scope engine.
 */
public final class RcfFullScopeEngine implements InfluenceEngine {

    /** List entries per session call of curvature products (bounds a call's memory). */
    static final int ENTRIES_PER_CALL = 400_000;

    private final TrainedModel model;
    private final RcfData data;
    private final FullScopeConfig config;
    private final RcfInfluenceEngine base;
    private final RcfFullScopeGraph graph;
    private final int h;
    private final int types;
    private final float[] userTable;
    private final float[] relations;
    private final float[][] valueTables;
    private final Map<Integer, String> lastSolve = new ConcurrentHashMap<>();

    public RcfFullScopeEngine(TrainedModel model, FullScopeConfig config, int topK, int threads) {
        this.base =
                new RcfInfluenceEngine(
                        model, RcfInfluenceConfig.defaults().withThreads(threads).withTopK(topK));
        try {
            this.model = model;
            this.data = ((RcfModel) model).rcfData();
            this.config = config;
            RcfConfig rc = RcfConfig.fromMap(model.metadata().config());
            var params = model.parameters();
            this.graph =
                    new RcfFullScopeGraph(params, data.sizes().variables(), rc.alpha(), threads);
            this.h = graph.hidden();
            this.types = graph.types();
            this.userTable = params.get("e_user").data();
            this.relations = params.get("R").data();
            this.valueTables = new float[types][];
            for (int t = 1; t < types; t++) {
                valueTables[t] = params.get("V" + t).data();
            }
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    @Override
    public List<InfluenceResult> computeUsers(int[] users, Progress progress) {
        for (int u : users) {
            base.checkUser(u);
        }
        progress.start("influence", users.length);
        List<InfluenceResult> out = new ArrayList<>(users.length);
        for (int u : users) {
            out.add(computeOne(u, base.topTargets(u), null));
            progress.step(1);
        }
        progress.close();
        return out;
    }

    @Override
    public List<InfluenceResult> computeTargets(
            int[] users, int[][] targets, double[][] scores, Progress progress) {
        for (int b = 0; b < users.length; b++) {
            base.checkUser(users[b]);
            base.checkTargets(users[b], targets[b]);
        }
        progress.start("influence", users.length);
        List<InfluenceResult> out = new ArrayList<>(users.length);
        for (int b = 0; b < users.length; b++) {
            out.add(computeOne(users[b], targets[b], scores[b]));
            progress.step(1);
        }
        progress.close();
        return out;
    }

    @Override
    public Optional<RemovalScores> removal(UserInfluence in) {
        return base.removal(in);
    }

    /** The number of parameters in θ_u for {@code user}. */
    int dimension(int user) {
        return new Layout(user, new int[0]).dimension;
    }

    private InfluenceResult computeOne(int u, int[] targets, double[] scores) {
        Layout l = new Layout(u, targets);
        int n = l.n;
        double[][] grads = gradients(l);
        Operator op = new Operator(l);
        List<SolveResult> solves =
                config.solver().solve(op, BlockOperator.identity(l.dimension), grads);
        double[][] shifted = new double[n + 1][];
        shifted[0] = l.theta;
        int maxIt = 0;
        double maxRes = 0;
        for (int p = 0; p < n; p++) {
            double[] x = solves.get(p).x();
            double[] s = l.theta.clone();
            for (int c = 0; c < s.length; c++) {
                s[c] += x[c];
            }
            shifted[p + 1] = s;
            maxIt = Math.max(maxIt, solves.get(p).iterations());
            maxRes = Math.max(maxRes, solves.get(p).residualNorm());
        }
        double[] y = newScores(l, targets, shifted);
        int kk = targets.length;
        double[][] inf = new double[kk][n];
        for (int k = 0; k < kk; k++) {
            for (int p = 0; p < n; p++) {
                inf[k][p] = y[k] - y[(p + 1) * kk + k];
            }
        }
        lastSolve.put(
                u,
                String.format(
                        "scope full: %d parameters (e_u, R, %d value embeddings), %s curvature,"
                                + " damping %.1e (mean curvature); CG with %d right-hand sides,"
                                + " at most %d iterations, largest relative residual %.2e",
                        l.dimension,
                        (l.dimension - h - types * h) / h,
                        config.curvature().label(),
                        config.damping(),
                        n,
                        maxIt,
                        maxRes));
        double[] base0 = scores != null ? scores : Arrays.copyOf(y, kk);
        return new InfluenceResult(new UserInfluence(u, targets, base0, l.actions, inf), List.of());
    }

    /** g_p = ∇_θ ℓ(z_p) with the lists without p, for every p: one slot per removal. */
    double[][] gradients(Layout l) {
        int n = l.n;
        double[][] out = new double[n][];
        for (int from = 0; from < n; ) {
            CallBuilder b = new CallBuilder(l);
            int to = from;
            while (to < n && (to == from || b.entries < ENTRIES_PER_CALL)) {
                int s = b.slot(l.theta);
                int z = l.triples[to];
                int pr = b.row(s, l.rowOf(data.train().positive(z)), to);
                int nr = b.row(s, l.rowOf(data.train().negative(z)), to);
                b.pair(pr, nr);
                to++;
            }
            double[] g = graph.gradients(b.build(null));
            for (int p = from; p < to; p++) {
                out[p] =
                        Arrays.copyOfRange(
                                g, (p - from) * l.dimension, (p - from + 1) * l.dimension);
            }
            from = to;
        }
        return out;
    }

    /** The layout of θ_u for {@code user} with lists for {@code targets} (tests' oracles). */
    Layout layout(int user, int[] targets) {
        return new Layout(user, targets);
    }

    /**
     * ŷ of the rows of u's triples at {@code theta} with the lists without action {@code removed}
     * (−1: none): [2z] the positive's, [2z + 1] the negative's, in train order.
     */
    double[] tripleScores(Layout l, int removed, double[] theta) {
        CallBuilder b = new CallBuilder(l);
        int s = b.slot(theta);
        for (int z : l.triples) {
            b.row(s, l.rowOf(data.train().positive(z)), removed);
            b.row(s, l.rowOf(data.train().negative(z)), removed);
        }
        return graph.scores(b.build(null));
    }

    /** ŷ of {@code targets} at {@code theta} with the lists without {@code removed} (−1: none). */
    double[] targetScores(Layout l, int removed, double[] theta, int[] targets) {
        CallBuilder b = new CallBuilder(l);
        int s = b.slot(theta);
        for (int t : targets) {
            b.row(s, l.rowOf(t), removed);
        }
        return graph.scores(b.build(null));
    }

    /** ∇_θ Σ_{T_u} ℓ at {@code theta} with the lists without {@code removed} (−1: none). */
    double[] sumGradient(Layout l, int removed, double[] theta) {
        CallBuilder b = new CallBuilder(l);
        int s = b.slot(theta);
        for (int z : l.triples) {
            int pr = b.row(s, l.rowOf(data.train().positive(z)), removed);
            int nr = b.row(s, l.rowOf(data.train().negative(z)), removed);
            b.pair(pr, nr);
        }
        return graph.gradients(b.build(null));
    }

    /** (C_p + μ·n_u·I) v, the damped curvature of removal {@code p} times {@code v}. */
    double[] product(Layout l, int p, double[] v) {
        double[][] out = new double[1][l.dimension];
        new Operator(l).apply(new int[] {p}, new double[][] {v}, out);
        return out[0];
    }

    /**
     * ŷ of every target: slot 0 with θ_u and full lists, slot p + 1 with shifted[p + 1] and no p.
     */
    private double[] newScores(Layout l, int[] targets, double[][] shifted) {
        int kk = targets.length;
        double[] y = new double[shifted.length * kk];
        for (int from = 0; from < shifted.length; ) {
            CallBuilder b = new CallBuilder(l);
            int to = from;
            while (to < shifted.length && (to == from || b.entries < ENTRIES_PER_CALL)) {
                int s = b.slot(shifted[to]);
                for (int t : targets) {
                    b.row(s, l.rowOf(t), to - 1);
                }
                to++;
            }
            double[] part = graph.scores(b.build(null));
            System.arraycopy(part, 0, y, from * kk, part.length);
            from = to;
        }
        return y;
    }

    /** (C_p + μ·n_u·I) v for column p: u's triples with the lists without p. */
    private final class Operator implements BlockOperator {
        private final Layout l;

        Operator(Layout l) {
            this.l = l;
        }

        @Override
        public int dimension() {
            return l.dimension;
        }

        @Override
        public void apply(double[][] in, double[][] out) {
            int[] all = new int[in.length];
            for (int j = 0; j < all.length; j++) {
                all[j] = j;
            }
            apply(all, in, out);
        }

        @Override
        public void apply(int[] columns, double[][] in, double[][] out) {
            double mu = config.damping() * l.n;
            for (int from = 0; from < columns.length; ) {
                CallBuilder b = new CallBuilder(l);
                int to = from;
                while (to < columns.length && (to == from || b.entries < ENTRIES_PER_CALL)) {
                    int s = b.slot(l.theta);
                    for (int z : l.triples) {
                        int pr = b.row(s, l.rowOf(data.train().positive(z)), columns[to]);
                        int nr = b.row(s, l.rowOf(data.train().negative(z)), columns[to]);
                        b.pair(pr, nr);
                    }
                    to++;
                }
                int d = l.dimension;
                double[] dir = new double[(to - from) * d];
                for (int j = from; j < to; j++) {
                    System.arraycopy(in[j], 0, dir, (j - from) * d, d);
                }
                double[] hv = graph.products(b.build(dir), config.curvature());
                for (int j = from; j < to; j++) {
                    for (int c = 0; c < d; c++) {
                        out[j][c] = hv[(j - from) * d + c] + mu * in[j][c];
                    }
                }
                from = to;
            }
        }
    }

    /**
     * A user's θ_u layout: the full lists of every item the computation scores (targets, positives
     * and negatives of u's triples), the values of the triples' lists (the live value embeddings,
     * in first-seen order per kind) and the values only targets' lists name (fed as constants).
     */
    final class Layout {
        final int user;
        final int n;
        final int[] actions;
        final int[] triples;
        final Map<Integer, Integer> rowOfItem = new LinkedHashMap<>();
        final List<Integer> itemOfRow = new ArrayList<>();
        final List<RcfNeighbourLists.Pair> lists = new ArrayList<>();
        final int[][] local; // [t][value] -> live index, or -1
        final int[][] extra; // [t][value] -> extra index, or -1
        final int[] liveCount;
        final double[][] extraRows;
        final int dimension;
        final double[] theta;

        Layout(int user, int[] targets) {
            this.user = user;
            this.actions = data.lists().positives(user);
            this.n = actions.length;
            this.triples = base.triples(user);
            Triples train = data.train();
            BitSet none = new BitSet();
            for (int z : triples) {
                add(train.positive(z), none);
                add(train.negative(z), none);
            }
            int tripleRows = lists.size();
            for (int t : targets) {
                add(t, none);
            }
            local = new int[types][];
            extra = new int[types][];
            liveCount = new int[types];
            extraRows = new double[types][];
            for (int t = 1; t < types; t++) {
                int vocab = valueTables[t].length / h;
                local[t] = new int[vocab];
                extra[t] = new int[vocab];
                Arrays.fill(local[t], -1);
                Arrays.fill(extra[t], -1);
                int extras = 0;
                for (int r = 0; r < lists.size(); r++) {
                    for (int v : lists.get(r).values()[t]) {
                        if (r < tripleRows) {
                            if (local[t][v] < 0) {
                                local[t][v] = liveCount[t]++;
                            }
                        }
                    }
                }
                for (int r = tripleRows; r < lists.size(); r++) {
                    for (int v : lists.get(r).values()[t]) {
                        if (local[t][v] < 0 && extra[t][v] < 0) {
                            extra[t][v] = extras++;
                        }
                    }
                }
                // one zero row more than needed: a kind with no value in a call still has a
                // non-empty table (the graph's pad row is cut from the table's first row)
                extraRows[t] = new double[(extras + 1) * h];
                for (int v = 0; v < vocab; v++) {
                    if (extra[t][v] >= 0) {
                        for (int c = 0; c < h; c++) {
                            extraRows[t][extra[t][v] * h + c] = valueTables[t][v * h + c];
                        }
                    }
                }
            }
            int d = h + types * h;
            for (int t = 1; t < types; t++) {
                d += liveCount[t] * h;
            }
            dimension = d;
            theta = new double[d];
            for (int c = 0; c < h; c++) {
                theta[c] = userTable[user * h + c];
            }
            for (int c = 0; c < types * h; c++) {
                theta[h + c] = relations[c];
            }
            int off = h + types * h;
            for (int t = 1; t < types; t++) {
                for (int v = 0; v < local[t].length; v++) {
                    if (local[t][v] >= 0) {
                        for (int c = 0; c < h; c++) {
                            theta[off + local[t][v] * h + c] = valueTables[t][v * h + c];
                        }
                    }
                }
                off += liveCount[t] * h;
            }
        }

        private void add(int item, BitSet none) {
            if (!rowOfItem.containsKey(item)) {
                rowOfItem.put(item, lists.size());
                itemOfRow.add(item);
                lists.add(data.lists().pair(user, item, none));
            }
        }

        int rowOf(int item) {
            return rowOfItem.get(item);
        }
    }

    /** Assembles one session call: slots, rows with their lists (one action removed), pairs. */
    private final class CallBuilder {
        private final Layout l;
        private final List<double[]> slots = new ArrayList<>();
        private final List<int[]> rowSpecs = new ArrayList<>(); // {slot, list row, removed}
        private final List<int[]> pairs = new ArrayList<>();
        int entries;

        CallBuilder(Layout l) {
            this.l = l;
        }

        int slot(double[] theta) {
            slots.add(theta);
            return slots.size() - 1;
        }

        /** Adds a score row of slot {@code s}: list row {@code r} without action {@code p} (−1). */
        int row(int s, int r, int p) {
            rowSpecs.add(new int[] {s, r, p});
            entries += l.lists.get(r).size();
            return rowSpecs.size() - 1;
        }

        void pair(int posRow, int negRow) {
            pairs.add(new int[] {posRow, negRow});
        }

        RcfFullScopeGraph.Call build(double[] directions) {
            int sCount = slots.size();
            int d = l.dimension;
            double[] theta = new double[sCount * d];
            for (int s = 0; s < sCount; s++) {
                System.arraycopy(slots.get(s), 0, theta, s * d, d);
            }
            int rCount = rowSpecs.size();
            int[] rowSlot = new int[rCount];
            int[] targets = new int[rCount];
            int[][] rows = new int[types][];
            int[][] items = new int[types][];
            int[][] values = new int[types][];
            int[] size = new int[types];
            for (int[] spec : rowSpecs) {
                RcfNeighbourLists.Pair pr = l.lists.get(spec[1]);
                for (int t = 0; t < types; t++) {
                    size[t] += pr.items()[t].length;
                }
            }
            for (int t = 0; t < types; t++) {
                rows[t] = new int[size[t]];
                items[t] = new int[size[t]];
                values[t] = new int[t == 0 ? 0 : size[t]];
            }
            int[] at = new int[types];
            for (int r = 0; r < rCount; r++) {
                int[] spec = rowSpecs.get(r);
                rowSlot[r] = spec[0];
                RcfNeighbourLists.Pair pr = l.lists.get(spec[1]);
                int removed = spec[2] < 0 ? -1 : l.actions[spec[2]];
                targets[r] = l.itemOfRow.get(spec[1]);
                for (int t = 0; t < types; t++) {
                    int[] it = pr.items()[t];
                    for (int k = 0; k < it.length; k++) {
                        if (it[k] == removed) {
                            continue;
                        }
                        rows[t][at[t]] = r;
                        items[t][at[t]] = it[k];
                        if (t > 0) {
                            int v = pr.values()[t][k];
                            int live = l.local[t][v];
                            values[t][at[t]] =
                                    live >= 0
                                            ? spec[0] * l.liveCount[t] + live
                                            : sCount * l.liveCount[t] + l.extra[t][v];
                        }
                        at[t]++;
                    }
                }
            }
            for (int t = 0; t < types; t++) {
                rows[t] = Arrays.copyOf(rows[t], at[t]);
                items[t] = Arrays.copyOf(items[t], at[t]);
                if (t > 0) {
                    values[t] = Arrays.copyOf(values[t], at[t]);
                }
            }
            int[] pos = null;
            int[] neg = null;
            if (!pairs.isEmpty()) {
                pos = new int[pairs.size()];
                neg = new int[pairs.size()];
                for (int z = 0; z < pairs.size(); z++) {
                    pos[z] = pairs.get(z)[0];
                    neg[z] = pairs.get(z)[1];
                }
            }
            return new RcfFullScopeGraph.Call(
                    sCount,
                    theta,
                    rowSlot,
                    targets,
                    rows,
                    items,
                    values,
                    l.extraRows,
                    l.liveCount,
                    d,
                    pos,
                    neg,
                    directions);
        }
    }

    @Override
    public String diagnostics(InfluenceResult r) {
        return lastSolve.getOrDefault(r.influence().user(), "scope full");
    }

    @Override
    public void describe(ObjectNode report) {
        report.put("scope", "full")
                .put("parameters", "e_u, R, value embeddings of the user's lists")
                .put("curvature", config.curvature().label())
                .put("damping", config.damping())
                .put("cg_tolerance", config.tolerance())
                .put("cg_max_iterations", config.maxIterations());
    }

    @Override
    public void close() {
        graph.close();
        base.close();
    }
}
