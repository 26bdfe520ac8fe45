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
 * One TF1 Adagrad update (accum += g²; var −= lr·g/√accum, no epsilon; docs/SPEC.md §4) of a list
 * of variables. As in {@link AdamStep}, every update is gated on every gradient because variable
 * reads alias the variable buffers.
 */
public final class AdagradStep {

    private AdagradStep() {}

    /** The update op: one ApplyAdagrad per variable, run after all gradients are computed. */
    public static Op build(
            Ops tf,
            List<Variable<TFloat32>> vars,
            List<Variable<TFloat32>> accumulators,
            Gradients grads,
            double learningRate) {
        List<Op> gradOps = new ArrayList<>();
        for (int v = 0; v < vars.size(); v++) {
            gradOps.add(tf.identity(grads.dy(v)));
        }
        Ops gated = tf.withControlDependencies(gradOps);
        Operand<TFloat32> lr = tf.constant((float) learningRate);
        List<Op> applies = new ArrayList<>();
        for (int v = 0; v < vars.size(); v++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) (Operand<?>) grads.dy(v);
            applies.add(gated.train.applyAdagrad(vars.get(v), accumulators.get(v), lr, g));
        }
        return tf.withControlDependencies(applies).noOp();
    }
}
