package io.accent.cli;

import io.accent.core.AtomicFiles;
import io.accent.core.RecsysException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
            ScoreCommand.class,
            ExportWeightsCommand.class,
            InfluenceCommand.class,
            ExplainCommand.class,
            EvaluateCommand.class,
            CompareCommand.class,
            ImportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    /** Width of help texts. */
    static final int HELP_WIDTH = 80;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        prepareConsole(args);
        System.exit(execute(args));
    }

    /**
     * Keeps TensorFlow's native log lines off the console unless {@code args} ask for {@code
     * --verbose}; called first by a {@code main}.
     */
    public static void prepareConsole(String[] args) {
        if (!Arrays.asList(args).contains("--verbose")) {
            NativeConsole.silenceNative();
        }
    }

    /**
     * Runs the tool and returns its exit status (0 ok, 1 unexpected, 2 usage, 3 data, 4 model, 5
     * solver).
     */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        return commandLine(Backend.LOCAL);
    }

    /**
     * The tool's command line with the heavy parts of {@code explain}, {@code evaluate}, {@code
     * score} and {@code recommend} run by {@code backend} (the spark module's {@code Main} passes
     * its own; options, checks, files and console output stay the same).
     */
    public static CommandLine commandLine(Backend backend) {
        CommandLine cl = new CommandLine(new Main());
        // the families' commands and options, from the registry, before the settings below
        TrainCommand.install(cl.getSubcommands().get("train"));
        FamilyOptions.install(
                cl.getSubcommands().get("explain").getCommandSpec(), FamilyOptions.Job.INFLUENCE);
        FamilyOptions.install(
                cl.getSubcommands().get("explain").getCommandSpec(), FamilyOptions.Job.EVALUATION);
        FamilyOptions.install(
                cl.getSubcommands().get("influence").getCommandSpec(), FamilyOptions.Job.INFLUENCE);
        FamilyOptions.install(
                cl.getSubcommands().get("evaluate").getCommandSpec(), FamilyOptions.Job.EVALUATION);
        ((ExplainCommand) cl.getSubcommands().get("explain").getCommand()).backend = backend;
        ((EvaluateCommand) cl.getSubcommands().get("evaluate").getCommand()).backend = backend;
        ((ScoreCommand) cl.getSubcommands().get("score").getCommand()).backend = backend;
        ((RecommendCommand) cl.getSubcommands().get("recommend").getCommand()).backend = backend;
        backend.install(cl);
        CommandExtension.installAll(cl);
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpLongOptionsMaxWidth(24);
        cl.setParameterExceptionHandler(
                (ex, args) -> {
                    CommandLine cmd = ex.getCommandLine();
                    PrintWriter err = cmd.getErr();
                    err.println("error: " + oneLine(ex.getMessage()));
                    err.println("try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
                    err.flush();
                    return cmd.getCommandSpec().exitCodeOnInvalidInput();
                });
        cl.setExecutionExceptionHandler(
                (ex, cmd, parseResult) -> {
                    PrintWriter err = cmd.getErr();
                    if (verbose(parseResult) || Boolean.getBoolean("accent.verbose")) {
                        ex.printStackTrace(err);
                    }
                    err.println("error: " + message(ex));
                    if (ex instanceof UsageException) {
                        err.println("try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
                    }
                    err.flush();
                    return exitCode(ex);
                });
        return cl;
    }

    /** Whether {@code --verbose} was given to the command or any of its parents. */
    static boolean verbose(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exit status of an error: its own for the library's, 2 for a refused option value, 3 for
     * I/O, 4 for a broken model, else 1.
     */
    static int exitCode(Throwable t) {
        if (t instanceof RecsysException re) {
            return re.exitCode();
        }
        if (t instanceof UsageException) {
            return 2;
        }
        if (t instanceof UncheckedIOException) {
            return 3;
        }
        return 1;
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof UncheckedIOException && t.getCause() instanceof IOException io) {
            String raw = io.getMessage();
            String reason = AtomicFiles.reason(io);
            if (m == null || m.equals(raw) || m.equals(io.toString())) {
                m = reason;
            } else if (raw != null && m.endsWith(": " + raw) && !m.endsWith(reason)) {
                // the bare message of the I/O exception (often just a path) replaced by the
                // reason, unless the library already said it (as "...: permission denied: PATH")
                m = m.substring(0, m.length() - raw.length()) + reason;
            }
        }
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        if (exitCode(t) == 1) {
            m = t.getClass().getSimpleName() + ": " + m;
        }
        return oneLine(m);
    }

    /** The first line of a message, without control characters (never raw bytes of an input). */
    static String oneLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        String s = nl < 0 ? m : m.substring(0, nl);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints()
                .forEach(
                        c -> b.appendCodePoint(Character.isISOControl(c) || c == 0xFFFD ? '?' : c));
        return b.toString().stripTrailing();
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
