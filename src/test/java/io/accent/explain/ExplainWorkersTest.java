package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.accent.core.Progress;
import io.accent.family.Families;
import io.accent.family.OptionValues;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceSetup;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ExplanationRun.Workers} other than the local one, as the spark module's tasks use them:
 * users explained in slices, each slice by its own engine and the slices computed out of order,
 * give result files byte-identical to a run with one engine, also when they resume a partial
 * output; on the embedded NCF and RCF models.
 */
class ExplainWorkersTest {

    /** Slices of {@code size} users, computed last slice first, each with a fresh engine. */
    record Slices(int size) implements ExplanationRun.Workers {
        @Override
        public void explain(
                TrainedModel model,
                InfluenceSetup influence,
                ExplanationRun.Config config,
                int[] users,
                java.util.function.Consumer<ExplanationRun.UserResult> sink) {
            List<List<ExplanationRun.UserResult>> slices = new ArrayList<>();
            for (int from = 0; from < users.length; from += size) {
                slices.add(new ArrayList<>());
            }
            for (int j = slices.size() - 1; j >= 0; j--) {
                int[] part =
                        Arrays.copyOfRange(users, j * size, Math.min(users.length, (j + 1) * size));
                try (InfluenceEngine engine = influence.open(model)) {
                    ExplanationRun.compute(engine, config, part, slices.get(j)::add);
                }
            }
            slices.forEach(s -> s.forEach(sink));
        }
    }

    @ParameterizedTest
    @CsvSource({"ncf-synthetic, 'accent,fia,pure-fia'", "rcf-synthetic, 'accent,pure-att'"})
    void slicedWorkersWriteTheFilesOfOneEngine(String name, String algos, @TempDir Path tmp)
            throws IOException {
        try (TrainedModel model = ModelStore.load(Path.of("saved-models", name))) {
            InfluenceSetup setup = Families.of(model).influence(OptionValues.NONE, 2);
            List<Explainer> explainers =
                    Arrays.stream(algos.split(",")).map(Explainers::byName).toList();
            int[] users = new int[24];
            Arrays.setAll(users, u -> u);
            int[] ks = {5, 10};
            Path one = tmp.resolve("one");
            Path sliced = tmp.resolve("sliced");
            ExplanationRun.run(
                    model,
                    setup,
                    new ExplanationRun.Config(users, ks, explainers, Optional.of(one), 4),
                    Progress.NONE,
                    r -> {});
            ExplanationRun.run(
                    model,
                    setup,
                    new ExplanationRun.Config(users, ks, explainers, Optional.of(sliced), 4),
                    Progress.NONE,
                    r -> {},
                    new Slices(8));
            assertSameFiles(one, sliced);
            // an interrupted run (the first 10 users), resumed by sliced workers
            try (Stream<Path> s = Files.list(sliced)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".csv")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    Files.writeString(f, String.join("\n", lines.subList(0, 11)) + "\n");
                }
            }
            ExplanationRun.Summary resumed =
                    ExplanationRun.run(
                            model,
                            setup,
                            new ExplanationRun.Config(
                                    users, ks, explainers, Optional.of(sliced), 4),
                            Progress.NONE,
                            r -> {},
                            new Slices(5));
            assertEquals(10, resumed.skipped());
            assertSameFiles(one, sliced);
        }
    }

    static void assertSameFiles(Path a, Path b) throws IOException {
        List<String> names;
        try (Stream<Path> s = Files.list(a)) {
            names =
                    s.map(p -> p.getFileName().toString())
                            .filter(n -> !n.endsWith(".lock"))
                            .sorted()
                            .toList();
        }
        try (Stream<Path> s = Files.list(b)) {
            assertEquals(
                    names,
                    s.map(p -> p.getFileName().toString())
                            .filter(n -> !n.endsWith(".lock"))
                            .sorted()
                            .toList());
        }
        for (String n : names) {
            assertArrayEquals(
                    Files.readAllBytes(a.resolve(n)), Files.readAllBytes(b.resolve(n)), n);
        }
    }
}
