package io.accent.modelio;

import io.accent.core.AtomicFiles;
import io.accent.core.Json;
import io.accent.core.ModelException;
import io.accent.core.OutputTarget;
import io.accent.model.ModelFamilies;
import io.accent.model.ModelFamily;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.tf.ParameterSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes model directories:
 *
 * <pre>
 * MODEL_DIR/model.json     metadata (format, family, sizes, hyperparameters, provenance)
 * MODEL_DIR/saved-model/   TensorFlow SavedModel (all variables, signature serving_default)
 * MODEL_DIR/data/          the prepared data files of the family (ModelFamily.dataFiles)
 * </pre>
 *
 * A directory is written under a temporary name and renamed when complete.
 */
public final class ModelStore {

    public static final String METADATA = "model.json";
    public static final String SAVED_MODEL = "saved-model";
    public static final String DATA = "data";

    private ModelStore() {}

    /**
     * Writes a model directory.
     *
     * @param dir target directory (replaced atomically if it exists)
     * @param metadata contents of model.json
     * @param state weights and optimizer state
     * @param dataDir prepared data directory the model was trained on
     */
    public static void save(Path dir, ModelMetadata metadata, ParameterSet state, Path dataDir) {
        save(target(dir, dataDir), metadata, state, dataDir);
    }

    /**
     * The output rule of a model directory trained on {@code dataDir} (see {@link OutputTarget}).
     */
    public static OutputTarget target(Path dir, Path dataDir) {
        return OutputTarget.of(dir, "model", dataDir);
    }

    /** Writes a model directory under the rules of {@code out}. */
    public static void save(
            OutputTarget out, ModelMetadata metadata, ParameterSet state, Path dataDir) {
        AtomicFiles.writeDirectory(
                out,
                tmp -> {
                    Files.writeString(
                            tmp.resolve(METADATA), Json.mapper().writeValueAsString(metadata));
                    ModelFamily family = ModelFamilies.get(metadata.family());
                    family.exportSavedModel(tmp.resolve(SAVED_MODEL), metadata, state, dataDir);
                    Path d = Files.createDirectories(tmp.resolve(DATA));
                    for (String f : family.dataFiles()) {
                        Path src = dataDir.resolve(f);
                        if (Files.exists(src)) {
                            Files.copy(src, d.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                });
    }

    /** Reads only {@code model.json}. */
    public static ModelMetadata readMetadata(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelException(
                    "model directory "
                            + dir
                            + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        Path meta = dir.resolve(METADATA);
        if (!Files.isRegularFile(meta)) {
            throw new ModelException(
                    dir + " is not an ACCENT model directory (" + METADATA + " missing)");
        }
        ModelMetadata m;
        var tree =
                Json.readTree(
                        meta,
                        io.accent.core.InputFiles.MAX_JSON_BYTES,
                        "model metadata",
                        ModelException::new);
        try {
            m = Json.mapper().treeToValue(tree, ModelMetadata.class);
        } catch (IOException | IllegalArgumentException e) {
            // the parser's message quotes the file: name only the field that does not fit
            String field =
                    e instanceof com.fasterxml.jackson.databind.JsonMappingException jm
                                    && !jm.getPath().isEmpty()
                            ? " (field '" + jm.getPath().get(0).getFieldName() + "')"
                            : "";
            throw new ModelException(meta + ": not a valid model description" + field, e);
        }
        if (m == null) {
            throw new ModelException(meta + ": not a valid model description (empty)");
        }
        if (m.format() != ModelMetadata.FORMAT) {
            throw new ModelException(
                    meta
                            + ": unsupported model format "
                            + m.format()
                            + " (this version reads format "
                            + ModelMetadata.FORMAT
                            + ")");
        }
        if (ModelFamilies.find(m.family()).isEmpty()) {
            throw new ModelException(
                    meta
                            + ": unknown model family '"
                            + m.family()
                            + "' (known: "
                            + String.join(", ", ModelFamilies.names())
                            + ")");
        }
        return m;
    }

    /** Opens a model directory for scoring, through its family. */
    public static TrainedModel load(Path dir) {
        ModelMetadata m = readMetadata(dir);
        Path index = dir.resolve(SAVED_MODEL).resolve("variables").resolve("variables.index");
        if (!Files.isRegularFile(index)) {
            throw new ModelException(
                    "model "
                            + dir
                            + " is incomplete: "
                            + SAVED_MODEL
                            + "/variables/variables.index is missing, so its variables cannot be restored");
        }
        return ModelFamilies.get(m.family()).load(dir, m);
    }
}
