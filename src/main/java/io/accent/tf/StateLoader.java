package io.accent.tf;

import io.accent.core.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The assign ops of a training graph's state (weights, then optimizer variables) and the loading of
 * a {@link ParameterSet} through them: one definition for the NCF and RCF training graphs.
 */
public final class StateLoader {

    /** The starting value of an optimizer variable that the loaded state lacks. */
    @FunctionalInterface
    public interface Fresh {
        float[] value(String name, long[] shape);
    }

    private final List<String> names;
    private final List<Variable<TFloat32>> state;
    private final int weights;
    private final List<Placeholder<TFloat32>> inputs = new ArrayList<>();
    private final List<Op> assigns = new ArrayList<>();

    /**
     * Adds one placeholder and assign op per variable of {@code state} to the graph of {@code tf}.
     *
     * @param names the name of each variable in a {@link ParameterSet}
     * @param weights how many leading variables are weights (a state must hold them)
     */
    public StateLoader(Ops tf, List<String> names, List<Variable<TFloat32>> state, int weights) {
        this.names = List.copyOf(names);
        this.state = List.copyOf(state);
        this.weights = weights;
        for (Variable<TFloat32> v : this.state) {
            Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
            inputs.add(in);
            assigns.add(tf.assign(v, in));
        }
    }

    /**
     * Assigns every variable from {@code values} in one session call; an optimizer variable that
     * {@code values} lacks starts at {@code fresh}. A missing weight or a shape that differs from
     * the graph's is a {@link ModelException}.
     */
    public void load(Session session, ParameterSet values, Fresh fresh) {
        List<Tensor> tensors = new ArrayList<>();
        try {
            var runner = session.runner();
            for (int k = 0; k < names.size(); k++) {
                String n = names.get(k);
                long[] shape = state.get(k).shape().asArray();
                float[] data;
                var found = values.find(n);
                if (found.isPresent()) {
                    if (!Arrays.equals(found.get().shape(), shape)) {
                        throw new ModelException(
                                "variable "
                                        + n
                                        + " has shape "
                                        + Arrays.toString(found.get().shape())
                                        + ", the graph needs "
                                        + Arrays.toString(shape));
                    }
                    data = found.get().data();
                } else if (k < weights) {
                    throw new ModelException("model state lacks variable " + n);
                } else {
                    data = fresh.value(n, shape);
                }
                TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
                tensors.add(t);
                runner.feed(inputs.get(k), t).addTarget(assigns.get(k));
            }
            runner.run().close();
        } finally {
            tensors.forEach(Tensor::close);
        }
    }
}
