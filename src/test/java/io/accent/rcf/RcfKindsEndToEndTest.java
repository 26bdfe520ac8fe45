package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ModelException;
import io.accent.core.Progress;
import io.accent.data.DatasetPreparation;
import io.accent.data.ItemAttributes;
import io.accent.data.PreparationSummary;
import io.accent.data.PrepareConfig;
import io.accent.data.RatingSource;
import io.accent.data.ScaledSyntheticConfig;
import io.accent.data.ScaledSyntheticGenerator;
import io.accent.data.SplitRule;
import io.accent.data.SyntheticLayout;
import io.accent.data.SyntheticShape;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.Retraining;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RCF with K attribute kinds from preparation to explanation (docs/SPEC.md §11.2): a small
 * synthetic MovieLens 1M directory is prepared (genres: K = 1; an attribute file: K = 5), trained,
 * served by the SavedModel (lists built in the graph) as by Java-built lists, explained by the
 * influence engine (closed-form per-removal Hessians against finite differences, influence against
 * real forward passes) and retrained without a positive.
 */
class RcfKindsEndToEndTest {

    @TempDir static Path tmp;

    static Path raw;

    @BeforeAll
    static void generate() {
        raw = tmp.resolve("ml-1m");
        ScaledSyntheticGenerator.generate(
                new ScaledSyntheticConfig(
                        raw, 9, new SyntheticShape(50, 120, 3_000, SyntheticLayout.ML_1M)),
                Progress.NONE);
    }

    private static PreparationSummary prepare(Path out, Optional<Path> attributes) {
        return DatasetPreparation.prepare(
                new PrepareConfig(
                        RatingSource.movielens(raw),
                        Optional.empty(),
                        out,
                        "kinds",
                        SplitRule.REFERENCE,
                        false,
                        attributes,
                        PrepareConfig.RELATIONAL_SEED),
                Progress.NONE);
    }

    @Test
    void oneKindOfGenresPreparesTrainsServesAndExplains() {
        Path data = tmp.resolve("prepared-1");
        PreparationSummary s = prepare(data, Optional.empty());
        assertEquals(List.of("genre"), s.kinds());
        check(data, List.of("genre"));
    }

    @Test
    void fiveKindsFromAnAttributeFile() throws IOException {
        StringBuilder a = new StringBuilder(ItemAttributes.HEADER + "\n");
        String[] kinds = {"genre", "director", "actor", "country", "decade"};
        for (int i = 1; i <= 120; i++) {
            for (int k = 0; k < kinds.length; k++) {
                if (i % 9 == 0 && k >= 3) {
                    continue; // some items lack the last two kinds
                }
                a.append(i).append('\t').append(kinds[k]).append('\t');
                a.append(kinds[k]).append((i * (k + 3)) % (4 + 3 * k)).append('\n');
                if (k == 2) {
                    a.append(i).append('\t').append(kinds[k]).append('\t');
                    a.append(kinds[k]).append("x").append(i % 5).append('\n');
                }
            }
        }
        Path file = tmp.resolve("attributes-5.tsv");
        Files.writeString(file, a);
        Path data = tmp.resolve("prepared-5");
        assertEquals(List.of(kinds), prepare(data, Optional.of(file)).kinds());
        check(data, List.of(kinds));
    }

    private static void check(Path data, List<String> kinds) {
        Path dir = tmp.resolve("model-" + kinds.size());
        RcfConfig cfg = RcfTrainerTest.small(2, 3);
        RcfTraining.Report report = RcfTraining.run(data, dir, cfg, 1, Progress.NONE);
        assertTrue(report.sanity() > 0 && report.sanity() < 1, "sanity " + report.sanity());
        assertEquals(kinds, report.metadata().config().get(RcfKinds.KEY));
        try (TrainedModel model = ModelStore.load(dir)) {
            RcfModel rm = (RcfModel) model;
            RcfNetwork.Sizes sizes = rm.rcfData().sizes();
            assertEquals(kinds.size(), sizes.kinds());
            assertEquals(
                    RcfNetwork.variables(kinds.size()),
                    model.parameters().arrays().stream()
                            .map(x -> x.name())
                            .filter(n -> !n.endsWith(".adagrad"))
                            .toList());
            assertArrayEquals(
                    new long[] {kinds.size() + 1, 8}, model.parameters().get("R").shape());
            servedScoresEqualJavaBuiltLists(model, cfg);
            influenceIsExact(model);
            retrainsWithoutAPositive(model);
        }
        // a model whose recorded kinds differ from its data's is refused
        Path meta = dir.resolve(ModelStore.METADATA);
        try {
            Files.writeString(
                    meta,
                    Files.readString(meta)
                            .replace("\"" + kinds.get(0) + "\"", "\"" + kinds.get(0) + "s\""));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ModelException e = assertThrows(ModelException.class, () -> ModelStore.load(dir));
        assertTrue(e.getMessage().contains("attribute kinds"), e.getMessage());
    }

    private static void servedScoresEqualJavaBuiltLists(TrainedModel model, RcfConfig cfg) {
        RcfData data = ((RcfModel) model).rcfData();
        SplittableRandom r = new SplittableRandom(1);
        int n = 600;
        int[] us = new int[n];
        int[] is = new int[n];
        for (int k = 0; k < n; k++) {
            do {
                us[k] = r.nextInt(data.sizes().users());
            } while (data.lists().positiveCount(us[k]) == 0);
            is[k] = r.nextInt(data.sizes().items());
        }
        float[] served = model.score(us, is);
        float[] java = new RcfTrainer(cfg, 1).score(data, model.parameters(), us, is);
        for (int k = 0; k < n; k++) {
            assertEquals(java[k], served[k], 1e-5 * Math.max(1, Math.abs(java[k])), "pair " + k);
        }
    }

    /** A user with at least {@code min} positives. */
    private static int user(TrainedModel model, int min) {
        for (int u = 0; u < model.metadata().numUsers(); u++) {
            if (model.trainingItems(u).cardinality() >= min) {
                return u;
            }
        }
        throw new AssertionError("no user with " + min + " positives");
    }

    private static void influenceIsExact(TrainedModel model) {
        try (RcfInfluenceEngine e = new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults());
                RcfInfluenceTest.Oracle o = new RcfInfluenceTest.Oracle(model, 0.5)) {
            int u = user(model, 5);
            RcfInfluenceTest.exactHessiansMatchFiniteDifferences(e, u, 0, 2);
            RcfInfluenceTest.influenceIsTheScoreDifference(
                    e,
                    o,
                    u,
                    e.compute(u).influence(),
                    "relation types " + model.parameters().get("R").rows());
        }
    }

    private static void retrainsWithoutAPositive(TrainedModel model) {
        int u = user(model, 5);
        int removed = model.trainingItems(u).nextSetBit(0);
        int[] items = {0, 1, 2};
        try (Retraining r = RcfFamily.RETRAINING.open(model, 1)) {
            float[][][] out =
                    r.run(
                            List.of(new RetrainJob(u, Set.of(removed), r.seed(0))),
                            1,
                            new int[][] {items},
                            Progress.NONE);
            for (float x : out[0][0]) {
                assertTrue(Float.isFinite(x));
            }
        }
    }
}
