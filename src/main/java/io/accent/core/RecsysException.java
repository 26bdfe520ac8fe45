package io.accent.core;

/**
 * Root of the errors the library throws. Every message names the thing involved and the value that
 * was wrong; the CLI prints it as one line and maps the subtype to an exit code.
 */
public abstract sealed class RecsysException extends RuntimeException
        permits DataException, ModelException, SolverException, ConfigException {

    protected RecsysException(String message) {
        super(message);
    }

    protected RecsysException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Process exit status the CLI uses for this kind of error. */
    public abstract int exitCode();
}
