package io.accent.spark.als;

import io.accent.cli.CommandExtension;
import io.accent.core.OutputTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code accent import spark-als}: a thin adapter over {@link AlsImport}, installed under the
 * core's {@code import} command through {@link CommandExtension} (this module's services file).
 */
public final class AlsImportCommand implements CommandExtension {

    @Override
    public void install(CommandLine root) {
        CommandLine imp = root.getSubcommands().get("import");
        if (imp != null && !imp.getSubcommands().containsKey("spark-als")) {
            imp.addSubcommand("spark-als", new CommandLine(new Run()));
        }
    }

    /** The command itself. */
    @Command(
            name = "spark-als",
            mixinStandardHelpOptions = true,
            description = {
                "Import an ALSModel saved by Spark MLlib (explicit feedback,"
                        + " ALSModel.save) as a model directory of the 'als' family, explained"
                        + " with ALS's own objective and verified by retraining with Spark's ALS"
                        + " (docs/SPARK.md, docs/IMPORT.md).",
                "The model's user and item ids must be the raw ids of the prepared data"
                        + " (users.tsv, ncf-items.tsv), and it must have been trained on its"
                        + " training ratings (ncf-train.tsv). A saved ALSModel does not record"
                        + " regParam, maxIter, seed or blocks: give the values it was trained with"
                        + " (Spark's defaults otherwise); the import checks regParam against the"
                        + " user factors and warns when they disagree."
            })
    static final class Run implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--source",
                required = true,
                paramLabel = "ALSMODEL_DIR",
                description = "Directory written by ALSModel.save.")
        Path source;

        @Option(
                names = "--data",
                required = true,
                paramLabel = "PREPARED_DIR",
                description = "Prepared data the model was trained on (accent data prepare).")
        Path data;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "MODEL_DIR",
                description =
                        "Model directory to write (a fresh one, or a model directory accent wrote,"
                                + " replaced when complete).")
        Path out;

        @Option(
                names = "--reg-param",
                paramLabel = "L",
                description = "ALS regParam the model was trained with (default: Spark's, 0.1).")
        double regParam = AlsConfig.DEFAULT_REG_PARAM;

        @Option(
                names = "--max-iter",
                paramLabel = "N",
                description = "ALS maxIter, used by the retrains (default: Spark's, 10).")
        int maxIter = AlsConfig.DEFAULT_MAX_ITER;

        @Option(
                names = "--seed",
                paramLabel = "S",
                description =
                        "ALS seed the model was trained with; retrain r uses S + r (default:"
                                + " Spark's, ALS's class name's hash).")
        long seed = AlsConfig.DEFAULT_SEED;

        @Option(
                names = "--user-blocks",
                paramLabel = "B",
                description = "ALS numUserBlocks, used by the retrains (default: Spark's, 10).")
        int userBlocks = AlsConfig.DEFAULT_BLOCKS;

        @Option(
                names = "--item-blocks",
                paramLabel = "B",
                description = "ALS numItemBlocks, used by the retrains (default: Spark's, 10).")
        int itemBlocks = AlsConfig.DEFAULT_BLOCKS;

        @Option(
                names = "--spark-threads",
                paramLabel = "T",
                description =
                        "Threads of the local Spark that reads the model, 1..1024 (default: 1;"
                                + " a running Spark session is used instead).")
        int sparkThreads = 1;

        @Option(
                names = "--overwrite",
                description = "Replace MODEL_DIR even when accent did not write it.")
        boolean overwrite;

        @Option(names = "--verbose", description = "Print stack traces of errors.")
        boolean verbose;

        @Override
        public Integer call() {
            if (sparkThreads < 1 || sparkThreads > 1024) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--spark-threads must be in 1..1024, got " + sparkThreads);
            }
            // rank 1 is a placeholder: the model's own rank replaces it
            AlsConfig config = new AlsConfig(1, regParam, maxIter, seed, userBlocks, itemBlocks);
            AlsImport.Report r =
                    AlsImport.run(
                            new AlsImport.Request(
                                    source,
                                    data,
                                    // never over the data or the source, even with --overwrite
                                    OutputTarget.of(out, "model", data, source)
                                            .withOverwrite(overwrite),
                                    config,
                                    sparkThreads));
            PrintWriter err = spec.commandLine().getErr();
            r.warnings().forEach(w -> err.println("warning: " + w));
            err.flush();
            AlsConfig c = AlsConfig.fromMap(r.metadata().config());
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    "imported Spark ALSModel %s as ALS (rank %d, regParam %s, maxIter %d): %d"
                            + " users, %d items%n",
                    source,
                    c.rank(),
                    c.regParam(),
                    c.maxIter(),
                    r.metadata().numUsers(),
                    r.metadata().numItems());
            w.printf(
                    "training RMSE %.4f   held-out RMSE %.4f%n",
                    Math.sqrt(r.metadata().trainingMse()), Math.sqrt(r.metadata().heldOutMse()));
            w.printf(
                    "user normal equations: relative residual %.2e with regParam %s (best fit"
                            + " %.4g)%n",
                    r.residual(), c.regParam(), r.fittedRegParam());
            w.printf("model written to %s%n", out);
            return 0;
        }
    }
}
