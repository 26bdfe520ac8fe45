package io.accent.modelio;

import io.accent.core.ModelException;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/**
 * SavedModel plumbing shared by the model families. Export writes the family-built {@link
 * ScoringGraph} with its variables and the signature {@value #SIGNATURE} (inputs {@code user},
 * {@code item}, output {@code score}) for other runtimes. Loading a model directory reads only the
 * variables' values from {@code variables/variables.*} (a V2 checkpoint, read by {@link
 * CheckpointTensors}); the stored {@code saved_model.pb} is never parsed or run, so a model file
 * can carry data but no operations.
 */
public final class SavedModels {

    static final String SIGNATURE = Signature.DEFAULT_KEY;
    static final String TAG = SavedModelBundle.DEFAULT_TAG;

    private SavedModels() {}

    /** Writes a SavedModel holding {@code state} into the (new) directory {@code dir}. */
    public static void export(Path dir, ParameterSet state, ScoringGraph.Body body) {
        try (ScoringGraph g = new ScoringGraph(state, body)) {
            Signature sig =
                    Signature.builder(SIGNATURE)
                            .input("user", g.user())
                            .input("item", g.item())
                            .output("score", g.scoreOutput())
                            .methodName("tensorflow/serving/predict")
                            .build();
            SavedModelBundle.exporter(dir.toString())
                    .withSession(g.session())
                    .withSignature(sig)
                    .export();
        } catch (IOException e) {
            throw new ModelException(
                    "cannot export SavedModel to " + dir + ": " + e.getMessage(), e);
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            // TensorFlow's writer names its own temporary file; say why in words
            String m = e.getMessage() == null ? "" : e.getMessage().strip();
            int semi = m.lastIndexOf("; ");
            String reason = semi < 0 ? CheckpointTensors.firstLine(m) : m.substring(semi + 2);
            throw new ModelException(
                    "cannot write the model's SavedModel: "
                            + reason.toLowerCase(java.util.Locale.ROOT),
                    e);
        }
    }

    /**
     * Every variable stored under the SavedModel directory {@code dir} (its values only): those
     * named in {@code first} in that order, then the rest (optimizer state) by name. Checked from
     * the checkpoint's index before any value is read: every tensor is float32, each of {@code
     * first} is present with its shape in {@code shapes}, and no other tensor is larger than the
     * largest of them (an optimizer slot has its variable's shape), so a model file cannot make
     * accent allocate more than the model's own size.
     */
    public static ParameterSet variables(Path dir, List<String> first, long[][] shapes) {
        Path prefix = dir.resolve("variables").resolve("variables");
        String label = "model variables " + prefix;
        try (CheckpointTensors ckpt = new CheckpointTensors(prefix, label)) {
            long largest = 1;
            for (long[] s : shapes) {
                largest = Math.max(largest, elements(s));
            }
            List<String> names = new ArrayList<>();
            for (var e : ckpt.entries().entrySet()) {
                if (e.getValue().dtype() != DataType.DT_FLOAT) {
                    throw new ModelException(
                            label
                                    + ": tensor '"
                                    + e.getKey()
                                    + "' is "
                                    + e.getValue().dtype()
                                    + "; a model stores float32 variables only");
                }
                int k = first.indexOf(e.getKey());
                long[] have = e.getValue().shape();
                if (k >= 0 && !Arrays.equals(have, shapes[k])) {
                    throw new ModelException(
                            label
                                    + ": variable '"
                                    + e.getKey()
                                    + "' has shape "
                                    + Arrays.toString(have)
                                    + " but model.json's sizes need "
                                    + Arrays.toString(shapes[k]));
                }
                if (k < 0 && elements(have) > largest) {
                    throw new ModelException(
                            label
                                    + ": tensor '"
                                    + e.getKey()
                                    + "' has shape "
                                    + Arrays.toString(have)
                                    + ", larger than any of the model's variables");
                }
                names.add(e.getKey());
            }
            List<String> ordered = new ArrayList<>();
            for (String n : first) {
                if (!names.remove(n)) {
                    throw new ModelException(label + " has no variable '" + n + "'");
                }
                ordered.add(n);
            }
            names.sort(null);
            ordered.addAll(names);
            List<NamedArray> out = new ArrayList<>();
            for (String n : ordered) {
                out.add(ckpt.get(n, "model variable " + n));
            }
            return new ParameterSet(out);
        }
    }

    /** Number of elements of {@code shape}; {@link Long#MAX_VALUE} on overflow. */
    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || (d > 0 && n > Long.MAX_VALUE / d)) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    /** Whether {@code dir} holds a variables checkpoint (its index file). */
    static boolean hasVariables(Path dir) {
        return Files.isRegularFile(dir.resolve("variables").resolve("variables.index"));
    }
}
