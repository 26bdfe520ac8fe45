package io.accent.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One TF1 Adam update (ApplyAdam with bias-correcting beta powers, docs/SPEC.md §2.4) of a list of
 * variables, built into a graph. Every update is gated on every gradient: variable reads alias the
 * variable buffers, so no update may start while a backward op can still read the old values
 * (without the gate, results depend on the executor's op order).
 */
public final class AdamStep {

    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-8f;

    private AdamStep() {}

    /**
     * @param tf ops for the reads of the beta powers (carrying the previous step's control
     *     dependencies when steps are chained)
     * @param tf0 ops without control dependencies
     * @param slots the Adam moments, m and v per variable, interleaved
     * @param grads gradients of the loss with respect to reads of {@code vars}, in the same order
     * @return the updates: one ApplyAdam per variable, then the two beta-power assignments
     */
    public static List<Op> build(
            Ops tf,
            Ops tf0,
            List<Variable<TFloat32>> vars,
            List<Variable<TFloat32>> slots,
            Variable<TFloat32> beta1Power,
            Variable<TFloat32> beta2Power,
            Gradients grads,
            double learningRate) {
        List<Op> gradOps = new ArrayList<>();
        for (int v = 0; v < vars.size(); v++) {
            gradOps.add(tf0.identity(grads.dy(v)));
        }
        Ops gated = tf0.withControlDependencies(gradOps);
        Operand<TFloat32> b1p = tf.identity(beta1Power);
        Operand<TFloat32> b2p = tf.identity(beta2Power);
        Operand<TFloat32> lr = tf0.constant((float) learningRate);
        Operand<TFloat32> c1 = tf0.constant(BETA1);
        Operand<TFloat32> c2 = tf0.constant(BETA2);
        Operand<TFloat32> eps = tf0.constant(EPSILON);
        List<Op> applies = new ArrayList<>();
        for (int v = 0; v < vars.size(); v++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) grads.dy(v);
            applies.add(
                    gated.train.applyAdam(
                            vars.get(v),
                            slots.get(2 * v),
                            slots.get(2 * v + 1),
                            b1p,
                            b2p,
                            lr,
                            c1,
                            c2,
                            eps,
                            g));
        }
        Ops post = tf0.withControlDependencies(applies);
        List<Op> updates = new ArrayList<>(applies);
        updates.add(post.assign(beta1Power, post.math.mul(b1p, c1)));
        updates.add(post.assign(beta2Power, post.math.mul(b2p, c2)));
        return updates;
    }
}
