package io.accent.core;

/** A configuration value is out of range or inconsistent. */
public final class ConfigException extends RecsysException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
