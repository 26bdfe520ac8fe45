package io.accent;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.accent.core.Progress;
import io.accent.data.DatasetPreparation;
import io.accent.data.PrepareConfig;
import io.accent.data.SyntheticConfig;
import io.accent.data.SyntheticGenerator;
import io.accent.ncf.NcfNetwork;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
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
import org.tensorflow.types.TInt64;

/**
 * Models "trained elsewhere", written in the tests with TensorFlow Java itself from an NCF state
 * this project trained: a TF1-style checkpoint under the reference implementation's names and flat
 * shapes, and a SavedModel with Keras-like names, its user rows in another order and its own
 * signature.
 */
public final class ImportFixtures {

    /**
     * Reference ncf.py variable of each NCF variable (embeddings flat [rows·16], layers flat
     * [in·out]).
     */
    public static final Map<String, String> REFERENCE_NAMES =
            names(
                    "P_mlp",
                    "embedding_layer/mlp/embedding_users",
                    "Q_mlp",
                    "embedding_layer/mlp/embedding_items",
                    "P_gmf",
                    "embedding_layer/gmf/embedding_users",
                    "Q_gmf",
                    "embedding_layer/gmf/embedding_items",
                    "W1",
                    "h1/weights",
                    "b1",
                    "h1/biases",
                    "W2",
                    "h2/weights",
                    "b2",
                    "h2/biases",
                    "W3",
                    "h3/weights",
                    "b3",
                    "h3/biases");

    /** Keras-like variable of each NCF variable (layers [in, out] as Keras stores kernels). */
    public static final Map<String, String> KERAS_NAMES =
            names(
                    "P_mlp",
                    "user_embedding/embeddings",
                    "Q_mlp",
                    "item_embedding/embeddings",
                    "P_gmf",
                    "gmf_user_embedding/embeddings",
                    "Q_gmf",
                    "gmf_item_embedding/embeddings",
                    "W1",
                    "dense/kernel",
                    "b1",
                    "dense/bias",
                    "W2",
                    "dense_1/kernel",
                    "b2",
                    "dense_1/bias",
                    "W3",
                    "dense_2/kernel",
                    "b3",
                    "dense_2/bias");

    private ImportFixtures() {}

