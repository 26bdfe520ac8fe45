package io.accent.ncf;

import static io.accent.tf.Float64Tensors.constant;
import static io.accent.tf.Float64Tensors.read;

import io.accent.tf.ParameterSet;
import io.accent.tf.TfSessions;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Float64 TensorFlow graph of NCF restricted to embedding rows, for influence. A "side vector" is
 * the concatenation of a user's (or an item's) MLP and GMF embedding rows, D = 2E values; the dense
 * layers are constants. It computes, with TensorFlow's autodiff (double backprop where needed):
 *
 * <ul>
 *   <li>{@link #pairs}: scores ŷ of (user vector, item vector) rows and their per-row gradients
 *       with respect to both side vectors;
 *   <li>{@link #hessians}: for slots of one side (one per user, or one per item), the Hessian of
 *       Σ_rows (ŷ − r)² with respect to the slot's side vector, every row holding the other side
 *       fixed. The D Hessian-vector products with unit vectors are computed in one pass by
 *       replicating the rows D times, and summed per slot inside the graph;
 *   <li>{@link #hvp}: one Hessian-vector product of the 2D-parameter problem of one (u, i) pair
 *       (the reference design: one session call per product).
 * </ul>
 */
final class NcfInfluenceGraph implements AutoCloseable {

    enum Side {
        USER,
        ITEM
    }

    private final int e;
    private final int d;
    private final Graph graph;
    private final Session session;

    private final Placeholder<TFloat64> pairU;
    private final Placeholder<TFloat64> pairI;
    private final Operand<TFloat64> pairScore;
    private final Output<TFloat64> pairGradU;
    private final Output<TFloat64> pairGradI;

    private final HessianOp[] hess = new HessianOp[2];

    private final Placeholder<TFloat64> hvpThetaU;
    private final Placeholder<TFloat64> hvpThetaI;
    private final Placeholder<TFloat64> hvpItemsOfU;
    private final Placeholder<TFloat64> hvpRatingsOfU;
    private final Placeholder<TInt32> hvpZerosU;
    private final Placeholder<TFloat64> hvpUsersOfI;
    private final Placeholder<TFloat64> hvpRatingsOfI;
    private final Placeholder<TInt32> hvpZerosI;
    private final Placeholder<TFloat64> hvpDirU;
    private final Placeholder<TFloat64> hvpDirI;
    private final Output<TFloat64> hvpOutU;
    private final Output<TFloat64> hvpOutI;
    private final Output<TFloat64> hvpGradU;
    private final Output<TFloat64> hvpGradI;

    private record HessianOp(
            Placeholder<TFloat64> x,
            Placeholder<TFloat64> other,
            Placeholder<TFloat64> ratings,
            Placeholder<TInt32> slots,
            Placeholder<TInt32> numSlots,
            Operand<TFloat64> hessian) {}

    NcfInfluenceGraph(ParameterSet weights, int threads) {
        this.e = weights.get("P_mlp").rowSize();
        this.d = 2 * e;
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            NcfNetwork.Dense<TFloat64> dense =
                    new NcfNetwork.Dense<>(
                            constant(tf, weights.get("W1")), constant(tf, weights.get("b1")),
                            constant(tf, weights.get("W2")), constant(tf, weights.get("b2")),
                            constant(tf, weights.get("W3")), constant(tf, weights.get("b3")));
            double[][] selMlp = new double[d][e];
            double[][] selGmf = new double[d][e];
            for (int k = 0; k < e; k++) {
                selMlp[k][k] = 1;
                selGmf[e + k][k] = 1;
            }
            Operand<TFloat64> sm = tf.constant(selMlp);
            Operand<TFloat64> sg = tf.constant(selGmf);
            Scorer f =
                    (u, i) ->
                            NcfNetwork.scoreRows(
                                    tf,
                                    tf.linalg.matMul(u, sm),
                                    tf.linalg.matMul(i, sm),
                                    tf.linalg.matMul(u, sg),
                                    tf.linalg.matMul(i, sg),
                                    dense);

            // per-row scores and gradients
            pairU = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, d)));
            pairI = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, d)));
            pairScore = f.score(pairU, pairI);
            Gradients pg =
                    tf.gradients(
                            tf.reduceSum(pairScore, tf.constant(0)),
                            List.of(pairU, pairI),
                            Gradients.dx(List.of(tf.constant(1.0))));
            pairGradU = pg.dy(0);
            pairGradI = pg.dy(1);

            hess[Side.USER.ordinal()] = hessianOp(tf, f, Side.USER);
            hess[Side.ITEM.ordinal()] = hessianOp(tf, f, Side.ITEM);

            // reference design: HVP of one (u, i) problem over Z_u ∪ Z_i
            hvpThetaU = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(1, d)));
            hvpThetaI = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(1, d)));
            hvpItemsOfU = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, d)));
            hvpRatingsOfU = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
            hvpZerosU = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            hvpUsersOfI = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, d)));
            hvpRatingsOfI = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
            hvpZerosI = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            hvpDirU = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(1, d)));
            hvpDirI = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(1, d)));
            Operand<TInt32> axis0 = tf.constant(0);
            Operand<TFloat64> errU =
                    tf.math.sub(
                            f.score(tf.gather(hvpThetaU, hvpZerosU, axis0), hvpItemsOfU),
                            hvpRatingsOfU);
            Operand<TFloat64> errI =
                    tf.math.sub(
                            f.score(hvpUsersOfI, tf.gather(hvpThetaI, hvpZerosI, axis0)),
                            hvpRatingsOfI);
            Operand<TFloat64> loss =
                    tf.math.add(
                            tf.reduceSum(tf.math.square(errU), axis0),
                            tf.reduceSum(tf.math.square(errI), axis0));
            Gradients g1 =
                    tf.gradients(
                            loss,
                            List.of(hvpThetaU, hvpThetaI),
                            Gradients.dx(List.of(tf.constant(1.0))));
            hvpGradU = g1.dy(0);
            hvpGradI = g1.dy(1);
            Operand<TFloat64> dot =
                    tf.math.add(
                            tf.reduceSum(
                                    tf.math.mul(g1.<TFloat64>dy(0), hvpDirU),
                                    tf.constant(new int[] {0, 1})),
                            tf.reduceSum(
                                    tf.math.mul(g1.<TFloat64>dy(1), hvpDirI),
                                    tf.constant(new int[] {0, 1})));
            Gradients g2 =
                    tf.gradients(
                            dot,
                            List.of(hvpThetaU, hvpThetaI),
                            Gradients.dx(List.of(tf.constant(1.0))));
            hvpOutU = g2.dy(0);
            hvpOutI = g2.dy(1);

            session = TfSessions.open(graph, threads);
        } catch (RuntimeException ex) {
            graph.close();
            throw ex;
        }
    }

    @FunctionalInterface
    private interface Scorer {
        Operand<TFloat64> score(Operand<TFloat64> user, Operand<TFloat64> item);
    }

    private HessianOp hessianOp(Ops tf, Scorer f, Side side) {
        Placeholder<TFloat64> x =
                tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, d)));
        Placeholder<TFloat64> other =
                tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, d)));
        Placeholder<TFloat64> ratings =
                tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
        Placeholder<TInt32> slots = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        Placeholder<TInt32> numSlots =
                tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
        // replicate every row d times: copy c of row r sits at c·R + r
        Operand<TInt32> rep3 = tf.constant(new int[] {d, 1, 1});
        Operand<TInt32> flat2 = tf.constant(new int[] {-1, d});
        Operand<TFloat64> y = tf.reshape(tf.tile(tf.expandDims(x, tf.constant(0)), rep3), flat2);
        Operand<TFloat64> o =
                tf.reshape(tf.tile(tf.expandDims(other, tf.constant(0)), rep3), flat2);
        Operand<TFloat64> r =
                tf.reshape(
                        tf.tile(
                                tf.expandDims(ratings, tf.constant(0)),
                                tf.constant(new int[] {d, 1})),
                        tf.constant(new int[] {-1}));
        Operand<TFloat64> pred = side == Side.USER ? f.score(y, o) : f.score(o, y);
        Operand<TFloat64> loss = tf.reduceSum(tf.math.square(tf.math.sub(pred, r)), tf.constant(0));
        Gradients g = tf.gradients(loss, List.of(y), Gradients.dx(List.of(tf.constant(1.0))));
        double[][][] eye = new double[d][1][d];
        for (int k = 0; k < d; k++) {
            eye[k][0][k] = 1;
        }
        Operand<TFloat64> g3 = tf.reshape(g.<TFloat64>dy(0), tf.constant(new int[] {d, -1, d}));
        Operand<TFloat64> dirDot =
                tf.reduceSum(tf.math.mul(g3, tf.constant(eye)), tf.constant(new int[] {0, 1, 2}));
        Gradients h = tf.gradients(dirDot, List.of(y), Gradients.dx(List.of(tf.constant(1.0))));
        // [d·R, d] -> [d, R, d] -> [R, d(column), d] -> summed per slot: [S, d, d]
        Operand<TFloat64> perRow =
                tf.linalg.transpose(
                        tf.reshape(h.<TFloat64>dy(0), tf.constant(new int[] {d, -1, d})),
                        tf.constant(new int[] {1, 0, 2}));
        Operand<TFloat64> perSlot = tf.math.unsortedSegmentSum(perRow, slots, numSlots);
        return new HessianOp(x, other, ratings, slots, numSlots, perSlot);
    }

    /** D, the length of a side vector. */
    int sideDimension() {
        return d;
    }

    /** Scores and per-row gradients of {@code rows} (user vector, item vector) pairs. */
    record PairGradients(double[] scores, double[] gradUser, double[] gradItem) {}

    PairGradients pairs(double[] users, double[] items, int rows) {
        List<Tensor> in = new ArrayList<>();
        try {
            TFloat64 u = matrix(users, rows, in);
            TFloat64 i = matrix(items, rows, in);
            try (Result r =
                    session.runner()
                            .feed(pairU, u)
                            .feed(pairI, i)
                            .fetch(pairScore)
                            .fetch(pairGradU)
                            .fetch(pairGradI)
                            .run()) {
                return new PairGradients(read(r.get(0)), read(r.get(1)), read(r.get(2)));
            }
        } finally {
            in.forEach(Tensor::close);
        }
    }

    /**
     * Summed Hessians per slot, row-major [numSlots][d][d].
     *
     * @param side which side the slot vectors {@code x} are (the other side is held fixed)
     * @param x per-row slot vector (the slot's side vector repeated for each of its rows), rows×d
     * @param other per-row vector of the other side, rows×d
     * @param ratings per-row rating
     * @param slots per-row slot index in [0, numSlots)
     */
    double[] hessians(
            Side side, double[] x, double[] other, double[] ratings, int[] slots, int numSlots) {
        HessianOp op = hess[side.ordinal()];
        int rows = ratings.length;
        List<Tensor> in = new ArrayList<>();
        try {
            TFloat64 tx = matrix(x, rows, in);
            TFloat64 to = matrix(other, rows, in);
            TFloat64 tr = TFloat64.vectorOf(ratings);
            in.add(tr);
            TInt32 ts = TInt32.vectorOf(slots);
            in.add(ts);
            TInt32 tn = TInt32.scalarOf(numSlots);
            in.add(tn);
            try (Result r =
                    session.runner()
                            .feed(op.x(), tx)
                            .feed(op.other(), to)
                            .feed(op.ratings(), tr)
                            .feed(op.slots(), ts)
                            .feed(op.numSlots(), tn)
                            .fetch(op.hessian())
                            .run()) {
                return read(r.get(0));
            }
        } finally {
            in.forEach(Tensor::close);
        }
    }

    /**
     * The sums of {@link #hessians} from first derivatives only, one gradient pass per row instead
     * of D Hessian-vector products. The score is piecewise linear in either side vector with the
     * other held fixed (the MLP's layers are affine maps and ReLUs, the GMF product is linear in
     * each factor, the output layer is affine), so ∇²ŷ is zero wherever it exists and the Hessian
     * of (ŷ − r)² is exactly 2∇ŷ∇ŷᵀ (docs/SPEC.md §3.3); TensorFlow's double backprop gives the
     * same, as the tests check.
     *
     * @param side which side the slot vectors {@code x} are (the other side is held fixed)
     * @param x per-row slot vector, rows×d
     * @param other per-row vector of the other side, rows×d
     * @param slots per-row slot index in [0, numSlots)
     */
    double[] gaussNewton(Side side, double[] x, double[] other, int[] slots, int numSlots) {
        int rows = slots.length;
        if (rows == 0) {
            return new double[numSlots * d * d];
        }
        PairGradients g = side == Side.USER ? pairs(x, other, rows) : pairs(other, x, rows);
        return outerSums(side == Side.USER ? g.gradUser() : g.gradItem(), slots, numSlots, d);
    }

    /**
     * Σ 2·g_r g_rᵀ per slot over the first {@code slots.length} rows of {@code grads} (rows×d),
     * row-major [numSlots][d][d], exactly symmetric.
     */
    static double[] outerSums(double[] grads, int[] slots, int numSlots, int d) {
        double[] h = new double[numSlots * d * d];
        for (int r = 0; r < slots.length; r++) {
            int base = slots[r] * d * d;
            int off = r * d;
            for (int a = 0; a < d; a++) {
                double ga = 2 * grads[off + a];
                if (ga == 0) {
                    continue;
                }
                int row = base + a * d;
                for (int b = a; b < d; b++) {
                    h[row + b] += ga * grads[off + b];
                }
            }
        }
        for (int s = 0; s < numSlots; s++) {
            int base = s * d * d;
            for (int a = 0; a < d; a++) {
                for (int b = a + 1; b < d; b++) {
                    h[base + b * d + a] = h[base + a * d + b];
                }
            }
        }
        return h;
    }

    /**
     * Inputs of one (u, i) problem for {@link #hvp}: Z_u rows (item vectors, ratings), Z_i rows.
     */
    record PairProblem(
            double[] thetaUser,
            double[] thetaItem,
            double[] itemsOfUser,
            double[] ratingsOfUser,
            double[] usersOfItem,
            double[] ratingsOfItem) {}

    /**
     * One Hessian-vector product of Σ_{Z_u ∪ Z_i} (ŷ − r)² with respect to (θ_u, θ_i), and the
     * gradient; the result is [hvp_u, hvp_i, grad_u, grad_i], each of length d.
     */
    double[] hvp(PairProblem p, double[] dirUser, double[] dirItem) {
        List<Tensor> in = new ArrayList<>();
        try {
            int ru = p.ratingsOfUser().length;
            int ri = p.ratingsOfItem().length;
            var runner =
                    session.runner()
                            .feed(hvpThetaU, matrix(p.thetaUser(), 1, in))
                            .feed(hvpThetaI, matrix(p.thetaItem(), 1, in))
                            .feed(hvpItemsOfU, matrix(p.itemsOfUser(), ru, in))
                            .feed(hvpRatingsOfU, vector(p.ratingsOfUser(), in))
                            .feed(hvpZerosU, zeros(ru, in))
                            .feed(hvpUsersOfI, matrix(p.usersOfItem(), ri, in))
                            .feed(hvpRatingsOfI, vector(p.ratingsOfItem(), in))
                            .feed(hvpZerosI, zeros(ri, in))
                            .feed(hvpDirU, matrix(dirUser, 1, in))
                            .feed(hvpDirI, matrix(dirItem, 1, in));
            try (Result r =
                    runner.fetch(hvpOutU).fetch(hvpOutI).fetch(hvpGradU).fetch(hvpGradI).run()) {
                double[] out = new double[4 * d];
                for (int k = 0; k < 4; k++) {
                    System.arraycopy(read(r.get(k)), 0, out, k * d, d);
                }
                return out;
            }
        } finally {
            in.forEach(Tensor::close);
        }
    }

    private TFloat64 matrix(double[] v, int rows, List<Tensor> keep) {
        TFloat64 t = TFloat64.tensorOf(Shape.of(rows, d), DataBuffers.of(v, true, false));
        keep.add(t);
        return t;
    }

    private static TFloat64 vector(double[] v, List<Tensor> keep) {
        TFloat64 t = TFloat64.vectorOf(v);
        keep.add(t);
        return t;
    }

    private static TInt32 zeros(int n, List<Tensor> keep) {
        TInt32 t = TInt32.vectorOf(new int[n]);
        keep.add(t);
        return t;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
