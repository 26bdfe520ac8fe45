package io.accent.rcf;

import io.accent.TestModels;
import io.accent.core.Progress;
import io.accent.data.RcfDataset;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.modelio.SavedModels;
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
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * RCF models "trained elsewhere", written in the tests with TensorFlow Java from an RCF this
 * project trained: its variables under other names, the reference's zero pad rows of {@code q} and
 * {@code V1..V3} stored, optionally the items in another row order, as a checkpoint (SaveV2) or as
 * a SavedModel whose own serving signature scores with the renamed, padded variables.
 */
public final class RcfImportFixtures {

    /** Another program's name for each RCF variable. */
    public static final Map<String, String> NAMES = names();

    private static Path modelDir;

    private RcfImportFixtures() {}

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("e_user", "user_embeddings");
        m.put("R", "relation_embeddings");
        m.put("q", "item_embeddings");
        m.put("V1", "genre_embeddings");
        m.put("V2", "director_embeddings");
        m.put("V3", "actor_embeddings");
        m.put("Wt", "type_attention_kernel");
        m.put("bt", "type_attention_bias");
        m.put("wt", "type_attention_out");
        for (int t = 0; t < (RcfKinds.RELEASE.count() + 1); t++) {
            m.put("W" + t + "i", "item_attention_" + t + "_target");
            m.put("W" + t + "j", "item_attention_" + t + "_neighbour");
            if (t > 0) {
                m.put("W" + t + "e", "item_attention_" + t + "_attribute");
            }
            m.put("a" + t, "item_attention_" + t + "_out");
        }
        m.put("M0", "mlp_kernel");
        m.put("c0", "mlp_bias");
        m.put("wp", "prediction_kernel");
        if (!m.keySet().equals(new java.util.HashSet<>(RcfNetwork.variables(3)))) {
            throw new IllegalStateException("fixture names do not cover RcfNetwork.variables(3)");
        }
        return m;
    }

    /**
     * An RCF model directory trained on {@link TestModels#smallData()} (H 8, A 4, MLP 8, 3 epochs),
     * once per JVM.
     */
    public static synchronized Path smallModel() {
        if (modelDir == null) {
            Path m = TestModels.smallData().resolveSibling("rcf-model");
            RcfTraining.run(
                    TestModels.smallData(), m, RcfTrainerTest.small(3, 5), 1, Progress.NONE);
            modelDir = m;
        }
        return modelDir;
    }

    /** The weights and accumulators of {@link #smallModel()}. */
    public static ParameterSet trained() {
        try (TrainedModel m = ModelStore.load(smallModel())) {
            return m.parameters();
        }
    }

    /** Whether the variable has a pad row in the reference's layout. */
    static boolean padded(String variable) {
        return List.of("q", "V1", "V2", "V3").contains(variable);
    }

    /**
     * The arrays another program would store: each variable of {@code state} under {@link #NAMES},
     * with a zero pad row appended to q and V1..V3 when {@code padRows}, q's rows in the order
     * {@code itemOrder} (source row r holds dense item itemOrder[r]), and, when {@code accumulator}
     * is not null, each Adagrad accumulator under {@code accumulator} with {@code {tensor}}
     * replaced by the variable's name (its pad row, if any, holds the initial accumulator, as a
     * real optimizer's would).
     */
    public static List<NamedArray> renamed(
            ParameterSet state, boolean padRows, int[] itemOrder, String accumulator) {
        List<NamedArray> out = new ArrayList<>();
        for (String v : RcfNetwork.variables(3)) {
            String name = NAMES.get(v);
            out.add(layout(state.get(v), name, v, padRows, itemOrder, 0f));
            if (accumulator != null) {
                out.add(
                        layout(
                                state.get(v + ".adagrad"),
                                accumulator.replace("{tensor}", name),
                                v,
                                padRows,
                                itemOrder,
                                1e-8f));
            }
        }
        return out;
    }

    private static NamedArray layout(
            NamedArray a,
            String name,
            String variable,
            boolean padRows,
            int[] itemOrder,
            float pad) {
        float[] d = a.data();
        long[] shape = a.shape();
        if (variable.equals("q") && itemOrder != null) {
            int w = a.rowSize();
            float[] p = new float[d.length];
            for (int r = 0; r < itemOrder.length; r++) {
                System.arraycopy(d, itemOrder[r] * w, p, r * w, w);
            }
            d = p;
        }
        if (padRows && padded(variable)) {
            int w = a.rowSize();
            float[] p = java.util.Arrays.copyOf(d, d.length + w);
            java.util.Arrays.fill(p, d.length, p.length, pad);
            d = p;
            shape = new long[] {shape[0] + 1, w};
        }
        return new NamedArray(name, shape, d);
    }

    /**
     * Writes a SavedModel of the RCF {@link #smallModel()} whose variables are {@link #renamed}
     * (pad rows stored, items in the data's order, accumulators named {@code {tensor}.accum}) and
     * whose {@code serving_default(user, item) -> score} drops the pad rows and scores with them.
     */
    public static void writeRenamedSavedModel(Path dir) {
        ParameterSet state = trained();
        ModelMetadata meta = ModelStore.readMetadata(smallModel());
        RcfConfig config = RcfConfig.fromMap(meta.config());
        RcfData data =
                RcfData.of(
                        RcfDataset.load(smallModel().resolve(ModelStore.DATA)),
                        config.hidden(),
                        config.attention(),
                        config.mlp());
        ParameterSet renamed = new ParameterSet(renamed(state, true, null, "{tensor}.accum"));
        SavedModels.export(
                dir,
                renamed,
                (tf, reads, user, item) -> {
                    List<Operand<TFloat32>> w = new ArrayList<>();
                    for (String v : RcfNetwork.variables(3)) {
                        Operand<TFloat32> r = reads.get(NAMES.get(v));
                        if (padded(v)) {
                            long rows = state.get(v).shape()[0];
                            r =
                                    tf.slice(
                                            r,
                                            tf.constant(new long[] {0, 0}),
                                            tf.constant(new long[] {rows, -1}));
                        }
                        w.add(r);
                    }
                    return RcfModel.servingScore(tf, config, data, w, user, item);
                });
    }

    /**
     * A mapping file for {@link #writeRenamedSavedModel}: every role by {@link #NAMES}, the
     * accumulators as {@code {tensor}.accum}, the reference's relational weight spelled out.
     */
    public static String savedModelMappingJson(Map<String, String> overrideTensors) {
        StringBuilder t = new StringBuilder();
        for (Map.Entry<String, String> en : NAMES.entrySet()) {
            if (t.length() > 0) {
                t.append(",\n");
            }
            t.append("    \"")
                    .append(en.getKey())
                    .append("\": \"")
                    .append(overrideTensors.getOrDefault(en.getKey(), en.getValue()))
                    .append('"');
        }
        return "{\n  \"family\": \"rcf\",\n  \"tensors\": {\n"
                + t
                + "\n  },\n"
                + "  \"optimizer\": {\"adagrad\": \"{tensor}.accum\"},\n"
                + "  \"hyperparameters\": {\"batch_size\": 64, \"seed\": 5}\n}\n";
    }

    /** Writes {@code lines} to {@code file}, one per line. */
    static void writeLines(Path file, List<String> lines) {
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
