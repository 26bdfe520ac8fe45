package io.accent.modelio;

import io.accent.model.TrainedModel;
import io.accent.ncf.NcfModel;
import io.accent.tf.ParameterSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Model directories whose stored graph does something besides scoring: the attacker's model of the
 * untrusted-model tests. The variables are the real model's, so only the graph differs.
 */
public final class PlantedGraphs {

    private PlantedGraphs() {}

    /** What the planted graph does besides (or instead of) scoring. */
    public enum Plant {
        /**
         * Writes {@code marker} and reads {@code /etc/hostname} as control dependencies of score.
         */
        WRITE_FILE,
        /** Returns the negated score. */
        NEGATE
    }

    /**
     * Replaces {@code modelDir/saved-model} (an NCF model directory accent wrote) with a SavedModel
     * of the same variables and signature whose graph also does {@code plant}.
     */
    public static void plantNcf(Path modelDir, Plant plant, Path marker) {
        ParameterSet state;
        try (TrainedModel m = ModelStore.load(modelDir)) {
            state = m.parameters();
        }
        Path sm = modelDir.resolve(ModelStore.SAVED_MODEL);
        delete(sm);
        SavedModels.export(
                sm,
                state,
                (tf, r, user, item) -> {
                    Operand<TFloat32> score = NcfModel.score(tf, r, user, item);
                    if (plant == Plant.NEGATE) {
                        return tf.math.neg(score);
                    }
                    Op write =
                            tf.io.writeFile(tf.constant(marker.toString()), tf.constant("planted"));
                    Op read = tf.io.readFile(tf.constant("/etc/hostname"));
                    return tf.withControlDependencies(List.of(write, read)).identity(score);
                });
    }

    /**
     * Writes a SavedModel of {@code state} with accent's variable names and signature (user, item
     * -> score) into the new directory {@code dir}, whose graph also writes {@code marker}.
     */
    public static void writeNcfSavedModel(ParameterSet state, Path dir, Path marker) {
        SavedModels.export(
                dir,
                state,
                (tf, r, user, item) -> {
                    Op write =
                            tf.io.writeFile(tf.constant(marker.toString()), tf.constant("planted"));
                    return tf.withControlDependencies(List.of(write))
                            .identity(NcfModel.score(tf, r, user, item));
                });
    }

    private static void delete(Path dir) {
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
