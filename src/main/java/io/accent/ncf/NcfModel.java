package io.accent.ncf;

import io.accent.data.PreparedDataset;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.modelio.RatingModel;
import io.accent.modelio.SavedModels;
import io.accent.modelio.ScoringGraph;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An NCF model: the variables (weights and Adam state) read from the model directory's SavedModel
 * variables, scored by the network that {@link NcfNetwork} builds here ({@link ScoringGraph}). The
 * stored graph is never run. The exported SavedModel has one signature, {@code serving_default}:
 * inputs {@code user}, {@code item} (int32, [-1]), output {@code score} (float32, [-1]).
 */
public final class NcfModel extends RatingModel {

    private NcfModel(ModelMetadata metadata, PreparedDataset data, ParameterSet state) {
        super(metadata, data, state, NcfModel::score);
    }

    /** Reads the variables stored under {@code savedModelDir} and builds NCF's scoring graph. */
    /** {@code model} as an NCF model; a model of another family is a model error. */
    static NcfModel of(TrainedModel model) {
        if (model instanceof NcfModel n) {
            return n;
        }
        throw new io.accent.core.ModelException(
                "this needs an NCF model; the model is " + model.metadata().family());
    }

    public static NcfModel load(Path savedModelDir, ModelMetadata metadata, PreparedDataset data) {
        long[][] shapes =
                NcfNetwork.shapes(
                        metadata.numUsers(),
                        metadata.numItems(),
                        NcfConfig.fromMap(metadata.config()).embeddingSize());
        return new NcfModel(
                metadata, data, SavedModels.variables(savedModelDir, NcfNetwork.VARIABLES, shapes));
    }

    /** Writes a SavedModel holding {@code state} into the (new) directory {@code dir}. */
    public static void export(Path dir, ParameterSet state) {
        for (String n : NcfNetwork.VARIABLES) {
            state.get(n); // a missing variable is a model error naming it
        }
        SavedModels.export(dir, state, NcfModel::score);
    }

    /** NCF's score from the variable reads: the one scoring body of loading and export. */
    public static Operand<TFloat32> score(
            Ops tf,
            java.util.Map<String, Operand<TFloat32>> r,
            Operand<TInt32> user,
            Operand<TInt32> item) {
        NcfNetwork.Dense<TFloat32> dense =
                new NcfNetwork.Dense<>(
                        r.get("W1"),
                        r.get("b1"),
                        r.get("W2"),
                        r.get("b2"),
                        r.get("W3"),
                        r.get("b3"));
        return NcfNetwork.score(
                tf,
                r.get("P_mlp"),
                r.get("Q_mlp"),
                r.get("P_gmf"),
                r.get("Q_gmf"),
                dense,
                user,
                item);
    }
}
