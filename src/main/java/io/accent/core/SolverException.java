package io.accent.core;

/** A numeric procedure failed: NaN loss, divergence, non-convergence. */
public final class SolverException extends RecsysException {

    public SolverException(String message) {
        super(message);
    }

    public SolverException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 5;
    }
}
