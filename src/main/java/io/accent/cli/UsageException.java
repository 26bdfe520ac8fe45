package io.accent.cli;

/**
 * An option value the command refuses before it loads anything (a duplicate in a list, a number out
 * of range): like picocli's own parse errors it exits with 2 and adds the line {@code try 'accent
 * COMMAND --help'} (see {@link Main}).
 */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }

    /**
     * Runs the option checks in {@code checks}, turning the library's configuration errors they
     * raise into usage errors.
     */
    static void check(Runnable checks) {
        try {
            checks.run();
        } catch (io.accent.core.ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
