package io.accent.model;

import io.accent.core.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
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
 * SavedModel plumbing shared by the model families: every array of a {@link ParameterSet} becomes a
 * variable, a family-specific body computes {@code score} from {@code user} and {@code item}
 * (int32, [-1]) and the reads of the variables, and the signature {@value #SIGNATURE} exposes it.
 */
final class SavedModels {

    static final String SIGNATURE = Signature.DEFAULT_KEY;
    static final String TAG = SavedModelBundle.DEFAULT_TAG;

    private SavedModels() {}

    /** Builds the score from the inputs and the variable reads (by name). */
    interface Body {
        Operand<TFloat32> score(
                Ops tf,
                Map<String, Operand<TFloat32>> reads,
                Operand<TInt32> user,
                Operand<TInt32> item);
    }

    /** Writes a SavedModel holding {@code state} into the (new) directory {@code dir}. */
    static void export(Path dir, ParameterSet state, Body body) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
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
            Placeholder<TInt32> user =
                    tf.withName("user").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Placeholder<TInt32> item =
                    tf.withName("item").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            Operand<TFloat32> score =
                    tf.withName("score").identity(body.score(tf, reads, user, item));
            try (Session s = new Session(g)) {
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
                Signature sig =
                        Signature.builder(SIGNATURE)
                                .input("user", user)
                                .input("item", item)
                                .output("score", score)
                                .methodName("tensorflow/serving/predict")
                                .build();
                SavedModelBundle.exporter(dir.toString())
                        .withSession(s)
                        .withSignature(sig)
                        .export();
            }
        } catch (IOException e) {
            throw new ModelException(
                    "cannot export SavedModel to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads the SavedModel under {@code dir} and checks its scoring signature. */
    static SavedModelBundle load(Path dir) {
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new ModelException("no SavedModel in " + dir + " (saved_model.pb missing)");
        }
        SavedModelBundle b;
        try {
            b = SavedModelBundle.load(dir.toString(), TAG);
        } catch (RuntimeException e) {
            throw new ModelException("cannot load SavedModel " + dir + ": " + e.getMessage(), e);
        }
        try {
            Signature sig =
                    b.signatures().stream()
                            .filter(s -> s.key().equals(SIGNATURE))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new ModelException(
                                                    "SavedModel "
                                                            + dir
                                                            + " has no '"
                                                            + SIGNATURE
                                                            + "' signature"));
            if (!sig.inputNames().containsAll(List.of("user", "item"))
                    || !sig.outputNames().contains("score")) {
                throw new ModelException(
                        "SavedModel "
                                + dir
                                + ": signature '"
                                + SIGNATURE
                                + "' must take inputs user, item and return score; it has inputs "
                                + sig.inputNames()
                                + " and outputs "
                                + sig.outputNames());
            }
            return b;
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /**
     * Every variable of the bundle: those named in {@code first} in that order, then the rest by
     * name.
     */
    static ParameterSet variables(SavedModelBundle bundle, List<String> first) {
        Graph g = bundle.graph();
        List<String> names = new ArrayList<>();
        for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            if (op.type().equals("VariableV2")) {
                names.add(op.name());
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String n : first) {
            if (names.remove(n)) {
                ordered.add(n);
            }
        }
        names.sort(null);
        ordered.addAll(names);
        var runner = bundle.session().runner();
        ordered.forEach(runner::fetch);
        List<NamedArray> out = new ArrayList<>();
        try (Result r = runner.run()) {
            for (int k = 0; k < ordered.size(); k++) {
                out.add(NamedArray.copyOf(ordered.get(k), (TFloat32) r.get(k)));
            }
        }
        return new ParameterSet(out);
    }
}
