package io.accent.modelio;

import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The scoring graph of one model state, built here by a family's code: every array of a {@link
 * ParameterSet} becomes a variable holding its values, and the family's {@link Body} computes
 * {@code score} from the inputs {@code user} and {@code item} (int32, [-1]) and the reads of the
 * variables. This is the only graph that scoring runs: a model directory contributes values, never
 * operations. The same graph is what {@link SavedModels#export} writes for other runtimes. Owns a
 * graph and a session; close it.
 */
public final class ScoringGraph implements AutoCloseable {

    /** Builds the score from the inputs and the variable reads (by name). */
    public interface Body {
        public Operand<TFloat32> score(
                Ops tf,
                Map<String, Operand<TFloat32>> reads,
                Operand<TInt32> user,
                Operand<TInt32> item);
    }

    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TInt32> user;
    private final Placeholder<TInt32> item;
    private final Operand<TFloat32> score;

    /** Builds the graph and assigns {@code state}'s values to its variables. */
    public ScoringGraph(ParameterSet state, Body body) {
        Session s = null;
        try {
            Ops tf = Ops.create(graph);
            List<Placeholder<TFloat32>> ins = new ArrayList<>();
            List<Op> assigns = new ArrayList<>();
            Map<String, Operand<TFloat32>> reads = new LinkedHashMap<>();
            for (NamedArray a : state.arrays()) {
                Variable<TFloat32> v =
                        tf.withName(a.name()).variable(Shape.of(a.shape()), TFloat32.class);
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
                ins.add(in);
                assigns.add(tf.assign(v, in));
                reads.put(a.name(), tf.identity(v));
            }
            user = tf.withName("user").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            item = tf.withName("item").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            score = tf.withName("score").identity(body.score(tf, reads, user, item));
            s = new Session(graph);
            List<Tensor> tensors = new ArrayList<>();
            try {
                var runner = s.runner();
                for (int k = 0; k < ins.size(); k++) {
                    NamedArray a = state.arrays().get(k);
                    TFloat32 t =
                            TFloat32.tensorOf(
                                    Shape.of(a.shape()), DataBuffers.of(a.data(), true, false));
                    tensors.add(t);
                    runner.feed(ins.get(k), t).addTarget(assigns.get(k));
                }
                runner.run().close();
            } finally {
                tensors.forEach(Tensor::close);
            }
            session = s;
        } catch (RuntimeException e) {
            if (s != null) {
                s.close();
            }
            graph.close();
            throw e;
        }
    }

    /** Scores of the pairs (users[b], items[b]) in dense ids, in one session call. */
    public float[] score(int[] users, int[] items) {
        if (users.length != items.length) {
            throw new IllegalArgumentException(
                    users.length + " users but " + items.length + " items");
        }
        try (TInt32 u = TInt32.vectorOf(users);
                TInt32 i = TInt32.vectorOf(items);
                Result r = session.runner().feed(user, u).feed(item, i).fetch(score).run()) {
            float[] out = new float[users.length];
            ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
            return out;
        }
    }

    Session session() {
        return session;
    }

    Placeholder<TInt32> user() {
        return user;
    }

    Placeholder<TInt32> item() {
        return item;
    }

    Operand<TFloat32> scoreOutput() {
        return score;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
