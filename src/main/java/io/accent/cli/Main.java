package io.accent.cli;

import io.accent.core.RecsysException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code accent} command-line tool. */
@Command(
        name = "accent",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Counterfactual explanations for neural recommenders (ACCENT).",
        subcommands = {
            DataCommand.class,
            TrainCommand.class,
            RecommendCommand.class,
            ExportWeightsCommand.class,
            InfluenceCommand.class,
            ExplainCommand.class,
            EvaluateCommand.class,
            CompareCommand.class,
            ImportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the tool and returns its exit status (0 ok, 1 unexpected, 2 usage, 3 data, 4 model, 5 solver). */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(
                (ex, cmd, parseResult) -> {
                    PrintWriter err = cmd.getErr();
                    boolean verbose = parseResult.hasMatchedOption("--verbose")
                            || Boolean.getBoolean("accent.verbose");
                    Throwable t = ex;
                    if (verbose) {
                        ex.printStackTrace(err);
                    }
                    err.println("error: " + message(t));
                    err.flush();
                    if (t instanceof RecsysException re) {
                        return re.exitCode();
                    }
                    if (t instanceof UncheckedIOException) {
                        return 3;
                    }
                    return 1;
                });
        return cl;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof UncheckedIOException && t.getCause() != null && m == null) {
            m = t.getCause().getMessage();
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** Reports the project version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"accent " + (v == null ? "dev" : v)};
        }
    }
}
