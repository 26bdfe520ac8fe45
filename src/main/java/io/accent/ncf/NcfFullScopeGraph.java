package io.accent.ncf;

import static io.accent.tf.Float64Tensors.constant;
import static io.accent.tf.Float64Tensors.read;

import io.accent.influence.Curvature;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import io.accent.tf.TfSessions;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
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
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Float64 TensorFlow graph of NCF over all of its parameters, for the full-scope influence
 * (docs/SPEC.md §11.3). The parameters are one flat vector θ, the ten tensors of {@link
 * NcfNetwork#VARIABLES} in that order, each row-major. It computes:
 *
 * <ul>
 *   <li>{@link #rows}: scores of (user, item) rows and each row's gradient ∇θŷ, kept sparse: the
 *       user's embedding rows (P_mlp[u], P_gmf[u]), the item's (Q_mlp[i], Q_gmf[i]) and the dense
 *       layers (W1..b3), 2E + 2E + 689 values for E = 16;
 *   <li>{@link #curvatureProducts}: products of the curvature of Σ_rows (ŷ − r)² with several
 *       directions at once, as a [P, m] block (one column per direction). Gauss-Newton: 2JᵀJV with
 *       J the rows' Jacobian, from first derivatives, the rows' backward quantities reused for
 *       every direction; exact: the Hessian, by double backprop through m stacked copies of the
 *       network (copy b is differentiated along direction b).
 * </ul>
 *
 * Indices are int32 throughout: TensorFlow Java 1.1.0's double backprop fails on int64 index
 * constants.
 */
final class NcfFullScopeGraph implements AutoCloseable {

    private final int users;
    private final int items;
    private final int e;
    private final int dense;
    private final long[] offsets;
    private final long parameterCount;
    private final Graph graph;
    private final Session session;

    private final Placeholder<TInt32> rowUsers;
    private final Placeholder<TInt32> rowItems;
    private final Placeholder<TFloat64> rowRatings;
    private final Placeholder<TFloat64> directions;

    private final Operand<TFloat64> score;
    private final Operand<TFloat64> gradUser;
    private final Operand<TFloat64> gradItem;
    private final Operand<TFloat64> gradDense;
    private final Operand<TFloat64> denseGram;
    private final Operand<TFloat64> gaussNewton;
    private final Operand<TFloat64> exact;

    NcfFullScopeGraph(ParameterSet weights, int threads) {
        this.users = weights.get("P_mlp").rows();
        this.items = weights.get("Q_mlp").rows();
        this.e = weights.get("P_mlp").rowSize();
        this.offsets = new long[NcfNetwork.VARIABLES.size() + 1];
        for (int v = 0; v < NcfNetwork.VARIABLES.size(); v++) {
            offsets[v + 1] = offsets[v] + weights.get(NcfNetwork.VARIABLES.get(v)).data().length;
        }
        this.parameterCount = offsets[offsets.length - 1];
        this.dense = (int) (parameterCount - offsets[4]);
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            List<Operand<TFloat64>> theta = new ArrayList<>();
            for (String n : NcfNetwork.VARIABLES) {
                theta.add(constant(tf, weights.get(n)));
            }
            rowUsers = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            rowItems = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            rowRatings = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
            directions =
                    tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(parameterCount, -1)));
            Operand<TInt32> axis0 = tf.constant(0);
            Operand<TInt32> axis1 = tf.constant(1);

            // forward pass with its intermediates (the layers of NcfNetwork.scoreRows)
            Operand<TFloat64> pm = tf.gather(theta.get(0), rowUsers, axis0);
            Operand<TFloat64> qm = tf.gather(theta.get(1), rowItems, axis0);
            Operand<TFloat64> pg = tf.gather(theta.get(2), rowUsers, axis0);
            Operand<TFloat64> qg = tf.gather(theta.get(3), rowItems, axis0);
            Operand<TFloat64> a = tf.concat(List.of(pm, qm), axis1);
            Operand<TFloat64> zero = tf.constant(0.0);
            Operand<TFloat64> z1 = tf.math.add(tf.linalg.matMul(a, theta.get(4)), theta.get(5));
            Operand<TFloat64> h1 = tf.math.maximum(z1, zero);
            Operand<TFloat64> z2 = tf.math.add(tf.linalg.matMul(h1, theta.get(6)), theta.get(7));
            Operand<TFloat64> h2 = tf.math.maximum(z2, zero);
            Operand<TFloat64> g = tf.math.mul(pg, qg);
            Operand<TFloat64> c = tf.concat(List.of(h2, g), axis1);
            score =
                    tf.reshape(
                            tf.math.add(tf.linalg.matMul(c, theta.get(8)), theta.get(9)),
                            tf.constant(new int[] {-1}));
            Gradients dy =
                    tf.gradients(
                            tf.reduceSum(score, axis0),
                            List.of(pm, qm, pg, qg, z1, z2),
                            Gradients.dx(List.of(tf.constant(1.0))));
            Operand<TFloat64> gpm = dy.dy(0);
            Operand<TFloat64> gqm = dy.dy(1);
            Operand<TFloat64> gpg = dy.dy(2);
            Operand<TFloat64> gqg = dy.dy(3);
            Operand<TFloat64> d1 = dy.dy(4);
            Operand<TFloat64> d2 = dy.dy(5);
            gradUser = tf.concat(List.of(gpm, gpg), axis1);
            gradItem = tf.concat(List.of(gqm, gqg), axis1);
            Operand<TFloat64> ones = tf.onesLike(tf.expandDims(score, axis1));
            gradDense =
                    tf.concat(List.of(outer(tf, a, d1), d1, outer(tf, h1, d2), d2, c, ones), axis1);

            denseGram = tf.linalg.matMul(gradDense, gradDense, MatMul.transposeA(true));

            // Gauss-Newton products: w = 2·J·V per row and direction, then Jᵀw
            List<Operand<TFloat64>> dir = new ArrayList<>();
            for (int v = 0; v < NcfNetwork.VARIABLES.size(); v++) {
                dir.add(
                        tf.slice(
                                directions,
                                tf.constant(new long[] {offsets[v], 0}),
                                tf.constant(new long[] {offsets[v + 1] - offsets[v], -1})));
            }
            Operand<TInt32> m =
                    tf.slice(
                            tf.shape(directions),
                            tf.constant(new int[] {1}),
                            tf.constant(new int[] {1}));
            Operand<TFloat64> jv =
                    sum(
                            tf,
                            List.of(
                                    embeddingDot(tf, dir.get(0), gpm, rowUsers, m),
                                    embeddingDot(tf, dir.get(1), gqm, rowItems, m),
                                    embeddingDot(tf, dir.get(2), gpg, rowUsers, m),
                                    embeddingDot(tf, dir.get(3), gqg, rowItems, m),
                                    bilinear(tf, a, dir.get(4), d1, m),
                                    tf.linalg.matMul(d1, dir.get(5)),
                                    bilinear(tf, h1, dir.get(6), d2, m),
                                    tf.linalg.matMul(d2, dir.get(7)),
                                    tf.linalg.matMul(c, dir.get(8)),
                                    tf.linalg.matMul(ones, dir.get(9))));
            Operand<TFloat64> w = tf.math.mul(jv, tf.constant(2.0));
            MatMul.Options tA = MatMul.transposeA(true);
            gaussNewton =
                    tf.concat(
                            List.of(
                                    embeddingScatter(tf, gpm, w, rowUsers, users, m),
                                    embeddingScatter(tf, gqm, w, rowItems, items, m),
                                    embeddingScatter(tf, gpg, w, rowUsers, users, m),
                                    embeddingScatter(tf, gqg, w, rowItems, items, m),
                                    tf.reshape(
                                            tf.linalg.matMul(a, weighted(tf, d1, w, m), tA),
                                            rowsByM(tf, -1, m)),
                                    tf.linalg.matMul(d1, w, tA),
                                    tf.reshape(
                                            tf.linalg.matMul(h1, weighted(tf, d2, w, m), tA),
                                            rowsByM(tf, -1, m)),
                                    tf.linalg.matMul(d2, w, tA),
                                    tf.linalg.matMul(c, w, tA),
                                    tf.linalg.matMul(ones, w, tA)),
                            axis0);

            exact = exactProducts(tf, weights, dir, m);
            session = TfSessions.open(graph, threads);
        } catch (RuntimeException ex) {
            graph.close();
            throw ex;
        }
    }

    private static Operand<TFloat64> sum(Ops tf, List<Operand<TFloat64>> terms) {
        Operand<TFloat64> out = terms.get(0);
        for (int k = 1; k < terms.size(); k++) {
            out = tf.math.add(out, terms.get(k));
        }
        return out;
    }

    /** Per-row outer products x_r ⊗ y_r, flattened row-major: [R, |x|·|y|]. */
    private static Operand<TFloat64> outer(Ops tf, Operand<TFloat64> x, Operand<TFloat64> y) {
        long nx = x.shape().size(1);
        long ny = y.shape().size(1);
        return tf.reshape(
                tf.math.mul(tf.expandDims(x, tf.constant(2)), tf.expandDims(y, tf.constant(1))),
                tf.constant(new long[] {-1, nx * ny}));
    }

    /** The shape [rows, m] as a tensor. */
    private static Operand<TInt32> rowsByM(Ops tf, int rows, Operand<TInt32> m) {
        return tf.concat(List.of(tf.constant(new int[] {rows}), m), tf.constant(0));
    }

    /** Σ_k D[idx_r, k, b]·grad[r, k] for the direction block D of a table: [R, m]. */
    private Operand<TFloat64> embeddingDot(
            Ops tf,
            Operand<TFloat64> block,
            Operand<TFloat64> grad,
            Operand<TInt32> idx,
            Operand<TInt32> m) {
        Operand<TFloat64> table =
                tf.reshape(
                        block,
                        tf.concat(List.of(tf.constant(new int[] {-1, e}), m), tf.constant(0)));
        Operand<TFloat64> rows = tf.gather(table, idx, tf.constant(0));
        return tf.reduceSum(tf.math.mul(rows, tf.expandDims(grad, tf.constant(2))), tf.constant(1));
    }

    /** Σ_r grad[r, k]·w[r, b] summed into the table row idx_r: [n·E, m]. */
    private Operand<TFloat64> embeddingScatter(
            Ops tf,
            Operand<TFloat64> grad,
            Operand<TFloat64> w,
            Operand<TInt32> idx,
            int n,
            Operand<TInt32> m) {
        Operand<TFloat64> per =
                tf.math.mul(tf.expandDims(grad, tf.constant(2)), tf.expandDims(w, tf.constant(1)));
        return tf.reshape(
                tf.math.unsortedSegmentSum(per, idx, tf.constant(n)), rowsByM(tf, n * e, m));
    }

    /** Σ_{j,k} x[r, j]·D[j, k, b]·y[r, k] for the direction block D of a weight matrix: [R, m]. */
    private static Operand<TFloat64> bilinear(
            Ops tf,
            Operand<TFloat64> x,
            Operand<TFloat64> block,
            Operand<TFloat64> y,
            Operand<TInt32> m) {
        int ni = (int) x.shape().size(1);
        int nk = (int) y.shape().size(1);
        Operand<TFloat64> xd =
                tf.linalg.matMul(
                        x,
                        tf.reshape(
                                block,
                                tf.concat(
                                        List.of(
                                                tf.constant(new int[] {ni}),
                                                tf.math.mul(m, tf.constant(nk))),
                                        tf.constant(0))));
        Operand<TFloat64> r3 =
                tf.reshape(
                        xd, tf.concat(List.of(tf.constant(new int[] {-1, nk}), m), tf.constant(0)));
        return tf.reduceSum(tf.math.mul(r3, tf.expandDims(y, tf.constant(2))), tf.constant(1));
    }

    /** y[r, k]·w[r, b] flattened to [R, |y|·m] (k major). */
    private static Operand<TFloat64> weighted(
            Ops tf, Operand<TFloat64> y, Operand<TFloat64> w, Operand<TInt32> m) {
        int nk = (int) y.shape().size(1);
        return tf.reshape(
                tf.math.mul(tf.expandDims(y, tf.constant(2)), tf.expandDims(w, tf.constant(1))),
                tf.concat(
                        List.of(tf.constant(new int[] {-1}), tf.math.mul(m, tf.constant(nk))),
                        tf.constant(0)));
    }

    /**
     * Exact Hessian products: m stacked copies of the network, copy b at θ (θ_b = θ + 0·V_b, so
     * that the copies are separate tensors to differentiate), loss Σ_b Σ_rows (ŷ_b − r)², its
     * gradient per copy g_b, then ∇(Σ_b g_b·V_b) = (H V_b)_b.
     */
    private Operand<TFloat64> exactProducts(
            Ops tf, ParameterSet weights, List<Operand<TFloat64>> dir, Operand<TInt32> m) {
        List<Operand<TFloat64>> stacked = new ArrayList<>();
        List<Operand<TFloat64>> dirs = new ArrayList<>();
        for (int v = 0; v < NcfNetwork.VARIABLES.size(); v++) {
            NamedArray arr = weights.get(NcfNetwork.VARIABLES.get(v));
            int rank = arr.shape().length;
            int[] shape = new int[rank];
            for (int k = 0; k < rank; k++) {
                shape[k] = (int) arr.shape()[k];
            }
            // [size, m] -> [shape..., m] -> [m, shape...]
            Operand<TFloat64> dv =
                    tf.reshape(
                            dir.get(v), tf.concat(List.of(tf.constant(shape), m), tf.constant(0)));
            int[] perm = new int[rank + 1];
            perm[0] = rank;
            for (int k = 0; k < rank; k++) {
                perm[k + 1] = k;
            }
            dv = tf.linalg.transpose(dv, tf.constant(perm));
            dirs.add(dv);
            stacked.add(
                    tf.math.add(
                            tf.expandDims(constant(tf, arr), tf.constant(0)),
                            tf.math.mul(dv, tf.constant(0.0))));
        }
        Operand<TInt32> mScalar = tf.reshape(m, tf.constant(new int[0]));
        Operand<TInt32> copy =
                tf.expandDims(tf.range(tf.constant(0), mScalar, tf.constant(1)), tf.constant(1));
        Operand<TInt32> ui =
                tf.math.add(
                        tf.expandDims(rowUsers, tf.constant(0)),
                        tf.math.mul(copy, tf.constant(users)));
        Operand<TInt32> ii =
                tf.math.add(
                        tf.expandDims(rowItems, tf.constant(0)),
                        tf.math.mul(copy, tf.constant(items)));
        Operand<TInt32> flat = tf.constant(new int[] {-1, e});
        Operand<TInt32> axis0 = tf.constant(0);
        // NcfNetwork.scoreRows's layers per copy (its stacked form needs a static copy count)
        Operand<TInt32> axis2 = tf.constant(2);
        Operand<TFloat64> x =
                tf.concat(
                        List.of(
                                tf.gather(tf.reshape(stacked.get(0), flat), ui, axis0),
                                tf.gather(tf.reshape(stacked.get(1), flat), ii, axis0)),
                        axis2);
        Operand<TFloat64> zero = tf.constant(0.0);
        Operand<TFloat64> h1 =
                tf.math.maximum(batchLayer(tf, x, stacked.get(4), stacked.get(5)), zero);
        Operand<TFloat64> h2 =
                tf.math.maximum(batchLayer(tf, h1, stacked.get(6), stacked.get(7)), zero);
        Operand<TFloat64> gmf =
                tf.math.mul(
                        tf.gather(tf.reshape(stacked.get(2), flat), ui, axis0),
                        tf.gather(tf.reshape(stacked.get(3), flat), ii, axis0));
        Operand<TFloat64> pred =
                tf.squeeze(
                        batchLayer(
                                tf,
                                tf.concat(List.of(h2, gmf), axis2),
                                stacked.get(8),
                                stacked.get(9)),
                        org.tensorflow.op.core.Squeeze.axis(2L));
        Operand<TFloat64> err = tf.math.sub(pred, tf.expandDims(rowRatings, axis0));
        Operand<TFloat64> loss = tf.reduceSum(tf.math.square(err), tf.constant(new int[] {0, 1}));
        Gradients g1 = tf.gradients(loss, stacked, Gradients.dx(List.of(tf.constant(1.0))));
        Operand<TFloat64> dot = null;
        for (int v = 0; v < stacked.size(); v++) {
            int rank = (int) stacked.get(v).shape().numDimensions();
            int[] axes = new int[rank];
            for (int k = 0; k < rank; k++) {
                axes[k] = k;
            }
            Operand<TFloat64> term =
                    tf.reduceSum(tf.math.mul(g1.<TFloat64>dy(v), dirs.get(v)), tf.constant(axes));
            dot = dot == null ? term : tf.math.add(dot, term);
        }
        Gradients g2 = tf.gradients(dot, stacked, Gradients.dx(List.of(tf.constant(1.0))));
        List<Operand<TFloat64>> parts = new ArrayList<>();
        for (int v = 0; v < stacked.size(); v++) {
            int rank = (int) stacked.get(v).shape().numDimensions();
            int[] perm = new int[rank];
            for (int k = 0; k + 1 < rank; k++) {
                perm[k] = k + 1;
            }
            perm[rank - 1] = 0;
            // [m, shape...] -> [shape..., m] -> [size, m]
            parts.add(
                    tf.reshape(
                            tf.linalg.transpose(g2.<TFloat64>dy(v), tf.constant(perm)),
                            rowsByM(tf, -1, m)));
        }
        return tf.concat(parts, tf.constant(0));
    }

    /** x·w + b per copy: x [m, R, in], w [m, in, out], b [m, out]. */
    private static Operand<TFloat64> batchLayer(
            Ops tf, Operand<TFloat64> x, Operand<TFloat64> w, Operand<TFloat64> b) {
        return tf.math.add(
                tf.train.batchMatMul(x, w, TFloat64.class), tf.expandDims(b, tf.constant(1)));
    }

    /** P, the number of parameters. */
    int parameterCount() {
        return (int) parameterCount;
    }

    /** The offset of variable {@code v} (index into {@link NcfNetwork#VARIABLES}) in θ. */
    int offset(int v) {
        return (int) offsets[v];
    }

    /** E, the embedding size. */
    int embeddingSize() {
        return e;
    }

    /** The number of dense-layer parameters (W1..b3), the tail of θ. */
    int denseCount() {
        return dense;
    }

    /**
     * Scores and sparse gradients of rows.
     *
     * @param scores ŷ per row
     * @param user ∂ŷ/∂(P_mlp[u], P_gmf[u]) per row, rows × 2E
     * @param item ∂ŷ/∂(Q_mlp[i], Q_gmf[i]) per row, rows × 2E
     * @param dense ∂ŷ/∂(W1, b1, W2, b2, W3, b3) per row, rows × {@link #denseCount()}
     */
    record RowGradients(double[] scores, double[] user, double[] item, double[] dense) {}

    RowGradients rows(int[] us, int[] is) {
        List<Tensor> in = new ArrayList<>();
        try {
            TInt32 tu = TInt32.vectorOf(us);
            in.add(tu);
            TInt32 ti = TInt32.vectorOf(is);
            in.add(ti);
            try (Result r =
                    session.runner()
                            .feed(rowUsers, tu)
                            .feed(rowItems, ti)
                            .fetch(score)
                            .fetch(gradUser)
                            .fetch(gradItem)
                            .fetch(gradDense)
                            .run()) {
                return new RowGradients(
                        read(r.get(0)), read(r.get(1)), read(r.get(2)), read(r.get(3)));
            }
        } finally {
            in.forEach(Tensor::close);
        }
    }

    /**
     * Scores and sparse gradients of rows, as {@link #rows}, and Σ_rows gᵀg of their dense-layer
     * gradients g (row-major [{@link #denseCount()}]²).
     */
    record RowsWithGram(RowGradients rows, double[] gram) {}

    RowsWithGram rowsWithGram(int[] us, int[] is) {
        List<Tensor> in = new ArrayList<>();
        try {
            TInt32 tu = TInt32.vectorOf(us);
            in.add(tu);
            TInt32 ti = TInt32.vectorOf(is);
            in.add(ti);
            try (Result r =
                    session.runner()
                            .feed(rowUsers, tu)
                            .feed(rowItems, ti)
                            .fetch(score)
                            .fetch(gradUser)
                            .fetch(gradItem)
                            .fetch(denseGram)
                            .run()) {
                return new RowsWithGram(
                        new RowGradients(
                                read(r.get(0)), read(r.get(1)), read(r.get(2)), new double[0]),
                        read(r.get(3)));
            }
        } finally {
            in.forEach(Tensor::close);
        }
    }

    /** Rows of the training data, fed to every product (owned by the caller, who closes them). */
    record RowTensors(TInt32 users, TInt32 items, TFloat64 ratings) implements AutoCloseable {
        static RowTensors of(int[] users, int[] items, double[] ratings) {
            return new RowTensors(
                    TInt32.vectorOf(users), TInt32.vectorOf(items), TFloat64.vectorOf(ratings));
        }

        @Override
        public void close() {
            users.close();
            items.close();
            ratings.close();
        }
    }

    /**
     * The curvature of Σ_rows (ŷ − r)² times each column of {@code block}, row-major [P, m],
     * unscaled (no 1/N, no L2 term, no damping).
     */
    double[] curvatureProducts(Curvature curvature, RowTensors rows, double[] block, int m) {
        try (TFloat64 v =
                TFloat64.tensorOf(
                        Shape.of(parameterCount, m), DataBuffers.of(block, true, false))) {
            var runner =
                    session.runner()
                            .feed(rowUsers, rows.users())
                            .feed(rowItems, rows.items())
                            .feed(directions, v);
            if (curvature == Curvature.EXACT) {
                runner.feed(rowRatings, rows.ratings());
            }
            try (Result r =
                    runner.fetch(curvature == Curvature.EXACT ? exact : gaussNewton).run()) {
                return read(r.get(0));
            }
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
