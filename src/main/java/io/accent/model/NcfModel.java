package io.accent.model;

import io.accent.core.ModelException;
import io.accent.data.PreparedDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
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
 * An NCF model served from a TensorFlow SavedModel. The SavedModel holds every variable (weights
 * and Adam state) and one signature, {@value #SIGNATURE}: inputs {@code user}, {@code item} (int32,
 * [-1]), output {@code score} (float32, [-1]).
 */
final class NcfModel implements TrainedModel {

    static final String SIGNATURE = Signature.DEFAULT_KEY;
    static final String TAG = SavedModelBundle.DEFAULT_TAG;

    private final ModelMetadata metadata;
    private final PreparedDataset data;
    private final SavedModelBundle bundle;
    private final SessionFunction scoreFn;

    private NcfModel(ModelMetadata metadata, PreparedDataset data, SavedModelBundle bundle) {
        this.metadata = metadata;
        this.data = data;
        this.bundle = bundle;
        this.scoreFn = bundle.function(SIGNATURE);
    }

    /** Loads the SavedModel under {@code savedModelDir} and checks its signature. */
    static NcfModel load(Path savedModelDir, ModelMetadata metadata, PreparedDataset data) {
        if (!Files.isRegularFile(savedModelDir.resolve("saved_model.pb"))) {
            throw new ModelException("no SavedModel in " + savedModelDir + " (saved_model.pb missing)");
        }
        SavedModelBundle b;
        try {
            b = SavedModelBundle.load(savedModelDir.toString(), TAG);
        } catch (RuntimeException e) {
            throw new ModelException("cannot load SavedModel " + savedModelDir + ": " + e.getMessage(), e);
        }
        try {
            Signature sig = b.signatures().stream().filter(s -> s.key().equals(SIGNATURE)).findFirst()
                    .orElseThrow(() -> new ModelException("SavedModel " + savedModelDir + " has no '"
                            + SIGNATURE + "' signature"));
            if (!sig.inputNames().containsAll(List.of("user", "item")) || !sig.outputNames().contains("score")) {
                throw new ModelException("SavedModel " + savedModelDir + ": signature '" + SIGNATURE
                        + "' must take inputs user, item and return score; it has inputs " + sig.inputNames()
                        + " and outputs " + sig.outputNames());
            }
            return new NcfModel(metadata, data, b);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public PreparedDataset data() {
        return data;
    }

    @Override
    public float[] score(int[] users, int[] items) {
        if (users.length != items.length) {
            throw new IllegalArgumentException(users.length + " users but " + items.length + " items");
        }
        try (TInt32 u = TInt32.vectorOf(users);
                TInt32 i = TInt32.vectorOf(items);
                Result r = scoreFn.call(Map.of("user", u, "item", i))) {
            TFloat32 s = (TFloat32) r.get("score").orElseThrow();
            float[] out = new float[users.length];
            s.asRawTensor().data().asFloats().read(out);
            return out;
        }
    }

    @Override
    public ParameterSet parameters() {
        Graph g = bundle.graph();
        List<String> names = new ArrayList<>();
        for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            if (op.type().equals("VariableV2")) {
                names.add(op.name());
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String n : NcfNetwork.VARIABLES) {
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
                TFloat32 t = (TFloat32) r.get(k);
                float[] d = new float[(int) t.shape().size()];
                t.asRawTensor().data().asFloats().read(d);
                out.add(new NamedArray(ordered.get(k), t.shape().asArray(), d));
            }
        }
        return new ParameterSet(out);
    }

    @Override
    public void close() {
        bundle.close();
    }

    /** Writes a SavedModel holding {@code state} into the (new) directory {@code dir}. */
    static void export(Path dir, ParameterSet state) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            List<Variable<TFloat32>> vars = new ArrayList<>();
            List<Placeholder<TFloat32>> ins = new ArrayList<>();
            List<Op> assigns = new ArrayList<>();
            for (NamedArray a : state.arrays()) {
                Variable<TFloat32> v = tf.withName(a.name()).variable(Shape.of(a.shape()), TFloat32.class);
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
                vars.add(v);
                ins.add(in);
                assigns.add(tf.assign(v, in));
            }
            Placeholder<TInt32> user = tf.withName("user").placeholder(TInt32.class,
                    Placeholder.shape(Shape.of(-1)));
            Placeholder<TInt32> item = tf.withName("item").placeholder(TInt32.class,
                    Placeholder.shape(Shape.of(-1)));
            NcfNetwork.Dense<TFloat32> dense = new NcfNetwork.Dense<>(
                    tf.identity(vars.get(idx(state, "W1"))), tf.identity(vars.get(idx(state, "b1"))),
                    tf.identity(vars.get(idx(state, "W2"))), tf.identity(vars.get(idx(state, "b2"))),
                    tf.identity(vars.get(idx(state, "W3"))), tf.identity(vars.get(idx(state, "b3"))));
            var score = tf.withName("score").identity(NcfNetwork.score(tf,
                    tf.identity(vars.get(idx(state, "P_mlp"))), tf.identity(vars.get(idx(state, "Q_mlp"))),
                    tf.identity(vars.get(idx(state, "P_gmf"))), tf.identity(vars.get(idx(state, "Q_gmf"))),
                    dense, user, item));
            try (Session s = new Session(g)) {
                List<Tensor> tensors = new ArrayList<>();
                try {
                    var runner = s.runner();
                    for (int k = 0; k < vars.size(); k++) {
                        NamedArray a = state.arrays().get(k);
                        TFloat32 t = TFloat32.tensorOf(Shape.of(a.shape()), DataBuffers.of(a.data(), true, false));
                        tensors.add(t);
                        runner.feed(ins.get(k), t).addTarget(assigns.get(k));
                    }
                    runner.run().close();
                } finally {
                    tensors.forEach(Tensor::close);
                }
                Signature sig = Signature.builder(SIGNATURE)
                        .input("user", user)
                        .input("item", item)
                        .output("score", score)
                        .methodName("tensorflow/serving/predict")
                        .build();
                SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(sig).export();
            }
        } catch (IOException e) {
            throw new ModelException("cannot export SavedModel to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int idx(ParameterSet state, String name) {
        List<NamedArray> a = state.arrays();
        for (int k = 0; k < a.size(); k++) {
            if (a.get(k).name().equals(name)) {
                return k;
            }
        }
        throw new ModelException("state has no variable " + name + "; it has "
                + Arrays.toString(a.stream().map(NamedArray::name).toArray()));
    }
}
