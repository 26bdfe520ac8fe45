package io.accent.cli;

import io.accent.core.Progress;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by several commands, as picocli mixins (one definition each). */
final class Options {

    private Options() {}

    /** {@code --verbose}: stack traces and TensorFlow's native log lines (read by {@link Main}). */
    static final class Verbose {
        @Option(
                names = "--verbose",
                description = "Show stack traces on errors and TensorFlow's native log lines.")
        boolean verbose;
    }

    /** {@code --verbose} and {@code --progress}: what the console shows during a long command. */
    static final class Console {
        @picocli.CommandLine.Mixin Verbose verbose;

        @Option(
                names = "--progress",
                description = "Draw progress bars even when stderr is not a terminal.")
        boolean progress;

        /** A progress bar on stderr when it is a terminal (or with --progress), else nothing. */
        Progress progress(String unit) {
            return progress || NativeConsole.stderrIsTerminal()
                    ? new ConsoleProgress(unit, System.err)
                    : Progress.NONE;
        }
    }

    /** {@code --model MODEL_DIR}. */
    static final class Model {
        @Option(
                names = "--model",
                required = true,
                paramLabel = "MODEL_DIR",
                description = "Model directory.")
        Path dir;
    }

    /**
     * {@code --cache DIR}: where retrain results are kept ({@code evaluate}, {@code explain
     * --verify}); by default {@code retrains} beside the result files, so that both commands share
     * it.
     */
    static final class RetrainCacheDir {
        @Option(
                names = "--cache",
                paramLabel = "DIR",
                description = "Retrain results (default: <result files' dir>/retrains).")
        Path dir;

        /** The cache directory for result files in {@code resultDir}. */
        Path resolve(Path resultDir) {
            return dir == null ? resultDir.resolve("retrains") : dir;
        }
    }

    /** {@code --overwrite}. */
    static final class Overwrite {
        @Option(
                names = "--overwrite",
                description =
                        "Replace an existing output directory that accent did not write (never an input).")
        boolean overwrite;
    }

    /** {@code --threads T} (TensorFlow intra- and inter-op threads). */
    static final class Threads {
        @Option(
                names = "--threads",
                paramLabel = "T",
                defaultValue = "2",
                converter = ThreadCount.class,
                description =
                        "TensorFlow threads, 1.."
                                + ThreadCount.MAX
                                + " (default: ${DEFAULT-VALUE}).")
        int threads;
    }

    /**
     * The one range check of every {@code --threads} option: 1 to {@value #MAX}. TensorFlow aborts
     * the process on a negative count and reads 0 as "choose for me", which makes a run depend on
     * the machine; more than {@value #MAX} threads per pool is a typing error, not a setting (the
     * value sizes both the intra- and the inter-op pool). Out of range is a usage error, reported
     * before anything is loaded.
     */
    static final class ThreadCount implements CommandLine.ITypeConverter<Integer> {

        /** The largest thread count accepted. */
        static final int MAX = 1024;

        @Override
        public Integer convert(String value) {
            int t;
            try {
                t = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not a whole number");
            }
            if (t < 1 || t > MAX) {
                throw new CommandLine.TypeConversionException("must be 1.." + MAX + ", got " + t);
            }
            return t;
        }
    }
}