    private static Map<String, String> names(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put(kv[k], kv[k + 1]);
        }
        return m;
    }

    /**
     * Writes {@code state} as the reference's TF1 checkpoint {@code prefix} with SaveV2: every
     * array flattened under its reference name, with the Adam slots {@code <var>/Adam}, {@code
     * <var>/Adam_1}, {@code beta1_power}, {@code beta2_power} when {@code withAdam}, plus the int32
     * {@code global_step} and the float {@code learning_rate} the reference also saves.
     *
     * @param transposeW1 store h1/weights as the flat transpose ([16·32], as a [out, in] layout
     *     would)
     */
    public static void writeReferenceCheckpoint(
            ParameterSet state, Path prefix, boolean withAdam, boolean transposeW1) {
        List<String> names = new ArrayList<>();
        List<NamedArray> arrays = new ArrayList<>();
        for (Map.Entry<String, String> en : REFERENCE_NAMES.entrySet()) {
            NamedArray a = state.get(en.getKey());
            float[] d = en.getKey().equals("W1") && transposeW1 ? transpose(a) : a.data();
            names.add(en.getValue());
            arrays.add(new NamedArray(en.getValue(), new long[] {d.length}, d));
            if (withAdam) {
                for (String[] s : new String[][] {{".adam_m", "/Adam"}, {".adam_v", "/Adam_1"}}) {
                    NamedArray m = state.get(en.getKey() + s[0]);
                    float[] md = en.getKey().equals("W1") && transposeW1 ? transpose(m) : m.data();
                    names.add(en.getValue() + s[1]);
                    arrays.add(new NamedArray(en.getValue() + s[1], new long[] {md.length}, md));
                }
            }
        }
        if (withAdam) {
            names.add("beta1_power");
            arrays.add(
                    new NamedArray(
                            "beta1_power", new long[0], state.get("adam.beta1_power").data()));
            names.add("beta2_power");
            arrays.add(
                    new NamedArray(
                            "beta2_power", new long[0], state.get("adam.beta2_power").data()));
        }
        names.add("learning_rate");
        arrays.add(new NamedArray("learning_rate", new long[0], new float[] {1e-3f}));
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<Operand<?>> values = new ArrayList<>();
            for (NamedArray a : arrays) {
                values.add(tf.constant(Shape.of(a.shape()), DataBuffers.of(a.data(), true, false)));
            }
            names.add("global_step");
            values.add(tf.constant(1999));
            String[] slices = new String[names.size()];
            java.util.Arrays.fill(slices, "");
            Op save =
                    tf.train.save(
                            tf.constant(prefix.toString()),
                            tf.constant(UTF_8, names.toArray(String[]::new)),
                            tf.constant(UTF_8, slices),
                            values);
            s.runner().addTarget(save).run().close();
        }
    }

    /**
     * Writes the ten NCF weights of {@code state} as a checkpoint with SaveV2, each under {@code
     * names.get(variable)} and in its own shape.
     */
    public static void writeCheckpoint(ParameterSet state, Path prefix, Map<String, String> names) {
        List<NamedArray> renamed = new ArrayList<>();
        for (String v : NcfNetwork.VARIABLES) {
            NamedArray a = state.get(v);
            renamed.add(new NamedArray(names.get(v), a.shape(), a.data()));
        }
        writeCheckpoint(renamed, prefix);
    }

    /** Writes {@code arrays} as a V2 checkpoint {@code prefix} with SaveV2. */
    public static void writeCheckpoint(List<NamedArray> arrays, Path prefix) {
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<Operand<?>> values = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (NamedArray a : arrays) {
                keys.add(a.name());
                values.add(tf.constant(Shape.of(a.shape()), DataBuffers.of(a.data(), true, false)));
            }
            String[] slices = new String[keys.size()];
            java.util.Arrays.fill(slices, "");
            Op save =
                    tf.train.save(
                            tf.constant(prefix.toString()),
                            tf.constant(UTF_8, keys.toArray(String[]::new)),
                            tf.constant(UTF_8, slices),
                            values);
            s.runner().addTarget(save).run().close();
        }
    }

    /**
     * {@code state} with the rows of both user tables reversed (as {@link #writeKerasSavedModel}
     * stores them).
     */
    public static ParameterSet reverseUserRows(ParameterSet state) {
        List<NamedArray> out = new ArrayList<>();
        for (NamedArray a : state.arrays()) {
            out.add(a.name().equals("P_mlp") || a.name().equals("P_gmf") ? reverseRows(a) : a);
        }
        return new ParameterSet(out);
    }

    private static float[] transpose(NamedArray a) {
        int r = a.rows();
        int c = a.rowSize();
        float[] t = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                t[j * r + i] = a.data()[i * c + j];
            }
        }
        return t;
    }

    /**
     * Writes {@code state}'s weights as a SavedModel with Keras-like variable names, the user rows
     * of both user tables in reverse order, and a signature {@code serving_default(user_id,
     * item_id) -> prediction} over int64 [-1, 1] ids (source rows) returning [-1, 1] scores. Also
     * writes {@code dir.resolveSibling("user-ids.txt")}, the raw user id of each source row.
     *
     * @param rawUsers raw user id of each dense user of the data
     */
    public static Path writeKerasSavedModel(ParameterSet state, Path dir, int[] rawUsers) {
        int numUsers = rawUsers.length;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
            List<Placeholder<TFloat32>> ins = new ArrayList<>();
            List<Op> assigns = new ArrayList<>();
            List<NamedArray> values = new ArrayList<>();
            Map<String, Ops> scopes = new LinkedHashMap<>();
            for (Map.Entry<String, String> en : KERAS_NAMES.entrySet()) {
                NamedArray a = state.get(en.getKey());
                if (en.getKey().startsWith("P_")) {
                    a = reverseRows(a);
                }
                // one sub-scope object per Keras layer, so that kernel and bias share "dense/"
                String[] parts = en.getValue().split("/");
                Variable<TFloat32> v =
                        scopes.computeIfAbsent(parts[0], tf::withSubScope)
                                .withName(parts[1])
                                .variable(Shape.of(a.shape()), TFloat32.class);
                Placeholder<TFloat32> in = tf.placeholder(TFloat32.class);
                vars.put(en.getKey(), v);
                ins.add(in);
                assigns.add(tf.assign(v, in));
                values.add(a);
            }
            Placeholder<TInt64> userId =
                    tf.withName("user_id")
                            .placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, 1)));
            Placeholder<TInt64> itemId =
                    tf.withName("item_id")
                            .placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, 1)));
            Operand<TInt32> minusOne = tf.constant(new int[] {-1});
            // source row r of the user tables holds dense user numUsers-1-r; serving takes source
            // rows
            Operand<TInt32> u = tf.reshape(tf.dtypes.cast(userId, TInt32.class), minusOne);
            Operand<TInt32> i = tf.reshape(tf.dtypes.cast(itemId, TInt32.class), minusOne);
            NcfNetwork.Dense<TFloat32> dense =
                    new NcfNetwork.Dense<>(
                            tf.identity(vars.get("W1")),
                            tf.identity(vars.get("b1")),
                            tf.identity(vars.get("W2")),
                            tf.identity(vars.get("b2")),
                            tf.identity(vars.get("W3")),
                            tf.identity(vars.get("b3")));
            Operand<TFloat32> score =
                    NcfNetwork.score(
                            tf,
                            tf.identity(vars.get("P_mlp")),
                            tf.identity(vars.get("Q_mlp")),
                            tf.identity(vars.get("P_gmf")),
                            tf.identity(vars.get("Q_gmf")),
                            dense,
                            u,
                            i);
            Operand<TFloat32> prediction =
                    tf.withName("prediction").reshape(score, tf.constant(new int[] {-1, 1}));
            try (Session s = new Session(g)) {
                List<Tensor> tensors = new ArrayList<>();
                try {
                    var runner = s.runner();
                    for (int k = 0; k < values.size(); k++) {
                        NamedArray a = values.get(k);
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
                        Signature.builder(Signature.DEFAULT_KEY)
                                .input("user_id", userId)
                                .input("item_id", itemId)
                                .output("prediction", prediction)
                                .methodName("tensorflow/serving/predict")
                                .build();
                SavedModelBundle.exporter(dir.toString())
                        .withSession(s)
                        .withSignature(sig)
                        .export();
            }
            StringBuilder ids = new StringBuilder();
            for (int r = 0; r < numUsers; r++) {
                ids.append(rawUsers[numUsers - 1 - r]).append('\n');
            }
            Path idFile = dir.resolveSibling("user-ids.txt");
            Files.writeString(idFile, ids.toString());
            return idFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NamedArray reverseRows(NamedArray a) {
        int r = a.rows();
        int w = a.rowSize();
        float[] d = new float[a.data().length];
        for (int k = 0; k < r; k++) {
            System.arraycopy(a.data(), (r - 1 - k) * w, d, k * w, w);
        }
        return new NamedArray(a.name(), a.shape(), d);
    }

    /**
     * A mapping file for {@link #writeKerasSavedModel}: Keras names, the user id file, the
     * signature.
     */
    public static String kerasMappingJson(Map<String, String> overrideTensors) {
        StringBuilder t = new StringBuilder();
        for (Map.Entry<String, String> en : KERAS_NAMES.entrySet()) {
            String src = overrideTensors.getOrDefault(en.getKey(), en.getValue());
            if (t.length() > 0) {
                t.append(",\n");
            }
            t.append("    \"")
                    .append(en.getKey())
                    .append("\": {\"tensor\": \"")
                    .append(src)
                    .append("\"}");
        }
        return "{\n  \"family\": \"ncf\",\n  \"tensors\": {\n"
                + t
                + "\n  },\n"
                + "  \"ids\": {\"users\": \"user-ids.txt\", \"items\": \"prepare-order\"},\n"
                + "  \"signature\": {\"key\": \"serving_default\", \"user\": \"user_id\", \"item\": \"item_id\","
                + " \"score\": \"prediction\"}\n}\n";
    }

    /** Generates and prepares a synthetic data set under {@code root} (seed 11). */
    public static Path preparedData(Path root, int users, int items) {
        Path raw = root.resolve("raw");
        Path prepared = root.resolve("prepared");
        SyntheticGenerator.generate(new SyntheticConfig(raw, 11, users, items), Progress.NONE);
        DatasetPreparation.prepare(
                new PrepareConfig(raw, raw, prepared, "synthetic-test"), Progress.NONE);
        return prepared;
    }
}
