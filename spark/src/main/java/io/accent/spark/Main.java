package io.accent.spark;

/**
 * Entry point of {@code accent-spark.jar}: the {@code accent} command line, with {@code explain},
 * {@code evaluate}, {@code score} and {@code recommend} running their work as Spark tasks ({@link
 * SparkBackend}); every other command, option, check, file and message is the core's.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        io.accent.cli.Main.prepareConsole(args);
        System.exit(execute(args));
    }

    /** Runs the tool and returns its exit status (as {@code accent}'s). */
    public static int execute(String... args) {
        try {
            return run(args);
        } catch (RemotePaths.Missing e) {
            System.err.println("error: " + e.getMessage());
            System.err.flush();
            return e.exitCode;
        } catch (java.io.UncheckedIOException e) {
            // copying a URI path in or out (RemotePaths): an I/O error, as the core reports them
            String m =
                    e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage());
            System.err.println("error: " + m.lines().findFirst().orElse(m));
            System.err.flush();
            return 3;
        }
    }

    private static int run(String... args) {
        try (RemotePaths remote = RemotePaths.stage(args);
                SparkBackend backend = new SparkBackend(remote)) {
            int status = io.accent.cli.Main.commandLine(backend).execute(remote.localArgs());
            if (status == 0) {
                remote.publish();
            }
            return status;
        }
    }
}
