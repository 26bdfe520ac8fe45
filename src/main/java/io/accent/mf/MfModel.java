package io.accent.mf;

import io.accent.core.ModelException;
import io.accent.data.PreparedDataset;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.modelio.RatingModel;
import io.accent.modelio.SavedModels;
import io.accent.modelio.ScoringGraph;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;

/**
 * An MF model: the variables (P, Q, Bu, Bi, mu and the Adam state) read from the model directory's
 * SavedModel variables and scored by the graph {@link MfNetwork} builds here ({@link
 * ScoringGraph}); the stored graph is never run. The exported SavedModel has one signature, {@code
 * serving_default}: inputs {@code user}, {@code item} (int32, [-1]), output {@code score} (float32,
 * [-1]).
 */
public final class MfModel extends RatingModel {

    private MfModel(ModelMetadata metadata, PreparedDataset data, ParameterSet state) {
        super(metadata, data, state, MfNetwork::score);
    }

    /** {@code model} as a model of the MF layout; a model of another layout is a model error. */
    public static MfModel of(TrainedModel model) {
        if (model instanceof MfModel m) {
            return m;
        }
        throw new ModelException(
                "this needs an MF model; the model is " + model.metadata().family());
    }

    /** Reads the variables stored under {@code savedModelDir}, checking their shapes. */
    public static MfModel load(Path savedModelDir, ModelMetadata metadata, PreparedDataset data) {
        return load(
                savedModelDir, metadata, data, MfConfig.fromMap(metadata.config()).embeddingSize());
    }

    /**
     * Reads the variables stored under {@code savedModelDir} with factors of size {@code
     * embeddingSize}, checking their shapes: for a family that stores MF's variables under
     * hyperparameters of its own (Spark's ALS, whose rank is the factor size).
     */
    public static MfModel load(
            Path savedModelDir, ModelMetadata metadata, PreparedDataset data, int embeddingSize) {
        long[][] shapes = MfNetwork.shapes(metadata.numUsers(), metadata.numItems(), embeddingSize);
        return new MfModel(
                metadata, data, SavedModels.variables(savedModelDir, MfNetwork.VARIABLES, shapes));
    }

    /** Writes a SavedModel holding {@code state} into the (new) directory {@code dir}. */
    public static void export(Path dir, ParameterSet state) {
        for (String n : MfNetwork.VARIABLES) {
            state.get(n); // a missing variable is a model error naming it
        }
        SavedModels.export(dir, state, MfNetwork::score);
    }
}
