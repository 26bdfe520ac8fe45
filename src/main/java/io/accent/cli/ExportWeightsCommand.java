package io.accent.cli;

import io.accent.core.OutputTarget;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.modelio.WeightExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent export-weights}: every variable as a NumPy file. */
@Command(
        name = "export-weights",
        mixinStandardHelpOptions = true,
        description = {
            "Write every variable of a model as a NumPy .npy file.",
            "Files are float32, C order, one per variable, Adam state included (for example"
                    + " P_mlp.adam_m.npy), plus manifest.json listing name, file, dtype and shape."
        })
final class ExportWeightsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory to write (a fresh one, or one export-weights wrote).")
    Path out;

    @Mixin Options.Verbose verbose;

    @Mixin Options.Overwrite overwrite;

    @Override
    public Integer call() {
        OutputTarget target =
                OutputTarget.of(out, WeightExport.KIND, modelOption.dir)
                        .withOverwrite(overwrite.overwrite);
        target.check();
        try (TrainedModel m = ModelStore.load(modelOption.dir)) {
            int n = WeightExport.write(m.parameters(), target);
            spec.commandLine().getOut().printf("wrote %d arrays to %s%n", n, out);
        }
        return 0;
    }
}
