package io.accent.rcf;

import static io.accent.tf.Float64Tensors.read;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * The exact per-removal Hessians of RCF influence (docs/SPEC.md §5) in closed form, float64: for a
 * user u with triples T_u = {(a_z, b_z)} and a set of removals p, H_p = Σ_z ∇²_e ℓ(a_z, b_z) with
 * every list built without p. The same quantity as double backprop through the score graph ({@link
 * RcfInfluenceGraph#hessians}, kept as the tests' oracle), organised so that the work is a few
 * large float64 matrix products per batch of removals instead of autodiff per (p, triple).
 *
 * <p>Derivation. A row i (a target item with the lists of N_u ∖ {i}) has list outputs h_{t,i} that
 * do not depend on e; without p they are h_t^{−p} = ι_t (S_t − c_t(p) q_p), where S_t = Σ_k
 * exp(s_k) q_{j_k} is the unnormalised sum, c_t(p) the part of Σ_k exp(s_k) from p's entries and
 * ι_t = 1 / (Σ_k exp s_k − c_t(p) + 1e-9)^α (0 when every entry of the type is p's). Then f_i(e) =
 * wpᵀ φ(z_i), z_i = M0ᵀ(μ_i ⊙ q_i) + c0, μ_i = e + Σ_t β_t(e) h_{t,i}, φ = GELU (tanh
 * approximation). With J_β = ∂β/∂e (T × H, T = K + 1 relation types), Hm_i = [h_{0,i} … h_{K,i}] (H
 * × T), J_i = I + Hm_i J_β, v = wp ⊙ φ'(z_i), v2 = wp ⊙ φ''(z_i), g_i = q_i ⊙ (M0 v), A_i =
 * diag(q_i) M0:
 *
 * <pre>
 *   ∇f_i  = J_iᵀ g_i
 *   ∇²f_i = J_iᵀ A_i diag(v2) A_iᵀ J_i + Σ_t (g_i · h_{t,i}) ∇²β_t
 *   ∇²ℓ   = σ(d)σ(−d) ∇d ∇dᵀ − σ(−d) (∇²f_a − ∇²f_b),   d = f_a − f_b.
 * </pre>
 *
 * Summing over triples, row i enters with weight κ_i = Σ_z σ(−d_z)([b_z = i] − [a_z = i]). With
 * b_{ik} = Hm_iᵀ (q_i ⊙ m_k) ∈ R⁴ (m_k column k of M0) and W_{ik} = κ_i v2_{ik}, J_iᵀ A_i diag(v2)
 * A_iᵀ J_i expands into four sums over (i, k):
 *
 * <ul>
 *   <li>the main term Σ W_{ik} (q_i ⊙ m_k)(q_i ⊙ m_k)ᵀ: for a batch of P removals one product [P·64
 *       × R] × [R × 2080] of the weights with q_{i,d} q_{i,e} over the upper triangle d ≤ e, then
 *       Σ_k M0[d,k] M0[e,k] (·);
 *   <li>the cross term C J_β + J_βᵀ Cᵀ with C = Σ W_{ik} (q_i ⊙ m_k) b_{ik}ᵀ (64 × T), one product
 *       [P·T·64 × R] × [R × H];
 *   <li>J_βᵀ E J_β with E = Σ W_{ik} b_{ik} b_{ik}ᵀ (T × T);
 *   <li>Σ_t γ_t ∇²β_t with γ_t = Σ_i κ_i g_i · h_{t,i}.
 * </ul>
 *
 * β, J_β and ∇²β_t depend on the user only and are taken by TensorFlow autodiff (double backprop
 * through {@link RcfNetwork#typeWeights}, twice-differentiable nonlinearities) inside the same
 * graph; φ' and φ'' are written out. b_{ik} needs no per-removal product over H: b_{ik,t} = ι_t
 * ((M0ᵀ(q_i ⊙ S_t))_k − c_t(p) (M0ᵀ(q_i ⊙ q_p))_k), and z_i = M0ᵀ(e ⊙ q_i) + Σ_t β_t b_{i·,t} + c0.
 * The cost is about 133,000 multiply-adds per (removal, row) pair, dominated by the main term.
 */
final class RcfRemovalHessians {

    /** Inputs of one call: one user, a batch of P removals, R rows, n triples. */
    record Batch(
            double[] user,
            int[] rowItems,
            double[] sums,
            int[] removedItems,
            double[] removedPart,
            double[] scale,
            int[] pos,
            int[] neg,
            double[] incidence) {}

    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_K = 0.044715;

    private final int h;
    private final Placeholder<TFloat64> user; // [1, H]
    private final Placeholder<TInt32> rowItems; // [R]
    private final int types; // T = K + 1 relation types
    private final Placeholder<TFloat64> sums; // [R, T, H]
    private final Placeholder<TInt32> removedItems; // [P]
    private final Placeholder<TFloat64> removedPart; // [P, R, T]
    private final Placeholder<TFloat64> scale; // [P, R, T]
    private final Placeholder<TInt32> pos; // [n]
    private final Placeholder<TInt32> neg; // [n]
    private final Placeholder<TFloat64> incidence; // [n, R]
    private final Operand<TFloat64> out; // [P, H, H]

    RcfRemovalHessians(Ops tf, RcfNetwork.Weights<TFloat64> w) {
        Operand<TFloat64> m0 = w.get("M0");
        this.h = (int) m0.shape().get(0);
        int mh = (int) m0.shape().get(1);
        this.types = w.types();
        int tri = h * (h + 1) / 2;
        Operand<TInt32> ax0 = tf.constant(0);
        Operand<TInt32> ax1 = tf.constant(1);
        Operand<TInt32> ax2 = tf.constant(2);

        user = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(1, h)));
        rowItems = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        sums = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, types, h)));
        removedItems = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        removedPart = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1, types)));
        scale = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1, types)));
        pos = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        neg = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        incidence = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, -1)));
        Operand<TInt32> p = size(tf, removedItems);
        Operand<TInt32> r = size(tf, rowItems);

        // β(e), J_β (T × H) and ∇²β_t (T × H·H) by double backprop: copy c of e is row c of eT,
        // so the gradient of Σ_c (∇β_t)_c at copy c gives row c of ∇²β_t
        Operand<TFloat64> eT = tf.tile(user, tf.constant(new int[] {h, 1}));
        Operand<TFloat64> betaT =
                RcfNetwork.typeWeights(tf, RcfNetwork.Nonlinearity.PRIMITIVE, w, eT);
        Operand<TFloat64> beta =
                tf.reshape(
                        tf.slice(
                                betaT,
                                tf.constant(new int[] {0, 0}),
                                tf.constant(new int[] {1, -1})),
                        tf.constant(new int[] {1, 1, 1, types}));
        double[][] eye = new double[h][h];
        for (int c = 0; c < h; c++) {
            eye[c][c] = 1;
        }
        Operand<TFloat64> eyeC = tf.constant(eye);
        List<Operand<TFloat64>> jRows = new ArrayList<>();
        List<Operand<TFloat64>> hRows = new ArrayList<>();
        for (int t = 0; t < types; t++) {
            Operand<TFloat64> bt =
                    tf.reduceSum(
                            tf.slice(
                                    betaT,
                                    tf.constant(new int[] {0, t}),
                                    tf.constant(new int[] {-1, 1})),
                            tf.constant(new int[] {0, 1}));
            Operand<TFloat64> gt = grad(tf, bt, eT);
            jRows.add(tf.slice(gt, tf.constant(new int[] {0, 0}), tf.constant(new int[] {1, -1})));
            Operand<TFloat64> diag =
                    tf.reduceSum(tf.math.mul(gt, eyeC), tf.constant(new int[] {0, 1}));
            hRows.add(tf.reshape(grad(tf, diag, eT), tf.constant(new int[] {1, h * h})));
        }
        Operand<TFloat64> jb = tf.concat(jRows, ax0); // [T, H]
        Operand<TFloat64> hb = tf.concat(hRows, ax0); // [T, H·H]

        Operand<TFloat64> qR = tf.gather(w.items(), rowItems, ax0); // [R, H]
        Operand<TFloat64> qP = tf.gather(w.items(), removedItems, ax0); // [P, H]
        // BS[i,t,:] = M0ᵀ(q_i ⊙ S_t), BQ[p,i,:] = M0ᵀ(q_i ⊙ q_p), Be[i,:] = M0ᵀ(q_i ⊙ e)
        Operand<TFloat64> bs =
                tf.reshape(
                        tf.linalg.matMul(
                                tf.reshape(
                                        tf.math.mul(tf.expandDims(qR, ax1), sums),
                                        tf.constant(new int[] {-1, h})),
                                m0),
                        tf.constant(new int[] {1, -1, types, mh}));
        bs = tf.linalg.transpose(bs, tf.constant(new int[] {0, 1, 3, 2})); // [1, R, Mh, T]
        Operand<TFloat64> bq =
                tf.reshape(
                        tf.linalg.matMul(
                                tf.reshape(
                                        tf.math.mul(tf.expandDims(qP, ax1), tf.expandDims(qR, ax0)),
                                        tf.constant(new int[] {-1, h})),
                                m0),
                        dims(tf, p, r, tf.constant(mh), tf.constant(1)));
        Operand<TFloat64> be = tf.linalg.matMul(tf.math.mul(qR, user), m0); // [R, Mh]
        // b[p,i,k,t] = ι (BS − c BQ): the MLP's first layer applied to q_i ⊙ h_t^{−p}, [P,R,Mh,T]
        Operand<TFloat64> b =
                tf.math.mul(
                        tf.expandDims(scale, ax2),
                        tf.math.sub(bs, tf.math.mul(tf.expandDims(removedPart, ax2), bq)));
        Operand<TFloat64> z =
                tf.math.add(
                        tf.math.add(
                                tf.expandDims(be, ax0),
                                tf.reduceSum(tf.math.mul(b, beta), tf.constant(3))),
                        w.get("c0")); // [P, R, Mh]

        // GELU (tanh approximation) and its first two derivatives
        Operand<TFloat64> z2 = tf.math.mul(z, z);
        Operand<TFloat64> u =
                tf.math.mul(
                        cst(tf, GELU_C),
                        tf.math.add(z, tf.math.mul(cst(tf, GELU_K), tf.math.mul(z2, z))));
        Operand<TFloat64> th = tf.math.tanh(u);
        Operand<TFloat64> sech2 = tf.math.sub(cst(tf, 1), tf.math.mul(th, th));
        Operand<TFloat64> du =
                tf.math.mul(
                        cst(tf, GELU_C),
                        tf.math.add(cst(tf, 1), tf.math.mul(cst(tf, 3 * GELU_K), z2)));
        Operand<TFloat64> ddu = tf.math.mul(cst(tf, 6 * GELU_C * GELU_K), z);
        Operand<TFloat64> dth = tf.math.mul(sech2, du);
        Operand<TFloat64> ddth =
                tf.math.sub(
                        tf.math.mul(sech2, ddu),
                        tf.math.mul(cst(tf, 2), tf.math.mul(th, tf.math.mul(dth, du))));
        Operand<TFloat64> half = cst(tf, 0.5);
        Operand<TFloat64> phi = tf.math.mul(tf.math.mul(half, z), tf.math.add(cst(tf, 1), th));
        Operand<TFloat64> phi1 =
                tf.math.add(
                        tf.math.mul(half, tf.math.add(cst(tf, 1), th)),
                        tf.math.mul(tf.math.mul(half, z), dth));
        Operand<TFloat64> phi2 = tf.math.add(dth, tf.math.mul(tf.math.mul(half, z), ddth));
        Operand<TFloat64> wp = tf.reshape(w.get("wp"), tf.constant(new int[] {-1}));
        Operand<TFloat64> f = tf.reduceSum(tf.math.mul(phi, wp), ax2); // [P, R]
        Operand<TFloat64> v1 = tf.math.mul(phi1, wp);
        Operand<TFloat64> v2 = tf.math.mul(phi2, wp);

        // per triple: d = f_a − f_b, ℓ' = −σ(−d), ℓ'' = σ(d)σ(−d); κ_i = Σ_z ℓ'_z (±1)
        Operand<TFloat64> d = tf.math.sub(tf.gather(f, pos, ax1), tf.gather(f, neg, ax1));
        Operand<TFloat64> sig =
                tf.math.div(cst(tf, 1), tf.math.add(cst(tf, 1), tf.math.exp(d))); // σ(−d)
        Operand<TFloat64> s2 = tf.math.mul(sig, tf.math.sub(cst(tf, 1), sig));
        Operand<TFloat64> kappa = tf.linalg.matMul(tf.math.neg(sig), incidence); // [P, R]

        // ∇f_i = g_i + J_βᵀ (Hm_iᵀ g_i), Hm_iᵀ g_i = Σ_k b[·,t,k] v1_k
        Operand<TFloat64> g =
                tf.math.mul(
                        tf.reshape(
                                tf.linalg.matMul(
                                        tf.reshape(v1, tf.constant(new int[] {-1, mh})),
                                        m0,
                                        MatMul.transposeB(true)),
                                dims(tf, p, r, tf.constant(h))),
                        tf.expandDims(qR, ax0));
        Operand<TFloat64> hg =
                tf.reduceSum(tf.math.mul(b, tf.expandDims(v1, tf.constant(3))), ax2); // [P,R,T]
        Operand<TFloat64> gradF =
                tf.math.add(
                        g,
                        tf.reshape(
                                tf.linalg.matMul(
                                        tf.reshape(hg, tf.constant(new int[] {-1, types})), jb),
                                dims(tf, p, r, tf.constant(h))));
        Operand<TFloat64> dd =
                tf.math.sub(tf.gather(gradF, pos, ax1), tf.gather(gradF, neg, ax1)); // [P,n,H]
        Operand<TFloat64> outer =
                tf.train.batchMatMul(
                        tf.math.mul(dd, tf.expandDims(s2, ax2)),
                        dd,
                        TFloat64.class,
                        BatchMatMul.adjX(true)); // [P, H, H]

        Operand<TFloat64> wgt = tf.math.mul(tf.expandDims(kappa, ax2), v2); // [P, R, Mh]

        // main term over the upper triangle d ≤ e
        int[] du0 = new int[tri];
        int[] du1 = new int[tri];
        int[] full = new int[h * h];
        int at = 0;
        for (int a = 0; a < h; a++) {
            for (int c = a; c < h; c++) {
                du0[at] = a;
                du1[at] = c;
                full[a * h + c] = at;
                full[c * h + a] = at;
                at++;
            }
        }
        Operand<TInt32> i0 = tf.constant(du0);
        Operand<TInt32> i1 = tf.constant(du1);
        Operand<TFloat64> q2 = tf.math.mul(tf.gather(qR, i0, ax1), tf.gather(qR, i1, ax1));
        Operand<TFloat64> m0t = tf.linalg.transpose(m0, tf.constant(new int[] {1, 0})); // [Mh, H]
        Operand<TFloat64> m2 = tf.math.mul(tf.gather(m0t, i0, ax1), tf.gather(m0t, i1, ax1));
        Operand<TFloat64> wt =
                tf.reshape(
                        tf.linalg.transpose(wgt, tf.constant(new int[] {0, 2, 1})),
                        tf.stack(List.of(tf.constant(-1), r)));
        Operand<TFloat64> tt =
                tf.reshape(tf.linalg.matMul(wt, q2), tf.constant(new int[] {-1, mh, tri}));
        Operand<TFloat64> mainTri = tf.reduceSum(tf.math.mul(tt, m2), ax1); // [P, tri]
        Operand<TFloat64> main =
                tf.reshape(
                        tf.gather(mainTri, tf.constant(full), ax1),
                        tf.constant(new int[] {-1, h, h}));

        // cross term: C[p,t,d] = Σ_k M0[d,k] Σ_i q_{i,d} W_{ik} b_{ik,t}
        Operand<TFloat64> v = tf.math.mul(tf.expandDims(wgt, tf.constant(3)), b); // [P,R,Mh,T]
        // U[p,i,t,:] = M0 V[p,i,:,t]; C[p,t,:] = Σ_i q_i ⊙ U[p,i,t,:]
        Operand<TFloat64> um =
                tf.linalg.matMul(
                        tf.reshape(
                                tf.linalg.transpose(v, tf.constant(new int[] {0, 1, 3, 2})),
                                tf.constant(new int[] {-1, mh})),
                        m0,
                        MatMul.transposeB(true));
        Operand<TFloat64> cm =
                tf.reduceSum(
                        tf.math.mul(
                                tf.reshape(um, dims(tf, p, r, tf.constant(types), tf.constant(h))),
                                tf.expandDims(tf.expandDims(qR, ax1), ax0)),
                        ax1); // [P, T, H]
        Operand<TFloat64> cj =
                tf.reshape(
                        tf.linalg.matMul(
                                tf.reshape(
                                        tf.linalg.transpose(cm, tf.constant(new int[] {0, 2, 1})),
                                        tf.constant(new int[] {-1, types})),
                                jb),
                        tf.constant(new int[] {-1, h, h})); // [P, d, e] = Σ_t C[t,d] J_β[t,e]
        Operand<TFloat64> cross =
                tf.math.add(cj, tf.linalg.transpose(cj, tf.constant(new int[] {0, 2, 1})));

        // J_βᵀ E J_β with E[t,s] = Σ_{i,k} W_{ik} b_{ik,t} b_{ik,s}
        Operand<TInt32> flat = tf.stack(List.of(p, tf.constant(-1), tf.constant(types)));
        Operand<TFloat64> e4 =
                tf.train.batchMatMul(
                        tf.reshape(v, flat),
                        tf.reshape(b, flat),
                        TFloat64.class,
                        BatchMatMul.adjX(true)); // [P, T, T]
        Operand<TFloat64> kron =
                tf.reshape(
                        tf.math.mul(
                                tf.reshape(jb, tf.constant(new int[] {types, 1, h, 1})),
                                tf.reshape(jb, tf.constant(new int[] {1, types, 1, h}))),
                        tf.constant(new int[] {types * types, h * h}));
        Operand<TFloat64> quad =
                tf.reshape(
                        tf.linalg.matMul(
                                tf.reshape(e4, tf.constant(new int[] {-1, types * types})), kron),
                        tf.constant(new int[] {-1, h, h}));

        // Σ_t γ_t ∇²β_t with γ_t = Σ_i κ_i (g_i · h_{t,i})
        Operand<TFloat64> gamma = tf.reduceSum(tf.math.mul(tf.expandDims(kappa, ax2), hg), ax1);
        Operand<TFloat64> curv =
                tf.reshape(tf.linalg.matMul(gamma, hb), tf.constant(new int[] {-1, h, h}));

        out = tf.math.add(tf.math.add(tf.math.add(outer, main), tf.math.add(cross, quad)), curv);
    }

    /** Per removal of the batch, Σ_z ∇²_e ℓ(a_z, b_z) with the lists without it, [P][H][H]. */
    double[] run(Session session, Batch in) {
        int rows = in.rowItems().length;
        int p = in.removedItems().length;
        int n = in.pos().length;
        List<Tensor> open = new ArrayList<>();
        try {
            var runner = session.runner();
            runner.feed(user, track(open, f64(in.user(), 1, h)));
            runner.feed(rowItems, track(open, TInt32.vectorOf(in.rowItems())));
            runner.feed(sums, track(open, f64(in.sums(), rows, types, h)));
            runner.feed(removedItems, track(open, TInt32.vectorOf(in.removedItems())));
            runner.feed(removedPart, track(open, f64(in.removedPart(), p, rows, types)));
            runner.feed(scale, track(open, f64(in.scale(), p, rows, types)));
            runner.feed(pos, track(open, TInt32.vectorOf(in.pos())));
            runner.feed(neg, track(open, TInt32.vectorOf(in.neg())));
            runner.feed(incidence, track(open, f64(in.incidence(), n, rows)));
            try (Result r = runner.fetch(out).run()) {
                return read(r.get(0));
            }
        } finally {
            open.forEach(Tensor::close);
        }
    }

    private static TFloat64 f64(double[] v, long... shape) {
        return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
    }

    private static <T extends Tensor> T track(List<Tensor> open, T t) {
        open.add(t);
        return t;
    }

    private static Operand<TFloat64> grad(Ops tf, Operand<TFloat64> y, Operand<TFloat64> x) {
        return tf.gradients(y, List.of(x), Gradients.dx(List.of(tf.constant(1.0)))).dy(0);
    }

    private static Operand<TFloat64> cst(Ops tf, double v) {
        return tf.constant(v);
    }

    /** The length of a vector, as a scalar. */
    private static Operand<TInt32> size(Ops tf, Operand<TInt32> x) {
        return tf.reshape(tf.shape(x), tf.constant(new int[0]));
    }

    @SafeVarargs
    private static Operand<TInt32> dims(Ops tf, Operand<TInt32>... d) {
        return tf.stack(List.of(d));
    }
}
