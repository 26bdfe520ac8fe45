package io.accent.model;

import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model family (NCF, RCF): how its model directories are written and opened. Families are looked
 * up by name in {@link ModelFamilies}; {@code ModelStore} depends on this interface only.
 */
public interface ModelFamily {

    /** The name stored in {@code model.json} ({@code ncf}, {@code rcf}). */
    String name();

    /**
     * Files of a prepared data directory that travel with a model of this family (in {@code
     * data/}).
     */
    List<String> dataFiles();

    /**
     * Writes the family's SavedModel holding {@code state} into the new directory {@code dir}.
     *
     * @param dataDir the prepared data directory the model was trained on (RCF bakes its lists in)
     */
    void exportSavedModel(Path dir, ModelMetadata metadata, ParameterSet state, Path dataDir);

    /** Opens a model directory whose metadata has been read and checked. */
    TrainedModel load(Path modelDir, ModelMetadata metadata);

    /**
     * How {@code accent import} maps a model trained elsewhere onto this family; empty if it
     * cannot.
     */
    default Optional<ImportFamily> importer() {
        return Optional.empty();
    }
}
