package io.accent.rcf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * The RCF forward pass (docs/SPEC.md §4.3) and its losses (§4.4) as TensorFlow ops, generic over
 * the float type: float32 for training and scoring, float64 for influence. This is the one
 * definition of the model; training, scoring, the SavedModel and influence all build their graphs
 * from it.
 *
 * <p>Neighbour lists are <em>ragged</em>: for each relation type t the entries of all scored rows
 * are concatenated ({@link Lists}: list item j_k, attribute value v_k and the row each entry
 * belongs to), so no row pays for the longest list of its batch. An entry whose item is the pad
 * index (= number of items) is masked with −1e12 exactly as the reference masks padding, so padded
 * layouts give the same scores. The attention projections are linear in single table rows, so
 * {@code W_tiᵀq}, {@code W_tjᵀq} and {@code W_teᵀV_t} are computed once per table row and gathered
 * per entry.
 *
 * <p>Stacked copies: {@link #score}, {@link #relational} and the functions they use also take the
 * weights of B models stacked on a leading copy axis ({@link Weights#stacked}), with per-copy ids
 * [B, S] and per-copy lists [B, E_t] (local ids, padded with masked entries); copy b then reads
 * only its own slices (batched matmuls, gathers through the flattened tables). This is how the
 * stacked retrainer ({@link RcfStackedTrainingGraph}) trains B models in one graph with this one
 * forward pass. With plain weights the ops are those of the single model.
 *
 * <p>Second order: the lists' outputs h_t do not depend on e_u, so derivatives with respect to e_u
 * go only through the type attention and the MLP. With {@link Nonlinearity#PRIMITIVE} those are
 * built from ops that can be differentiated twice (Exp, Mul, Add, Div, MatMul, Softmax; SPEC §10).
 */
public final class RcfNetwork {

    /** Variables that do not depend on the number of attribute kinds (3 + 3 + 3 + 3). */
    private static final int FIXED_VARIABLES = 12;

    /** Variables per attribute kind: V_t, W_ti, W_tj, W_te, a_t. */
    private static final int PER_KIND = 5;

    /**
     * Variable names in stored, exported and documented order for K attribute kinds: {@code e_user,
     * R, q, V1..VK, Wt, bt, wt, W0i, W0j, a0}, then {@code Wti, Wtj, Wte, at} for t = 1..K, then
     * {@code M0, c0, wp}. With K = 3 these are the 27 variables of the reference.
     */
    public static List<String> variables(int kinds) {
        if (kinds < 1) {
            throw new IllegalArgumentException(
                    "RCF needs at least one attribute kind, got " + kinds);
        }
        List<String> out = new ArrayList<>(List.of("e_user", "R", "q"));
        for (int t = 1; t <= kinds; t++) {
            out.add("V" + t);
        }
        out.addAll(List.of("Wt", "bt", "wt", "W0i", "W0j", "a0"));
        for (int t = 1; t <= kinds; t++) {
            out.addAll(List.of("W" + t + "i", "W" + t + "j", "W" + t + "e", "a" + t));
        }
        out.addAll(List.of("M0", "c0", "wp"));
        return List.copyOf(out);
    }

    /** K from the number of variables of {@link #variables(int)}; −1 when no K has that many. */
    static int kindsOf(int variableCount) {
        int k = (variableCount - FIXED_VARIABLES) / PER_KIND;
        return k >= 1 && FIXED_VARIABLES + PER_KIND * k == variableCount ? k : -1;
    }

    static final double MASK = 1e12;
    static final double ATTENTION_EPS = 1e-9;

    /**
     * The item-attention normalizer (Σ_k exp s_k + 1e-9)^α of §4.3 for a given sum {@code den}, for
     * code that removes list entries by subtracting their exp s_k (influence, attention baselines).
     */
    public static double attentionNorm(double den, double alpha) {
        return Math.pow(den + ATTENTION_EPS, alpha);
    }

    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);

    private RcfNetwork() {}

    /**
     * Sizes of the id spaces and layers.
     *
     * @param users U
     * @param items I (the pad item index is I)
     * @param vocabularies per attribute kind t = 1..K (index t − 1), its number of values (the pad
     *     value of kind t equals it); MovieLens 100K with the RCF release: genres G, directors D,
     *     actors Ac
     * @param hidden H (64)
     * @param attention A (32)
     * @param mlp width of the MLP layer (64)
     */
    public record Sizes(
            int users, int items, List<Integer> vocabularies, int hidden, int attention, int mlp) {

        public Sizes {
            vocabularies = List.copyOf(vocabularies);
            if (vocabularies.isEmpty()) {
                throw new IllegalArgumentException("RCF needs at least one attribute kind");
            }
        }

        /** K, the number of attribute kinds. */
        public int kinds() {
            return vocabularies.size();
        }

        /** K + 1 relation types: 0 (no shared attribute) and one per kind. */
        public int types() {
            return vocabularies.size() + 1;
        }

        /** Vocabulary size of relation type t (1..K). */
        public int vocabulary(int t) {
            if (t < 1 || t > vocabularies.size()) {
                throw new IllegalArgumentException("relation type " + t + " has no vocabulary");
            }
            return vocabularies.get(t - 1);
        }

        /** The variable names of a model of these sizes ({@link RcfNetwork#variables}). */
        public List<String> variables() {
            return RcfNetwork.variables(kinds());
        }
    }

    /** Shapes of the variables of {@link Sizes#variables()}, in that order. */
    public static long[][] shapes(Sizes s) {
        int h = s.hidden();
        int a = s.attention();
        List<long[]> out =
                new ArrayList<>(
                        List.of(
                                new long[] {s.users(), h},
                                new long[] {s.types(), h},
                                new long[] {s.items(), h}));
        for (int t = 1; t <= s.kinds(); t++) {
            out.add(new long[] {s.vocabulary(t), h});
        }
        out.addAll(
                List.of(
                        new long[] {h, a},
                        new long[] {a},
                        new long[] {a, 1},
                        new long[] {h, a},
                        new long[] {h, a},
                        new long[] {a, 1}));
        for (int t = 1; t <= s.kinds(); t++) {
            out.addAll(
                    List.of(
                            new long[] {h, a},
                            new long[] {h, a},
                            new long[] {h, a},
                            new long[] {a, 1}));
        }
        out.addAll(List.of(new long[] {h, s.mlp()}, new long[] {s.mlp()}, new long[] {s.mlp(), 1}));
        return out.toArray(long[][]::new);
    }

    /** Which kernels implement tanh and softplus. */
    public enum Nonlinearity {
        /** TensorFlow's fused kernels: fastest, first-order gradients only (training). */
        NATIVE,
        /** Written from Exp/Log1p/Div/Add: twice differentiable (influence, HVPs). */
        PRIMITIVE;

        /** tanh(x). */
        public <T extends TFloating> Operand<T> tanh(Ops tf, Operand<T> x) {
            if (this == NATIVE) {
                return tf.math.tanh(x);
            }
            // 1 − 2/(e^{2x}+1), clipped to |x| ≤ 30 where tanh is ±1 to double precision (avoids
            // inf/inf)
            Operand<T> c = tf.math.minimum(tf.math.maximum(x, cst(tf, -30, x)), cst(tf, 30, x));
            Operand<T> e = tf.math.exp(tf.math.mul(c, cst(tf, 2, x)));
            return tf.math.sub(
                    cst(tf, 1, x), tf.math.div(cst(tf, 2, x), tf.math.add(e, cst(tf, 1, x))));
        }

        /** log(1 + e^x). */
        public <T extends TFloating> Operand<T> softplus(Ops tf, Operand<T> x) {
            if (this == NATIVE) {
                return tf.math.softplus(x);
            }
            return tf.math.log1p(tf.math.exp(x));
        }

        /** GELU, tanh approximation: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
        public <T extends TFloating> Operand<T> gelu(Ops tf, Operand<T> x) {
            Operand<T> x3 = tf.math.mul(tf.math.mul(x, x), x);
            Operand<T> inner =
                    tf.math.mul(
                            cst(tf, GELU_C, x),
                            tf.math.add(x, tf.math.mul(cst(tf, 0.044715, x), x3)));
            return tf.math.mul(
                    tf.math.mul(cst(tf, 0.5, x), x), tf.math.add(cst(tf, 1, x), tanh(tf, inner)));
        }
    }

    /**
     * Reads of the model's variables, in {@link #variables} order for some K (read through {@code
     * tf.identity}); K follows from their number.
     */
    public record Weights<T extends TFloating>(List<Operand<T>> all) {
        public Weights {
            if (kindsOf(all.size()) < 1) {
                throw new IllegalArgumentException(
                        "RCF has "
                                + FIXED_VARIABLES
                                + " + "
                                + PER_KIND
                                + "·K variables, got "
                                + all.size());
            }
            all = List.copyOf(all);
        }

        /** K, the number of attribute kinds. */
        public int kinds() {
            return kindsOf(all.size());
        }

        /** K + 1 relation types. */
        public int types() {
            return kinds() + 1;
        }

        public Operand<T> get(String name) {
            int at = variables(kinds()).indexOf(name);
            if (at < 0) {
                throw new IllegalArgumentException("RCF has no variable " + name);
            }
            return all.get(at);
        }

        /**
         * Whether these are B stacked copies: every tensor carries a leading copy axis ([B, U, H],
         * [B, H, A], [B, A], ...).
         */
        public boolean stacked() {
            return all.get(0).shape().numDimensions() == 3;
        }

        /** B for stacked weights, 1 otherwise. */
        public int copies() {
            return stacked() ? Math.toIntExact(all.get(0).shape().size(0)) : 1;
        }

        public Operand<T> users() {
            return all.get(0);
        }

        public Operand<T> relations() {
            return all.get(1);
        }

        public Operand<T> items() {
            return all.get(2);
        }

        /** Attribute table of type t = 1..K (without pad row). */
        public Operand<T> attributes(int t) {
            return all.get(2 + t);
        }
    }

    /**
     * Ragged neighbour lists of a batch of scored rows (§4.2). For type t, entry k belongs to row
     * {@code rows[t][k]}, names list item {@code items[t][k]} and, for t ≥ 1, attribute {@code
     * values[t][k]} (t = 0 has no values: pass an empty operand). An entry with item = I (the pad
     * index) is padding and is masked.
     */
    public record Lists(
            List<Operand<TInt32>> rows, List<Operand<TInt32>> items, List<Operand<TInt32>> values) {
        public Lists {
            if (rows.size() < 2 || items.size() != rows.size() || values.size() != rows.size()) {
                throw new IllegalArgumentException(
                        "lists need K + 1 >= 2 types, got "
                                + rows.size()
                                + " / "
                                + items.size()
                                + " / "
                                + values.size());
            }
            rows = List.copyOf(rows);
            items = List.copyOf(items);
            values = List.copyOf(values);
        }

        /** K + 1 relation types. */
        public int types() {
            return rows.size();
        }
    }

    /**
     * Per-type outputs of the item-level attention for scored rows: logits s_k and weights w_k per
     * entry (ragged, aligned with {@link Lists}), and h_t = Σ_k w_k q_{j_k} per row ([S, H]).
     */
    public record Attention<T extends TFloating>(
            List<Operand<T>> logits, List<Operand<T>> weights, List<Operand<T>> outputs) {}

    /**
     * β: softmax over t of wtᵀ GELU(Wtᵀ(e_u ⊙ R_t) + bt), for user rows {@code eu} [S, H] → [S, K +
     * 1].
     */
    public static <T extends TFloating> Operand<T> typeWeights(
            Ops tf, Nonlinearity nl, Weights<T> w, Operand<T> eu) {
        int lead = w.stacked() ? 1 : 0;
        Operand<T> x =
                tf.math.mul(
                        tf.expandDims(eu, tf.constant(1 + lead)),
                        tf.expandDims(w.relations(), tf.constant(lead)));
        int h = (int) w.relations().shape().get(1 + lead);
        Operand<T> flat = tf.reshape(x, dims(tf, w, -1, h));
        Operand<T> z = addBias(tf, w, matMul(tf, w, flat, w.get("Wt")), w.get("bt"));
        Operand<T> logits =
                tf.reshape(matMul(tf, w, nl.gelu(tf, z), w.get("wt")), dims(tf, w, -1, w.types()));
        return tf.nn.softmax(logits);
    }

    /** A table with one zero row appended (the pad row). */
    static <T extends TFloating> Operand<T> padded(Ops tf, Operand<T> table) {
        if (table.shape().numDimensions() == 3) {
            // stacked [B, N, H]: one zero row per copy
            Operand<T> zero =
                    tf.math.mul(
                            tf.slice(
                                    table,
                                    tf.constant(new int[] {0, 0, 0}),
                                    tf.constant(new int[] {-1, 1, -1})),
                            cst(tf, 0, table));
            return tf.concat(List.of(table, zero), tf.constant(1));
        }
        Operand<T> zero =
                tf.math.mul(
                        tf.slice(
                                table,
                                tf.constant(new int[] {0, 0}),
                                tf.constant(new int[] {1, -1})),
                        cst(tf, 0, table));
        return tf.concat(List.of(table, zero), tf.constant(0));
    }

    /**
     * The item-level attention of §4.3 for rows with target items {@code targets} [S]: per type,
     * the logits s_k = a_tᵀ tanh(W_tiᵀq_i + W_tjᵀq_j + [t≥1] W_teᵀV_t[v]), the α-normalized weights
     * and h_t.
     *
     * @param rowCount S, the number of scored rows (scalar)
     */
    public static <T extends TFloating> Attention<T> attention(
            Ops tf,
            Nonlinearity nl,
            Weights<T> w,
            double alpha,
            Operand<TInt32> targets,
            Lists lists,
            Operand<TInt32> rowCount) {
        Operand<T> q = padded(tf, w.items());
        Operand<TInt32> axis0 = tf.constant(0);
        List<Operand<T>>[] lw = entryWeights(tf, nl, w, alpha, q, targets, lists, rowCount);
        List<Operand<T>> outs = new ArrayList<>();
        for (int t = 0; t < lists.types(); t++) {
            Operand<TInt32> rows = lists.rows().get(t);
            Operand<T> contrib =
                    tf.math.mul(
                            tf.expandDims(lw[1].get(t), tf.constant(1)),
                            tf.gather(q, lists.items().get(t), axis0));
            outs.add(tf.math.unsortedSegmentSum(contrib, rows, rowCount));
        }
        return new Attention<>(lw[0], lw[1], outs);
    }

    /**
     * Per type: the entries' masked logits s_k (index 0) and α-normalized weights w_k (index 1).
     */
    @SuppressWarnings("unchecked")
    private static <T extends TFloating> List<Operand<T>>[] entryWeights(
            Ops tf,
            Nonlinearity nl,
            Weights<T> w,
            double alpha,
            Operand<T> q,
            Operand<TInt32> targets,
            Lists lists,
            Operand<TInt32> rowCount) {
        int padItem = (int) w.items().shape().get(w.stacked() ? 1 : 0);
        List<Operand<T>> logits = new ArrayList<>();
        List<Operand<T>> weights = new ArrayList<>();
        checkTypes(w, lists);
        for (int t = 0; t < lists.types(); t++) {
            Operand<TInt32> rows = lists.rows().get(t);
            Operand<TInt32> items = lists.items().get(t);
            // projections once per scored row (target) and once per table row, gathered per entry
            Operand<T> pi = matMul(tf, w, gather(tf, w, q, targets), w.get("W" + t + "i"));
            Operand<T> pj = matMul(tf, w, q, w.get("W" + t + "j"));
            Operand<T> pre = tf.math.add(gather(tf, w, pi, rows), gather(tf, w, pj, items));
            if (t > 0) {
                Operand<T> pe = matMul(tf, w, padded(tf, w.attributes(t)), w.get("W" + t + "e"));
                pre = tf.math.add(pre, gather(tf, w, pe, lists.values().get(t)));
            }
            Operand<T> s =
                    tf.reshape(matMul(tf, w, nl.tanh(tf, pre), w.get("a" + t)), dims(tf, w, -1));
            Operand<T> isPad = tf.dtypes.cast(tf.math.equal(items, tf.constant(padItem)), s.type());
            s = tf.math.sub(s, tf.math.mul(isPad, cst(tf, MASK, s)));
            Operand<T> e = tf.math.exp(s);
            Operand<T> den = segmentSum(tf, w, e, rows, rowCount);
            Operand<T> norm =
                    tf.math.pow(tf.math.add(den, cst(tf, ATTENTION_EPS, s)), cst(tf, alpha, s));
            logits.add(s);
            weights.add(tf.math.div(e, gather(tf, w, norm, rows)));
        }
        return new List[] {logits, weights};
    }

    /**
     * ŷ from user rows {@code eu} [S, H], target item rows {@code qi} [S, H] and the lists' outputs
     * h_t [S, H]: μ = e_u + Σ_t β_t h_t, ŷ = wpᵀ GELU(M0ᵀ(μ ⊙ q_i) + c0). This is the score as a
     * function of e_u with the lists held fixed (what influence differentiates).
     */
    public static <T extends TFloating> Operand<T> scoreGivenLists(
            Ops tf,
            Nonlinearity nl,
            Weights<T> w,
            Operand<T> eu,
            Operand<T> qi,
            List<Operand<T>> h) {
        return scoreGivenTypeWeights(tf, nl, w, eu, typeWeights(tf, nl, w, eu), qi, h);
    }

    /**
     * {@link #scoreGivenLists} with the type weights β = {@link #typeWeights}(e_u) [S, 4] passed
     * in, so that callers scoring many rows of few user vectors compute β once per user vector and
     * gather it (influence: β depends on e_u only).
     */
    public static <T extends TFloating> Operand<T> scoreGivenTypeWeights(
            Ops tf,
            Nonlinearity nl,
            Weights<T> w,
            Operand<T> eu,
            Operand<T> beta,
            Operand<T> qi,
            List<Operand<T>> h) {
        Operand<T> mu = eu;
        for (int t = 0; t < h.size(); t++) {
            Operand<T> bt =
                    tf.slice(beta, tf.constant(new int[] {0, t}), tf.constant(new int[] {-1, 1}));
            mu = tf.math.add(mu, tf.math.mul(bt, h.get(t)));
        }
        return predict(tf, nl, w, mu, qi);
    }

    /** The output MLP: ŷ = wpᵀ GELU(M0ᵀ(μ ⊙ q_i) + c0). */
    private static <T extends TFloating> Operand<T> predict(
            Ops tf, Nonlinearity nl, Weights<T> w, Operand<T> mu, Operand<T> qi) {
        Operand<T> x = tf.math.mul(mu, qi);
        Operand<T> z = nl.gelu(tf, addBias(tf, w, matMul(tf, w, x, w.get("M0")), w.get("c0")));
        return tf.reshape(matMul(tf, w, z, w.get("wp")), dims(tf, w, -1));
    }

    /**
     * ŷ(users[s], targets[s]) with the given lists (§4.3): the same μ = e_u + Σ_t β_t h_t as {@link
     * #scoreGivenLists}, evaluated as one product over the catalogue: Σ_t β_t h_t = C q with C[s,
     * j] = Σ_t β_{s,t} Σ_{k in row s, type t, item j} w_k, a dense [S, I+1] matrix scattered from
     * the entries' scalar weights. Per-entry [entries, H] gathers and segment sums (and their
     * gradients, 8 passes over about 140,000 × 64 floats per training step) become one matmul of S
     * × (I+1) × H and its two gradient matmuls; the per-entry work left is on scalars and on the
     * [entries, A] attention projections. Memory: S × (I+1) floats (7 MB for a training step).
     */
    public static <T extends TFloating> Operand<T> score(
            Ops tf,
            Nonlinearity nl,
            Weights<T> w,
            double alpha,
            Operand<TInt32> users,
            Operand<TInt32> targets,
            Lists lists) {
        boolean stacked = w.stacked();
        Operand<TInt32> entryAxis = tf.constant(stacked ? 1 : 0);
        Operand<TInt32> rowCount =
                stacked
                        ? tf.reshape(
                                tf.slice(
                                        tf.shape(targets),
                                        tf.constant(new int[] {1}),
                                        tf.constant(new int[] {1})),
                                tf.constant(new int[0]))
                        : tf.reshape(tf.shape(targets), tf.constant(new int[0]));
        Operand<T> q = padded(tf, w.items());
        int width = (int) w.items().shape().get(stacked ? 1 : 0) + 1;
        List<Operand<T>>[] lw = entryWeights(tf, nl, w, alpha, q, targets, lists, rowCount);
        Operand<T> eu = gather(tf, w, w.users(), users);
        Operand<T> beta = typeWeights(tf, nl, w, eu);
        List<Operand<T>> coef = new ArrayList<>();
        List<Operand<TInt32>> cell = new ArrayList<>();
        for (int t = 0; t < lists.types(); t++) {
            Operand<TInt32> rows = lists.rows().get(t);
            Operand<T> bt =
                    tf.reshape(
                            stacked
                                    ? tf.slice(
                                            beta,
                                            tf.constant(new int[] {0, 0, t}),
                                            tf.constant(new int[] {-1, -1, 1}))
                                    : tf.slice(
                                            beta,
                                            tf.constant(new int[] {0, t}),
                                            tf.constant(new int[] {-1, 1})),
                            dims(tf, w, -1));
            coef.add(tf.math.mul(lw[1].get(t), gather(tf, w, bt, rows)));
            cell.add(tf.math.add(tf.math.mul(rows, tf.constant(width)), lists.items().get(t)));
        }
        Operand<TInt32> cells = tf.math.mul(rowCount, tf.constant(width));
        Operand<T> flatC =
                segmentSum(tf, w, tf.concat(coef, entryAxis), tf.concat(cell, entryAxis), cells);
        Operand<T> c =
                tf.reshape(
                        flatC,
                        stacked
                                ? tf.stack(
                                        List.of(
                                                tf.constant(w.copies()),
                                                rowCount,
                                                tf.constant(width)))
                                : tf.stack(List.of(rowCount, tf.constant(width))));
        Operand<T> mu = tf.math.add(eu, matMul(tf, w, c, q));
        return predict(tf, nl, w, mu, gather(tf, w, w.items(), targets));
    }

    /** Refuses lists whose number of relation types differs from the weights'. */
    private static void checkTypes(Weights<?> w, Lists lists) {
        if (lists.types() != w.types()) {
            throw new IllegalArgumentException(
                    "the weights have "
                            + w.types()
                            + " relation types, the lists "
                            + lists.types());
        }
    }

    /** BPR terms −log σ(pos − neg), element-wise. */
    public static <T extends TFloating> Operand<T> bpr(
            Ops tf, Nonlinearity nl, Operand<T> pos, Operand<T> neg) {
        return nl.softplus(tf, tf.math.sub(neg, pos));
    }

    /**
     * Relational BPR terms −log σ(score_t(h,v,tail_pos) − score_t(h,v,tail_neg)) with the trilinear
     * score Σ q_h ⊙ (R_t + V_t[v]) ⊙ q_x (§4.4), element-wise over relational rows; {@code types}
     * are 1..K and {@code values} attribute value ids of their kind.
     */
    public static <T extends TFloating> Operand<T> relational(
            Ops tf,
            Nonlinearity nl,
            Weights<T> w,
            Sizes sizes,
            Operand<TInt32> heads,
            Operand<TInt32> types,
            Operand<TInt32> values,
            Operand<TInt32> tailPos,
            Operand<TInt32> tailNeg) {
        Operand<TInt32> axis0 = tf.constant(0);
        int lead = w.stacked() ? 1 : 0;
        // one table of all attribute embeddings: kind t starts at the sum of the vocabularies
        // of kinds 1..t−1 (0, G, G+D for genre, director, actor)
        List<Operand<T>> tables = new ArrayList<>();
        int[] starts = new int[sizes.types()];
        for (int t = 1; t <= sizes.kinds(); t++) {
            tables.add(w.attributes(t));
            if (t + 1 < starts.length) {
                starts[t + 1] = starts[t] + sizes.vocabulary(t);
            }
        }
        Operand<T> all = tables.size() == 1 ? tables.get(0) : tf.concat(tables, tf.constant(lead));
        Operand<TInt32> offsets = tf.constant(starts);
        Operand<TInt32> idx = tf.math.add(tf.gather(offsets, types, axis0), values);
        Operand<T> rel = tf.math.add(gather(tf, w, w.relations(), types), gather(tf, w, all, idx));
        Operand<T> hr = tf.math.mul(gather(tf, w, w.items(), heads), rel);
        Operand<TInt32> last = tf.constant(1 + lead);
        Operand<T> sp = tf.reduceSum(tf.math.mul(hr, gather(tf, w, w.items(), tailPos)), last);
        Operand<T> sn = tf.reduceSum(tf.math.mul(hr, gather(tf, w, w.items(), tailNeg)), last);
        return bpr(tf, nl, sp, sn);
    }

    // Plain and stacked layouts. Plain: tables [N, ...], ids [M], weights [in, out]. Stacked (B
    // copies, {@link Weights#stacked}): tables [B, N, ...], ids [B, M] local to each copy, weights
    // [B, in, out]; copy b reads only its own slices. The plain branches are the ops the single
    // model has always used.

    /** Rows {@code ids} of {@code table}; stacked: per copy, through the flattened table. */
    private static <T extends TType> Operand<T> gather(
            Ops tf, Weights<?> w, Operand<T> table, Operand<TInt32> ids) {
        Operand<TInt32> axis0 = tf.constant(0);
        if (!w.stacked()) {
            return tf.gather(table, ids, axis0);
        }
        int rank = table.shape().numDimensions();
        Operand<TInt32> shape = tf.shape(table);
        Operand<TInt32> n = tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {1}));
        Operand<TInt32> flatShape =
                tf.concat(
                        List.of(
                                tf.constant(new int[] {-1}),
                                tf.slice(
                                        shape,
                                        tf.constant(new int[] {2}),
                                        tf.constant(new int[] {rank - 2}))),
                        axis0);
        Operand<TInt32> base =
                tf.math.mul(
                        tf.reshape(
                                tf.range(tf.constant(0), tf.constant(w.copies()), tf.constant(1)),
                                tf.constant(new int[] {-1, 1})),
                        n);
        return tf.gather(tf.reshape(table, flatShape), tf.math.add(ids, base), axis0);
    }

    /** x·W; stacked: per copy, x [B, M, in], W [B, in, out]. */
    private static <T extends TFloating> Operand<T> matMul(
            Ops tf, Weights<?> w, Operand<T> x, Operand<T> weight) {
        if (!w.stacked()) {
            return tf.linalg.matMul(x, weight);
        }
        return tf.train.batchMatMul(x, weight, x.type());
    }

    /** x + b; stacked: per copy, x [B, M, out], b [B, out]. */
    private static <T extends TFloating> Operand<T> addBias(
            Ops tf, Weights<?> w, Operand<T> x, Operand<T> bias) {
        if (!w.stacked()) {
            return tf.math.add(x, bias);
        }
        return tf.math.add(x, tf.expandDims(bias, tf.constant(1)));
    }

    /**
     * Σ of {@code x}'s entries per segment id in 0..count−1 ([count, ...]); stacked: per copy, for
     * scalar entries x [B, E] and ids [B, E] → [B, count].
     */
    private static <T extends TFloating> Operand<T> segmentSum(
            Ops tf, Weights<?> w, Operand<T> x, Operand<TInt32> ids, Operand<TInt32> count) {
        if (!w.stacked()) {
            return tf.math.unsortedSegmentSum(x, ids, count);
        }
        Operand<TInt32> base =
                tf.math.mul(
                        tf.reshape(
                                tf.range(tf.constant(0), tf.constant(w.copies()), tf.constant(1)),
                                tf.constant(new int[] {-1, 1})),
                        count);
        Operand<T> sums =
                tf.math.unsortedSegmentSum(
                        tf.reshape(x, tf.constant(new int[] {-1})),
                        tf.reshape(tf.math.add(ids, base), tf.constant(new int[] {-1})),
                        tf.math.mul(count, tf.constant(w.copies())));
        return tf.reshape(sums, tf.constant(new int[] {w.copies(), -1}));
    }

    /** A shape constant; stacked: with the copy axis B in front. */
    private static Operand<TInt32> dims(Ops tf, Weights<?> w, int... dims) {
        if (!w.stacked()) {
            return tf.constant(dims);
        }
        int[] out = new int[dims.length + 1];
        out[0] = w.copies();
        System.arraycopy(dims, 0, out, 1, dims.length);
        return tf.constant(out);
    }

    /** A scalar constant of {@code like}'s float type. */
    static <T extends TFloating> Operand<T> cst(Ops tf, double v, Operand<T> like) {
        return tf.dtypes.cast(tf.constant(v), like.type());
    }
}
