package io.accent.api;

import java.nio.file.Path;

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
        return AccentModel.open(modelDir);
    }
}
