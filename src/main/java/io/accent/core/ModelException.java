package io.accent.core;

/** A model directory, graph, tensor shape or checkpoint is missing or wrong. */
public final class ModelException extends RecsysException {

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 4;
    }
}
