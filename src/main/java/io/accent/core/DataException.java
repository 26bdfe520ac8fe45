package io.accent.core;

/** Bad or missing input data: download, checksum, parse, unknown ids. */
public final class DataException extends RecsysException {

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 3;
    }
}
