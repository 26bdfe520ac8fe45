package io.accent.cli;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTraining;
import io.accent.ncf.NcfTrainingReport;
import io.accent.rcf.RcfConfig;
import io.accent.rcf.RcfTraining;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent train}: trains a model on a prepared data set. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a recommender on a prepared data set.",
        subcommands = {TrainCommand.Ncf.class, TrainCommand.Rcf.class})
final class TrainCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing model family (ncf, rcf)");
    }

    /**
     * Options of both families: the data, the model directory and how the run shows and replaces.
     */
    static final class Common {
        @Option(
                names = "--data",
                required = true,
                paramLabel = "DIR",
                description = "Prepared data directory (from 'accent data prepare').")
        Path data;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "MODEL_DIR",
                description =
                        "Model directory to write (a fresh one, or a model directory accent"
                                + " wrote, replaced when complete).")
        Path out;

        @Mixin Options.Console console;

        @Mixin Options.Overwrite overwrite;

        /**
         * The model directory's output rule (trained on {@code --data}, honouring {@code
         * --overwrite}).
         */
        OutputTarget target() {
            return ModelStore.target(out, data).withOverwrite(overwrite.overwrite);
        }
    }

    /** {@code accent train ncf}. */
    @Command(
            name = "ncf",
            mixinStandardHelpOptions = true,
            description = {
                "Train NCF (GMF + MLP, docs/SPEC.md §2) and write a model directory with model.json"
                        + " (metadata), saved-model/ (TensorFlow SavedModel) and data/ (training data)."
            })
    static final class Ncf implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Mixin Common common;

        @Option(
                names = "--steps",
                paramLabel = "N",
                defaultValue = "119999",
                description = "Adam updates (default: ${DEFAULT-VALUE}, the reference's).")
        long steps;

        @Option(
                names = "--seed",
                paramLabel = "S",
                defaultValue = "0",
                description = "Seed of initialization and shuffles (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--threads",
                paramLabel = "T",
                defaultValue = "1",
                converter = Options.ThreadCount.class,
                description =
                        "TensorFlow threads, 1.."
                                + Options.ThreadCount.MAX
                                + " (default: ${DEFAULT-VALUE}; 1 is fastest for NCF on CPU"
                                + " and bit-reproducible).")
        int threads;

        @Override
        public Integer call() {
            NcfConfig config = NcfConfig.reference(steps, seed);
            NcfTrainingReport r;
            try (Progress p = common.console.progress("step")) {
                r = NcfTraining.run(common.data, common.target(), config, threads, p);
            }
            var w = spec.commandLine().getOut();
            w.printf(
                    "trained NCF: %d users, %d items, %d steps in %.1f s (%.3f ms/step)%n",
                    r.metadata().numUsers(),
                    r.metadata().numItems(),
                    steps,
                    r.wallTime().toMillis() / 1000.0,
                    steps == 0 ? 0.0 : r.wallTime().toNanos() / 1e6 / steps);
            w.printf(
                    "training RMSE %.4f   held-out RMSE %.4f (%d rows)%n",
                    r.trainingRmse(), r.heldOutRmse(), r.heldOutRows());
            w.printf("model written to %s%n", common.out);
            return 0;
        }
    }

    /** {@code accent train rcf}. */
    @Command(
            name = "rcf",
            mixinStandardHelpOptions = true,
            description = {
                "Train RCF (relational CF with two-level attention, docs/SPEC.md §4) and write a model directory with"
                        + " model.json (metadata), saved-model/ (self-contained TensorFlow SavedModel) and data/"
                        + " (RCF data). Reports the share of rcf-test.csv pairs with score(pos) > score(neg), next"
                        + " to item popularity."
            })
    static final class Rcf implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Mixin Common common;

        @Option(
                names = "--epochs",
                paramLabel = "N",
                defaultValue = "50",
                description =
                        "Epochs (default: ${DEFAULT-VALUE}, the reference's; 95 steps each on MovieLens).")
        int epochs;

        @Option(
                names = "--seed",
                paramLabel = "S",
                defaultValue = "2512",
                description =
                        "Seed of the epoch shuffles (default: ${DEFAULT-VALUE}, the reference's);"
                                + " the initialization always uses seed 2016.")
        long seed;

        @Option(
                names = "--threads",
                paramLabel = "T",
                defaultValue = "2",
                converter = Options.ThreadCount.class,
                description =
                        "TensorFlow threads, 1.."
                                + Options.ThreadCount.MAX
                                + " (default: ${DEFAULT-VALUE}; 1 is bit-reproducible).")
        int threads;

        @Override
        public Integer call() {
            RcfConfig config = RcfConfig.reference(epochs, seed);
            RcfTraining.Report r;
            try (Progress p = common.console.progress("step")) {
                r = RcfTraining.run(common.data, common.target(), config, threads, p);
            }
            var w = spec.commandLine().getOut();
            w.printf(
                    "trained RCF: %d users, %d items, %d epochs = %d steps in %.1f s (%.2f ms/step)%n",
                    r.metadata().numUsers(),
                    r.metadata().numItems(),
                    epochs,
                    r.steps(),
                    r.wallTime().toMillis() / 1000.0,
                    r.steps() == 0 ? 0.0 : r.wallTime().toNanos() / 1e6 / r.steps());
            w.printf("last epoch loss %.4f%n", r.finalEpochLoss());
            w.printf(
                    "test pairs with score(pos) > score(neg): %.4f (RCF) vs %.4f (item popularity), %d pairs%n",
                    r.sanity(), r.popularity(), r.testPairs());
            if (r.usersWithoutPositives() > 0) {
                w.printf(
                        "note: %d users have no training positives; they are not trained, and score and recommend"
                                + " refuse them%n",
                        r.usersWithoutPositives());
            }
            w.printf("model written to %s%n", common.out);
            return 0;
        }
    }
}
