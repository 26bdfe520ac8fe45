package io.accent.rcf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;

/**
 * The fed placeholders of one batch of scored (user, target) rows and their neighbour-list entries
 * per relation type (docs/SPEC.md §4.2), for one model (rank 1: [S], [E_t]) or for stacked copies
 * (rank 2: [B, S], [B, E_t]); shared by {@link RcfTrainingGraph} and {@link
 * RcfStackedTrainingGraph}.
 */
record RcfListInputs(
        Placeholder<TInt32> users,
        Placeholder<TInt32> targets,
        List<Placeholder<TInt32>> rows,
        List<Placeholder<TInt32>> items,
        List<Placeholder<TInt32>> values) {

    /**
     * Placeholders of the given rank (1: one model, 2: a copy axis first) for {@code types} = K + 1
     * relation types.
     */
    static RcfListInputs create(Ops tf, int rank, int types) {
        long[] dims = new long[rank];
        java.util.Arrays.fill(dims, -1);
        Shape shape = Shape.of(dims);
        List<Placeholder<TInt32>> r = new ArrayList<>();
        List<Placeholder<TInt32>> i = new ArrayList<>();
        List<Placeholder<TInt32>> v = new ArrayList<>();
        for (int t = 0; t < types; t++) {
            r.add(placeholder(tf, shape));
            i.add(placeholder(tf, shape));
            v.add(placeholder(tf, shape));
        }
        return new RcfListInputs(placeholder(tf, shape), placeholder(tf, shape), r, i, v);
    }

    private static Placeholder<TInt32> placeholder(Ops tf, Shape shape) {
        return tf.placeholder(TInt32.class, Placeholder.shape(shape));
    }

    RcfNetwork.Lists lists() {
        return new RcfNetwork.Lists(List.copyOf(rows), List.copyOf(items), List.copyOf(values));
    }

    /** Feeds the tensors of one batch; each is added to {@code open} to be closed by the caller. */
    void feed(
            Session.Runner runner,
            TInt32 userIds,
            TInt32 targetIds,
            TInt32[] rowIds,
            TInt32[] itemIds,
            TInt32[] valueIds,
            List<Tensor> open) {
        open.add(userIds);
        open.add(targetIds);
        runner.feed(users, userIds);
        runner.feed(targets, targetIds);
        for (int t = 0; t < rows.size(); t++) {
            open.add(rowIds[t]);
            open.add(itemIds[t]);
            open.add(valueIds[t]);
            runner.feed(rows.get(t), rowIds[t]);
            runner.feed(items.get(t), itemIds[t]);
            runner.feed(values.get(t), valueIds[t]);
        }
    }
}
