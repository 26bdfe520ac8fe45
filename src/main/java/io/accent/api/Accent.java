package io.accent.api;

import java.nio.file.Path;
import java.util.Map;

/**
 * The entry point for programs that embed ACCENT: opens a model directory as an {@link
 * AccentModel}. See the package documentation for an example.
 */
public final class Accent {

    private Accent() {}

    /**
     * Opens the model directory {@code modelDir} (as written by {@code accent train} or {@code
     * accent import}; any registered model family: NCF, RCF, MF) once. The handle is thread-safe;
     * close it to release its native TensorFlow resources.
     *
     * @param modelDir the model directory
     * @return the open model; the caller closes it
     * @throws io.accent.core.ModelException if the directory is not a readable model directory
     * @throws io.accent.core.DataException if the data shipped with the model is unreadable
     */
    public static AccentModel open(Path modelDir) {
        return AccentModel.open(modelDir, Map.of(), AccentModel.DEFAULT_THREADS);
    }

    /**
     * Opens {@code modelDir} with options of its family's influence engine, named as on the command
     * line (for example {@code Map.of("--solver", "exact")} for NCF, {@code Map.of("--hessian",
     * "shared")} for RCF), and {@code threads} TensorFlow threads.
     *
     * @param modelDir the model directory
     * @param influenceOptions option name to value ({@code "true"} for a flag), only options the
     *     model's family declares
     * @param threads TensorFlow threads of the influence engine, at least 1
     * @return the open model; the caller closes it
     * @throws io.accent.core.ConfigException if an option does not apply to the model's family or
     *     has a bad value
     * @throws io.accent.core.ModelException if the directory is not a readable model directory
     * @throws io.accent.core.DataException if the data shipped with the model is unreadable
     */
    public static AccentModel open(
            Path modelDir, Map<String, String> influenceOptions, int threads) {
        return AccentModel.open(modelDir, influenceOptions, threads);
    }
}
