package io.accent.cli;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.family.Families;
import io.accent.family.Family;
import io.accent.family.FamilyOption;
import io.accent.family.OptionValues;
import io.accent.modelio.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code accent train FAMILY}: trains a model of one family on a prepared data set. One subcommand
 * per registered family, with the options the family declares ({@link Family#trainingOptions()}).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a recommender on a prepared data set.")
final class TrainCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(),
                "missing model family ("
                        + String.join(", ", Families.all().stream().map(Family::name).toList())
                        + ")");
    }

    /** Adds {@code train NAME} for every registered family to {@code train}. */
    static void install(CommandLine train) {
        for (Family f : Families.all()) {
            CommandLine sub = new CommandLine(new FamilyTrain(f));
            CommandSpec cs = sub.getCommandSpec();
            cs.usageMessage().description(f.trainingDescription().toArray(new String[0]));
            for (FamilyOption o : f.trainingOptions()) {
                cs.addOption(FamilyOptions.spec(o, ""));
            }
            train.addSubcommand(f.name(), sub);
        }
    }

    /**
     * Options of every family: the data, the model directory and how the run shows and replaces.
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

    /** {@code accent train NAME} for one family. */
    @Command(mixinStandardHelpOptions = true)
    static final class FamilyTrain implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Mixin Common common;

        private final Family family;

        FamilyTrain(Family family) {
            this.family = family;
        }

        @Override
        public Integer call() {
            OptionValues values =
                    FamilyOptions.values(
                            spec.commandLine().getParseResult(), family.trainingOptions());
            List<String> report;
            try (Progress p = common.console.progress("step")) {
                // a bad option value is a configuration error, found before training starts
                report =
                        FamilyOptions.parse(
                                () -> family.train(common.data, common.target(), values, p));
            }
            var w = spec.commandLine().getOut();
            report.forEach(w::println);
            w.printf("model written to %s%n", common.out);
            return 0;
        }
    }
}
