package io.accent.cli;

import io.accent.modelio.ModelImport;
import io.accent.modelio.VariableMapping;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code accent import}: a model trained elsewhere, by a variable mapping, into a model directory.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import a model trained elsewhere (TensorFlow checkpoint or SavedModel) into a model"
                    + " directory, so that recommend, influence, explain, evaluate and export-weights work on it.",
            "See docs/IMPORT.md, \"Explaining a model you trained elsewhere\", for the mapping format."
        },
        subcommands = {ImportCommand.Checkpoint.class, ImportCommand.SavedModel.class})
final class ImportCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "missing source kind (checkpoint or savedmodel)");
    }

    /** Options shared by both source kinds. */
    static final class Common {
        @Option(
                names = "--mapping",
                required = true,
                paramLabel = "FILE|reference-ncf",
                description =
                        "Mapping file (JSON, naming the model family), or a built-in mapping:"
                                + " 'reference-ncf' (the reference ACCENT code's NCF checkpoint).")
        String mapping;

        @Option(
                names = "--data",
                required = true,
                paramLabel = "PREPARED_DIR",
                description =
                        "Prepared data directory the model was trained on (from 'accent data prepare').")
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
                names = "--allow-outside-paths",
                description =
                        "Let the mapping's id files (ids.users, ids.items) be absolute paths or lie"
                                + " outside the mapping file's folder (by default they must be inside it, also"
                                + " after following links). Id files must be regular files of at most 64 MiB.")
        boolean allowOutsidePaths;

        @picocli.CommandLine.Mixin Options.Overwrite overwrite;

        @picocli.CommandLine.Mixin Options.Verbose verbose;

        VariableMapping mapping() {
            return VariableMapping.builtinNames().contains(mapping)
                    ? VariableMapping.builtin(mapping)
                    : VariableMapping.read(Path.of(mapping), allowOutsidePaths);
        }

        int run(CommandSpec spec, ModelImport.SourceFormat format, Path source) {
            return run(spec, format, source, false);
        }

        int run(
                CommandSpec spec,
                ModelImport.SourceFormat format,
                Path source,
                boolean trustGraph) {
            ModelImport.Report r =
                    ModelImport.run(
                            new ModelImport.Request(
                                    format,
                                    source,
                                    mapping(),
                                    mapping,
                                    data,
                                    out,
                                    overwrite.overwrite,
                                    trustGraph));
            PrintWriter err = spec.commandLine().getErr();
            r.warnings().forEach(w -> err.println("warning: " + w));
            err.flush();
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    "imported %s %s as %s: %d users, %d items; optimizer state %s%n",
                    format.label(),
                    source,
                    r.metadata().family().toUpperCase(),
                    r.metadata().numUsers(),
                    r.metadata().numItems(),
                    r.optimizerImported() ? "imported" : "fresh");
            if (!Double.isNaN(r.fit().trainingMse())) {
                w.printf(
                        "training RMSE %.4f   held-out RMSE %.4f%n",
                        Math.sqrt(r.fit().trainingMse()), Math.sqrt(r.fit().heldOutMse()));
            }
            if (!Double.isNaN(r.fit().rankingSanity())) {
                w.printf("test pairs ranked correctly: %.4f%n", r.fit().rankingSanity());
            }
            if (r.checkedSignature().isPresent()) {
                w.printf(
                        "scores agree with signature '%s' on %d pairs (largest relative difference %.2e)%n",
                        r.checkedSignature().get(), r.checkedPairs(), r.maxScoreDifference());
            }
            w.printf("model written to %s%n", out);
            return 0;
        }
    }

    /** {@code accent import checkpoint}. */
    @Command(
            name = "checkpoint",
            mixinStandardHelpOptions = true,
            description =
                    "Import a TensorFlow V2 checkpoint (PREFIX.index, PREFIX.data-*) by tensor name.")
    static final class Checkpoint implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--checkpoint",
                required = true,
                paramLabel = "PREFIX",
                description =
                        "Checkpoint prefix without .index, for example"
                                + " output/ncf-checkpoint-119999.")
        Path checkpoint;

        @picocli.CommandLine.Mixin Common common;

        @Override
        public Integer call() {
            return common.run(spec, ModelImport.SourceFormat.CHECKPOINT, checkpoint);
        }
    }

    /** {@code accent import savedmodel}. */
    @Command(
            name = "savedmodel",
            mixinStandardHelpOptions = true,
            description = {
                "Import the variables of a SavedModel by name (TF1 variable or TF2 object-graph names).",
                "TF2 names look like:",
                "  user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                "When the SavedModel has a serving signature (the mapping's 'signature', or"
                        + " serving_default(user, item) -> score), the imported scores are checked against it"
                        + " before anything is written. That check is the only time accent runs a"
                        + " graph it did not build, and only a graph of pure math operations"
                        + " (see --trust-graph)."
            })
    static final class SavedModel implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--saved-model",
                required = true,
                paramLabel = "DIR",
                description = "SavedModel directory.")
        Path savedModel;

        @Option(
                names = "--trust-graph",
                description =
                        "Run the SavedModel's serving signature for the score check even if its"
                                + " graph uses operations other than pure math (file, network,"
                                + " Python or custom operations). Only for graphs you trust:"
                                + " they run with your rights.")
        boolean trustGraph;

        @picocli.CommandLine.Mixin Common common;

        @Override
        public Integer call() {
            return common.run(spec, ModelImport.SourceFormat.SAVED_MODEL, savedModel, trustGraph);
        }
    }
}
