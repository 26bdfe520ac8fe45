package io.accent.rcf;

import io.accent.core.DataException;
import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.Triples;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.RemovalScores;
import io.accent.influence.SymmetricPseudoInverse;
import io.accent.influence.UserInfluence;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.tf.NamedArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FIA influence for RCF (docs/SPEC.md §5). The perturbed parameter is the user's embedding e_u (H =
 * 64 scalars). For a user u with positives N_u (n_u triples T_u, train order) and a removed
 * positive p with triple z_p:
 *
 * <ul>
 *   <li>H_p = (1/n_u) Σ_{T_u} ∇²_{e_u} ℓ with every list built from N_u ∖ {p}, in closed form in
 *       float64, all p of a user in few calls ({@link RcfRemovalHessians}; TensorFlow double
 *       backprop, {@link RcfInfluenceGraph#hessians} through {@link #sumHessian}, is the tests'
 *       oracle);
 *   <li>g_p = ∇_{e_u} ℓ(z_p), lists without p;
 *   <li>Δ_p = pinv(H_p + damping·I) g_p / n_u ({@link SymmetricPseudoInverse}: symmetric
 *       eigendecomposition, relative cutoff as numpy's pinv);
 *   <li>I(z_p, ŷ(u,i)) = ŷ(u,i; e_u, N_u) − ŷ(u,i; e_u + Δ_p, N_u ∖ {p}), a forward pass of the
 *       float64 graph for each of the K targets.
 * </ul>
 *
 * <p>Structure used (exact, not an approximation): a score depends on e_u only through β and μ =
 * e_u + Σ_t β_t h_t, and the list outputs h_t do not depend on e_u. The lists of a row (u, i) are
 * those of N_u ∖ {i}, so every distinct target i of u's triples and top-K is attended once per user
 * ({@link RcfNetwork#attention}, one session call). Removing p from a list removes exactly the
 * entries whose item is p: their exp(s_k) (logits do not depend on the other entries) is subtracted
 * from the normalizer's sum and c·q_p from the unnormalized sum Σ_k exp(s_k) q_{j_k}, and h_t is
 * renormalized with (Σ + 1e-9)^α; a type whose entries are all removed gets h_t = 0 exactly, as an
 * empty list does. H_p, g_p and the new scores are then taken over slots of e and rows of h_t with
 * all p of a user batched into few session calls. H_p and g_p are computed once per (u, p), not
 * once per target.
 *
 * <p>With {@link RcfInfluenceConfig.Hessian#SHARED} one Hessian per user (full lists) replaces the
 * H_p; everything else is unchanged.
 */
public final class RcfInfluenceEngine implements InfluenceEngine {

    private final TrainedModel model;
    private final RcfData data;
    private final RcfInfluenceConfig config;
    private final RcfInfluenceGraph graph;
    private final int h;
    private final int types;
    private final double alpha;
    private final double[] userTable;
    private final double[] items;
    private final int[][] triplesOfUser;

    /** Opens the engine on a loaded RCF model (the model stays owned by the caller). */
    public RcfInfluenceEngine(TrainedModel model, RcfInfluenceConfig config) {
        if (!(model instanceof RcfModel rm)) {
            throw new ModelException(
                    "RCF influence needs an RCF model, got a "
                            + model.metadata().family()
                            + " model");
        }
        this.model = model;
        this.data = rm.rcfData();
        this.config = config;
        RcfConfig rc = RcfConfig.fromMap(model.metadata().config());
        this.alpha = rc.alpha();
        var params = model.parameters();
        this.graph =
                new RcfInfluenceGraph(params, data.sizes().variables(), alpha, config.threads());
        this.h = graph.hidden();
        this.types = data.sizes().types();
        this.userTable = doubles(params.get("e_user"));
        this.items = doubles(params.get("q"));
        Triples train = data.train();
        int[] count = new int[data.sizes().users()];
        for (int r = 0; r < train.size(); r++) {
            count[train.user(r)]++;
        }
        triplesOfUser = new int[count.length][];
        for (int u = 0; u < count.length; u++) {
            triplesOfUser[u] = new int[count[u]];
        }
        int[] fill = new int[count.length];
        for (int r = 0; r < train.size(); r++) {
            triplesOfUser[train.user(r)][fill[train.user(r)]++] = r;
        }
    }

    public RcfInfluenceConfig config() {
        return config;
    }

    /**
     * The influences on each user's top-K. The top-K is ranked as {@link TrainedModel#recommend}
     * (score descending, ties to the lower item id, N_u excluded) from float32 scores of the same
     * network computed in this engine's graph (one session call per user, Java-built lists); {@link
     * UserInfluence#scores()} are then the float64 scores of those items, the base of the
     * influences.
     */
    @Override
    public List<InfluenceResult> computeUsers(int[] users, Progress progress) {
        for (int u : users) {
            checkUser(u);
        }
        progress.start("influence", users.length);
        List<InfluenceResult> out = new ArrayList<>(users.length);
        for (int u : users) {
            int[] targets = topTargets(u);
            out.add(computeOne(lists(u, targets, true), targets, null));
            progress.step(1);
        }
        progress.close();
        return out;
    }

    /**
     * The user's top-K items outside N_u, ranked as {@link TrainedModel#recommend} from float32
     * scores of the network in this engine's graph (one session call, Java-built lists).
     */
    int[] topTargets(int u) {
        BitSet pos = model.trainingItems(u);
        int[] candidates = new int[data.sizes().items() - pos.cardinality()];
        int c = 0;
        for (int i = pos.nextClearBit(0); i < data.sizes().items(); i = pos.nextClearBit(i + 1)) {
            candidates[c++] = i;
        }
        int[] us = new int[candidates.length];
        Arrays.fill(us, u);
        float[] eu = new float[h];
        for (int x = 0; x < h; x++) {
            eu[x] = (float) userTable[u * h + x];
        }
        float[] all = graph.scoreAll(data.lists().batch(us, candidates), eu);
        float[] scores = new float[data.sizes().items()];
        for (int k = 0; k < candidates.length; k++) {
            scores[candidates[k]] = all[k];
        }
        return TrainedModel.topK(scores, pos, config.topK()).stream()
                .mapToInt(ScoredItem::item)
                .toArray();
    }

    /** Refuses targets outside the catalogue or among the user's training positives. */
    void checkTargets(int user, int[] targets) {
        BitSet pos = model.trainingItems(user);
        for (int t : targets) {
            if (t < 0 || t >= data.sizes().items()) {
                throw new DataException(
                        "item index "
                                + t
                                + " is outside the catalogue of "
                                + data.sizes().items()
                                + " items");
            }
            if (pos.get(t)) {
                throw new DataException(
                        "item "
                                + model.items().raw(t)
                                + " is a training positive of user "
                                + model.users().raw(user)
                                + "; influence targets must be items outside N_u");
            }
        }
    }

    @Override
    public List<InfluenceResult> computeTargets(
            int[] users, int[][] targets, double[][] scores, Progress progress) {
        for (int b = 0; b < users.length; b++) {
            checkUser(users[b]);
            checkTargets(users[b], targets[b]);
        }
        progress.start("influence", users.length);
        List<InfluenceResult> out = new ArrayList<>(users.length);
        for (int b = 0; b < users.length; b++) {
            out.add(computeOne(lists(users[b], targets[b], true), targets[b], scores[b]));
            progress.step(1);
        }
        progress.close();
        return out;
    }

    @Override
    public Optional<RemovalScores> removal(UserInfluence in) {
        checkUser(in.user());
        UserLists lists = lists(in.user(), in.topItems(), false);
        return Optional.of(new Removal(lists, in.topItems()));
    }

    void checkUser(int user) {
        if (user < 0 || user >= data.sizes().users()) {
            throw new DataException(
                    "user index " + user + " is outside the " + data.sizes().users() + " users");
        }
        if (triplesOfUser[user].length == 0) {
            throw new DataException(
                    "user "
                            + model.users().raw(user)
                            + " has no training positives to explain with");
        }
    }

    /** Row indices of u's training triples, in train order (T_u). */
    int[] triples(int user) {
        return triplesOfUser[user].clone();
    }

    /**
     * Σ_{T_u} ∇_e ℓ at user vector {@code e} with every list built without action {@code removed}
     * (−1: nothing removed); tests compare Hessians with its finite differences.
     */
    double[] sumGradient(UserLists l, int removed, double[] e) {
        int[] tri = triplesOfUser[l.user];
        RowBuilder b = new RowBuilder(2 * tri.length);
        int[] pos = new int[tri.length];
        int[] neg = new int[tri.length];
        for (int z = 0; z < tri.length; z++) {
            pos[z] = b.add(0, l.rowOf(data.train().positive(tri[z])), l, removed);
            neg[z] = b.add(0, l.rowOf(data.train().negative(tri[z])), l, removed);
        }
        return graph.gradients(b.rows(e.clone()), pos, neg);
    }

    double[] userVector(int u) {
        return Arrays.copyOfRange(userTable, u * h, (u + 1) * h);
    }

    /** The computation of §5 for one user; {@code scores} null: the float64 base scores. */
    private InfluenceResult computeOne(UserLists l, int[] targets, double[] scores) {
        int u = l.user;
        int n = l.n;
        int kk = targets.length;
        double[] slots = shiftedSlots(l);
        // scores: slot 0 = e_u with full lists, slot 1 + p = e_u + Δ_p with the lists without p
        RowBuilder sb = new RowBuilder(kk * (n + 1));
        for (int k = 0; k < kk; k++) {
            sb.add(0, l.rowOf(targets[k]), l, -1);
        }
        for (int p = 0; p < n; p++) {
            for (int k = 0; k < kk; k++) {
                sb.add(p + 1, l.rowOf(targets[k]), l, p);
            }
        }
        double[] y = graph.scores(sb.rows(slots)).scores();
        double[][] inf = new double[kk][n];
        for (int k = 0; k < kk; k++) {
            for (int p = 0; p < n; p++) {
                inf[k][p] = y[k] - y[kk + p * kk + k];
            }
        }
        if (scores == null) {
            scores = Arrays.copyOf(y, kk);
        }
        return new InfluenceResult(
                new UserInfluence(u, targets, scores, l.actions.clone(), inf), List.of());
    }

    /** Slot vectors of a user: slot 0 is e_u, slot 1 + p is e_u + Δ_p for every action p (§5). */
    double[] shiftedSlots(UserLists l) {
        int[] tri = triplesOfUser[l.user];
        return shiftedSlots(
                l,
                config.hessian() == RcfInfluenceConfig.Hessian.EXACT
                        ? exactHessians(l, tri)
                        : removalHessians(l, tri, new int[] {-1}));
    }

    /**
     * {@link #shiftedSlots(UserLists)} with the summed Hessians given: one per action, or one for
     * all.
     */
    double[] shiftedSlots(UserLists l, double[][] hess) {
        int n = l.n;
        double[] eu = userVector(l.user);
        int[] tri = triplesOfUser[l.user];
        Triples train = data.train();
        // g_p: slot p holds triple z_p with the lists without p
        double[] gSlots = new double[n * h];
        RowBuilder gb = new RowBuilder(2 * n);
        int[] gPos = new int[n];
        int[] gNeg = new int[n];
        for (int p = 0; p < n; p++) {
            System.arraycopy(eu, 0, gSlots, p * h, h);
            int z = tri[p];
            gPos[p] = gb.add(p, l.rowOf(train.positive(z)), l, p);
            gNeg[p] = gb.add(p, l.rowOf(train.negative(z)), l, p);
        }
        double[] grads = graph.gradients(gb.rows(gSlots), gPos, gNeg);

        // Δ_p = pinv(H/n_u + damping I) g_p / n_u
        double[] slots = new double[(n + 1) * h];
        System.arraycopy(eu, 0, slots, 0, h);
        SymmetricPseudoInverse shared = hess.length == 1 ? pinv(hess[0], n) : null;
        for (int p = 0; p < n; p++) {
            SymmetricPseudoInverse pi = shared != null ? shared : pinv(hess[p], n);
            double[] d = pi.apply(Arrays.copyOfRange(grads, p * h, (p + 1) * h));
            for (int c = 0; c < h; c++) {
                slots[(p + 1) * h + c] = eu[c] + d[c] / n;
            }
        }

        return slots;
    }

    private SymmetricPseudoInverse pinv(double[] sum, int n) {
        double[] a = new double[h * h];
        for (int i = 0; i < h * h; i++) {
            a[i] = sum[i] / n;
        }
        for (int c = 0; c < h; c++) {
            a[c * h + c] += config.damping();
        }
        return new SymmetricPseudoInverse(a, h, config.pinvCutoff());
    }

    /**
     * The summed Hessian Σ_{T_u} ∇²_{e_u} ℓ with every list built without action {@code removed}
     * (−1: nothing removed) by TensorFlow double backprop, in as many calls as {@link
     * RcfInfluenceConfig#rowsPerCall} needs: the independent oracle of {@link #removalHessians} in
     * the tests (the engine itself uses the closed form).
     */
    double[] sumHessian(UserLists l, int[] tri, int removed) {
        double[] acc = new double[h * h];
        int per = Math.max(1, config.rowsPerCall() / 2);
        Triples train = data.train();
        double[] eu = userVector(l.user);
        for (int from = 0; from < tri.length; from += per) {
            int to = Math.min(tri.length, from + per);
            RowBuilder b = new RowBuilder(2 * (to - from));
            int[] pos = new int[to - from];
            int[] neg = new int[to - from];
            for (int z = from; z < to; z++) {
                pos[z - from] = b.add(0, l.rowOf(train.positive(tri[z])), l, removed);
                neg[z - from] = b.add(0, l.rowOf(train.negative(tri[z])), l, removed);
            }
            double[] part = graph.hessians(b.rows(eu), pos, neg);
            for (int i = 0; i < acc.length; i++) {
                acc[i] += part[i];
            }
        }
        return acc;
    }

    /** Σ_{T_u} ∇²ℓ with the lists without p, for every p (closed form, batched). */
    double[][] exactHessians(UserLists l, int[] tri) {
        int[] all = new int[l.n];
        for (int p = 0; p < l.n; p++) {
            all[p] = p;
        }
        return removalHessians(l, tri, all);
    }

    /**
     * Σ_{T_u} ∇²ℓ with the lists built without action {@code removed[j]} (−1: nothing removed), for
     * every j, from {@link RcfRemovalHessians} in calls of at most {@link
     * RcfInfluenceConfig#hessianPairsPerCall} (removal, row) pairs, where the rows are the distinct
     * positives and negatives of the user's triples.
     */
    double[][] removalHessians(UserLists l, int[] tri, int[] removed) {
        Triples train = data.train();
        int n = l.n;
        Map<Integer, Integer> compact = new LinkedHashMap<>();
        int[] pos = new int[tri.length];
        int[] neg = new int[tri.length];
        for (int z = 0; z < tri.length; z++) {
            int ra = l.rowOf(train.positive(tri[z]));
            int rb = l.rowOf(train.negative(tri[z]));
            pos[z] = compact.computeIfAbsent(ra, k -> compact.size());
            neg[z] = compact.computeIfAbsent(rb, k -> compact.size());
        }
        int rows = compact.size();
        int[] rowOf = new int[rows];
        compact.forEach((r, c) -> rowOf[c] = r);
        int[] rowItems = new int[rows];
        double[] sums = new double[rows * types * h];
        for (int c = 0; c < rows; c++) {
            int r = rowOf[c];
            rowItems[c] = l.targets[r];
            for (int t = 0; t < types; t++) {
                double norm = RcfNetwork.attentionNorm(l.den[r][t], alpha);
                for (int x = 0; x < h; x++) {
                    sums[(c * types + t) * h + x] = l.out[r][t * h + x] * norm;
                }
            }
        }
        double[] incidence = new double[tri.length * rows];
        for (int z = 0; z < tri.length; z++) {
            incidence[z * rows + pos[z]] += 1;
            incidence[z * rows + neg[z]] -= 1;
        }
        double[] eu = userVector(l.user);
        double[][] out = new double[removed.length][];
        int per = Math.max(1, config.hessianPairsPerCall() / rows);
        for (int from = 0; from < removed.length; from += per) {
            int to = Math.min(removed.length, from + per);
            int count = to - from;
            int[] removedItems = new int[count];
            double[] part = new double[count * rows * types];
            double[] scale = new double[count * rows * types];
            for (int j = from; j < to; j++) {
                int p = removed[j];
                removedItems[j - from] = l.actions[Math.max(p, 0)];
                for (int c = 0; c < rows; c++) {
                    int r = rowOf[c];
                    for (int t = 0; t < types; t++) {
                        int at = ((j - from) * rows + c) * types + t;
                        int m = p < 0 ? 0 : l.partCount[r][t * n + p];
                        if (m == 0) {
                            scale[at] = 1 / RcfNetwork.attentionNorm(l.den[r][t], alpha);
                        } else if (m < l.count[r][t]) {
                            part[at] = l.part[r][t * n + p];
                            scale[at] = 1 / RcfNetwork.attentionNorm(l.den[r][t] - part[at], alpha);
                        } // else: every entry of the type is p's, h_t = 0 (scale 0)
                    }
                }
            }
            double[] hs =
                    graph.removalHessians(
                            new RcfRemovalHessians.Batch(
                                    eu,
                                    rowItems,
                                    sums,
                                    removedItems,
                                    part,
                                    scale,
                                    pos,
                                    neg,
                                    incidence));
            for (int j = from; j < to; j++) {
                out[j] = Arrays.copyOfRange(hs, (j - from) * h * h, (j - from + 1) * h * h);
            }
        }
        return out;
    }

    /**
     * The lists of every distinct target a user's computation needs, attended once: per row (target
     * i, lists of N_u ∖ {i}), per type t, h_t, the sum Σ_k exp(s_k) and the entry count, and per
     * action j the part c_t(j) = Σ_{k: j_k = j} exp(s_k) of that sum and j's entry count.
     */
    final class UserLists {
        final int user;
        final int n;
        final int[] actions;
        final Map<Integer, Integer> rowOfItem = new HashMap<>();
        final int[] targets;
        final double[][] out; // [row][t·H + c]
        final double[][] den; // [row][t]
        final int[][] count; // [row][t]
        final double[][] part; // [row][t·n + j]
        final int[][] partCount; // [row][t·n + j]

        UserLists(
                int user,
                int[] targets,
                RcfNeighbourLists.Batch batch,
                RcfInfluenceGraph.AttentionOut att) {
            this.user = user;
            this.actions = data.lists().positives(user);
            this.n = actions.length;
            this.targets = targets;
            Map<Integer, Integer> index = new HashMap<>();
            for (int j = 0; j < n; j++) {
                if (index.put(actions[j], j) != null) {
                    throw new DataException(
                            "user "
                                    + model.users().raw(user)
                                    + " has item "
                                    + model.items().raw(actions[j])
                                    + " twice among its training positives");
                }
            }
            int rows = targets.length;
            for (int r = 0; r < rows; r++) {
                rowOfItem.put(targets[r], r);
            }
            out = new double[rows][types * h];
            den = new double[rows][types];
            count = new int[rows][types];
            part = new double[rows][types * n];
            partCount = new int[rows][types * n];
            for (int t = 0; t < types; t++) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(att.outputs()[t], r * h, out[r], t * h, h);
                }
                int[] rowOf = batch.rows()[t];
                int[] item = batch.items()[t];
                double[] s = att.logits()[t];
                for (int k = 0; k < rowOf.length; k++) {
                    double e = Math.exp(s[k]);
                    int r = rowOf[k];
                    int j = index.get(item[k]);
                    den[r][t] += e;
                    count[r][t]++;
                    part[r][t * n + j] += e;
                    partCount[r][t * n + j]++;
                }
            }
        }

        int rowOf(int item) {
            Integer r = rowOfItem.get(item);
            if (r == null) {
                throw new IllegalStateException("no lists for item " + item);
            }
            return r;
        }

        /**
         * Writes h_t of row {@code r} with the actions {@code removed} (indices; may be empty)
         * taken out of its lists into {@code dest[t][at·H..]}.
         */
        void outputs(int r, int[] removed, double[][] dest, int at) {
            int off = at * h;
            for (int t = 0; t < types; t++) {
                double c = 0;
                int m = 0;
                for (int j : removed) {
                    c += part[r][t * n + j];
                    m += partCount[r][t * n + j];
                }
                if (m == 0) {
                    System.arraycopy(out[r], t * h, dest[t], off, h);
                    continue;
                }
                if (m == count[r][t]) {
                    Arrays.fill(dest[t], off, off + h, 0.0);
                    continue;
                }
                // S = h·norm(den); S' = S − Σ_j c_j q_j; h' = S' / norm(den − Σ c_j)
                double norm = RcfNetwork.attentionNorm(den[r][t], alpha);
                double norm2 = RcfNetwork.attentionNorm(den[r][t] - c, alpha);
                double[] d = dest[t];
                for (int x = 0; x < h; x++) {
                    d[off + x] = out[r][t * h + x] * norm;
                }
                for (int j : removed) {
                    if (partCount[r][t * n + j] == 0) {
                        continue;
                    }
                    double cj = part[r][t * n + j];
                    int base = actions[j] * h;
                    for (int x = 0; x < h; x++) {
                        d[off + x] -= cj * items[base + x];
                    }
                }
                for (int x = 0; x < h; x++) {
                    d[off + x] /= norm2;
                }
            }
        }

        /**
         * h_t of row {@code r} after removing the first m actions of {@code order}, for m =
         * 1..|order|, by running sums: written to {@code dest[t][(first + (m−1)·stride)·H..]}.
         */
        void prefixOutputs(int r, int[] order, double[][] dest, int first, int stride) {
            for (int t = 0; t < types; t++) {
                double norm = RcfNetwork.attentionNorm(den[r][t], alpha);
                double[] sum = new double[h];
                for (int x = 0; x < h; x++) {
                    sum[x] = out[r][t * h + x] * norm;
                }
                double d = den[r][t];
                int left = count[r][t];
                double[] dst = dest[t];
                for (int m = 0; m < order.length; m++) {
                    int j = order[m];
                    int pc = partCount[r][t * n + j];
                    if (pc > 0) {
                        double cj = part[r][t * n + j];
                        int base = actions[j] * h;
                        for (int x = 0; x < h; x++) {
                            sum[x] -= cj * items[base + x];
                        }
                        d -= cj;
                        left -= pc;
                    }
                    int off = (first + m * stride) * h;
                    if (left == 0) {
                        Arrays.fill(dst, off, off + h, 0.0);
                    } else if (left == count[r][t]) {
                        System.arraycopy(out[r], t * h, dst, off, h);
                    } else {
                        double norm2 = RcfNetwork.attentionNorm(d, alpha);
                        for (int x = 0; x < h; x++) {
                            dst[off + x] = sum[x] / norm2;
                        }
                    }
                }
            }
        }
    }

    /**
     * Builds the lists of u for the given targets and, with {@code withTriples}, for the positives
     * and negatives of u's triples; one attention session call.
     */
    UserLists lists(int u, int[] targets, boolean withTriples) {
        LinkedHashMap<Integer, Boolean> distinct = new LinkedHashMap<>();
        for (int t : targets) {
            distinct.put(t, Boolean.TRUE);
        }
        if (withTriples) {
            for (int z : triplesOfUser[u]) {
                distinct.put(data.train().positive(z), Boolean.TRUE);
                distinct.put(data.train().negative(z), Boolean.TRUE);
            }
        }
        int[] rows = distinct.keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] us = new int[rows.length];
        Arrays.fill(us, u);
        RcfNeighbourLists.Batch batch = data.lists().batch(us, rows);
        return new UserLists(u, rows, batch, graph.attention(batch));
    }

    /** Accumulates score rows (slot, h_t) for the graph. */
    private final class RowBuilder {
        private final int[] rowSlot;
        private final int[] target;
        private final double[][] hs;
        private int size;
        private final int[] one = new int[1];
        private static final int[] NONE = new int[0];

        RowBuilder(int capacity) {
            rowSlot = new int[capacity];
            target = new int[capacity];
            hs = new double[types][capacity * h];
        }

        /**
         * Adds row {@code r} of {@code l} in {@code slot} with action {@code removed} (−1: none)
         * removed.
         */
        int add(int slot, int r, UserLists l, int removed) {
            rowSlot[size] = slot;
            target[size] = l.targets[r];
            int[] rm = NONE;
            if (removed >= 0) {
                one[0] = removed;
                rm = one;
            }
            l.outputs(r, rm, hs, size);
            return size++;
        }

        int addSet(int slot, int r, UserLists l, int[] removed) {
            rowSlot[size] = slot;
            target[size] = l.targets[r];
            l.outputs(r, removed, hs, size);
            return size++;
        }

        RcfInfluenceGraph.Rows rows(double[] slots) {
            double[][] cut = new double[types][];
            for (int t = 0; t < types; t++) {
                cut[t] = size * h == hs[t].length ? hs[t] : Arrays.copyOf(hs[t], size * h);
            }
            return new RcfInfluenceGraph.Rows(
                    slots, Arrays.copyOf(rowSlot, size), Arrays.copyOf(target, size), cut);
        }
    }

    /** Real forward passes with actions removed (§4.7) for the attention baselines. */
    private final class Removal implements RemovalScores {
        private final UserLists lists;
        private final int[] top;
        private final double[] eu;
        private final double[] weights;

        Removal(UserLists lists, int[] top) {
            this.lists = lists;
            this.top = top.clone();
            this.eu = userVector(lists.user);
            // β from the graph: one row, nothing removed
            RowBuilder b = new RowBuilder(1);
            b.add(0, lists.rowOf(top[0]), lists, -1);
            double[] beta = graph.scores(b.rows(eu)).beta();
            int r = lists.rowOf(top[0]);
            int n = lists.n;
            weights = new double[n];
            for (int t = 0; t < types; t++) {
                double norm = RcfNetwork.attentionNorm(lists.den[r][t], alpha);
                for (int j = 0; j < n; j++) {
                    weights[j] += beta[t] * lists.part[r][t * n + j] / norm;
                }
            }
        }

        @Override
        public int[] topItems() {
            return top.clone();
        }

        @Override
        public double[] attentionWeights() {
            return weights.clone();
        }

        @Override
        public double[][] scoresAlongOrder(int[] order, int k) {
            if (k < 1 || k > top.length) {
                throw new IllegalArgumentException("k = " + k + " is outside 1.." + top.length);
            }
            int m = order.length;
            RowBuilder b = new RowBuilder(m * k);
            for (int x = 0; x < k; x++) {
                lists.prefixOutputs(lists.rowOf(top[x]), order, b.hs, x, k);
            }
            for (int s = 0; s < m; s++) {
                for (int x = 0; x < k; x++) {
                    b.rowSlot[s * k + x] = 0;
                    b.target[s * k + x] = top[x];
                }
            }
            b.size = m * k;
            double[] y = graph.scores(b.rows(eu)).scores();
            double[][] res = new double[m][k];
            for (int s = 0; s < m; s++) {
                System.arraycopy(y, s * k, res[s], 0, k);
            }
            return res;
        }

        @Override
        public double[][] scoresWithout(List<int[]> sets, int k) {
            if (k < 1 || k > top.length) {
                throw new IllegalArgumentException("k = " + k + " is outside 1.." + top.length);
            }
            double[][] res = new double[sets.size()][k];
            int per = Math.max(1, 8192 / k);
            for (int from = 0; from < sets.size(); from += per) {
                int to = Math.min(sets.size(), from + per);
                RowBuilder b = new RowBuilder((to - from) * k);
                for (int s = from; s < to; s++) {
                    for (int x = 0; x < k; x++) {
                        b.addSet(0, lists.rowOf(top[x]), lists, sets.get(s));
                    }
                }
                double[] y = graph.scores(b.rows(eu)).scores();
                for (int s = from; s < to; s++) {
                    System.arraycopy(y, (s - from) * k, res[s], 0, k);
                }
            }
            return res;
        }
    }

    private static double[] doubles(NamedArray a) {
        float[] f = a.data();
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }

    @Override
    public String diagnostics(InfluenceResult r) {
        return String.format(
                "RCF influence: %s Hessians, damping %s, %d removals x %d targets",
                config.hessian().name().toLowerCase(java.util.Locale.ROOT),
                config.damping(),
                r.influence().actionCount(),
                r.influence().topK());
    }

    @Override
    public void describe(com.fasterxml.jackson.databind.node.ObjectNode report) {
        report.put("hessian", config.hessian().name().toLowerCase(java.util.Locale.ROOT))
                .put("damping", config.damping());
    }

    @Override
    public void close() {
        graph.close();
    }
}
