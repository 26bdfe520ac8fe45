package io.accent.model;

import io.accent.core.Provenance;
import java.util.Map;

/**
 * Contents of {@code model.json} in a model directory.
 *
 * @param format format version of the model directory ({@link #FORMAT})
 * @param family model family name (see {@link ModelFamilies})
 * @param numUsers size of the dense user id space
 * @param numItems size of the dense item id space
 * @param config full hyperparameters (the family's configuration as a map)
 * @param steps optimizer updates performed
 * @param seed seed of initialization and shuffles
 * @param trainingMse mean squared error over all training rows at the end of training (NaN for RCF)
 * @param heldOutMse mean squared error over the held-out rows, or NaN when there are none
 * @param provenance who made the model, from what
 */
public record ModelMetadata(
        int format,
        String family,
        int numUsers,
        int numItems,
        Map<String, Object> config,
        long steps,
        long seed,
        double trainingMse,
        double heldOutMse,
        Provenance provenance) {

    public static final int FORMAT = 1;

    public ModelMetadata {
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
    }

    /**
     * Refuses a model whose data does not have the users and items {@code model.json} says it was
     * trained on.
     *
     * @throws ModelException naming the directory and both sizes
     */
    public void requireDataSizes(java.nio.file.Path modelDir, int users, int items) {
        if (users != numUsers || items != numItems) {
            throw new io.accent.core.ModelException(
                    "model "
                            + modelDir
                            + " was trained on "
                            + numUsers
                            + " users and "
                            + numItems
                            + " items but its data has "
                            + users
                            + " and "
                            + items);
        }
    }
}
