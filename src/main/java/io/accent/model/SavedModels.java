package io.accent.model;

import io.accent.core.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
final class SavedModels {

    static final String SIGNATURE = Signature.DEFAULT_KEY;
    static final String TAG = SavedModelBundle.DEFAULT_TAG;

    private SavedModels() {}

    /** Writes a SavedModel holding {@code state} into the (new) directory {@code dir}. */
    static void export(Path dir, ParameterSet state, ScoringGraph.Body body) {
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
        }
    }

    /**
     * Every variable stored under the SavedModel directory {@code dir} (its values only): those
     * named in {@code first} in that order, then the rest by name. Every stored tensor must be
     * float32 and every name in {@code first} present.
     */
    static ParameterSet variables(Path dir, List<String> first) {
        Path prefix = dir.resolve("variables").resolve("variables");
        String label = "model variables " + prefix;
        try (CheckpointTensors ckpt = new CheckpointTensors(prefix, label)) {
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

    /**
     * Fails with one line naming the variable when a stored variable's shape is not the one the
     * family's network has for the model's sizes (so a model file cannot make the graph read out of
     * range or score with a different network).
     */
    static void requireShapes(ParameterSet state, List<String> names, long[][] shapes) {
        for (int k = 0; k < names.size(); k++) {
            long[] have = state.get(names.get(k)).shape();
            if (!java.util.Arrays.equals(have, shapes[k])) {
                throw new ModelException(
                        "model variable '"
                                + names.get(k)
                                + "' has shape "
                                + java.util.Arrays.toString(have)
                                + " but model.json's sizes need "
                                + java.util.Arrays.toString(shapes[k]));
            }
        }
    }

    /** Whether {@code dir} holds a variables checkpoint (its index file). */
    static boolean hasVariables(Path dir) {
        return Files.isRegularFile(dir.resolve("variables").resolve("variables.index"));
    }
}
