package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files verify up to numeric noise in the scores, and not across models. */
class TopListToleranceTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");

    @TempDir Path root;

    @Test
    void nearTiesMaySwapButRealGapsMayNot() {
        float[] model = {3.0f, 2.99995f, 2.5f, 2.0f};
        assertTrue(TopListCheck.mismatch(new float[] {3.0f, 2.99995f, 2.5f}, model).isEmpty());
        assertTrue(TopListCheck.mismatch(new float[] {2.99995f, 3.0f, 2.5f}, model).isEmpty());
        // 1e-6 relative noise on every score
        assertTrue(
                TopListCheck.mismatch(new float[] {3.000003f, 2.99995f, 2.4999976f}, model)
                        .isEmpty());
        Optional<String> swapped = TopListCheck.mismatch(new float[] {3.0f, 2.5f, 2.99995f}, model);
        assertTrue(swapped.isPresent());
        assertTrue(swapped.get().startsWith("position 1"), swapped.get());
        assertTrue(TopListCheck.mismatch(new float[] {3.0f, 2.99995f, 2.0f}, model).isPresent());
        assertTrue(TopListCheck.mismatch(new float[] {Float.NaN}, model).isPresent());
    }

    /**
     * A file made from the model's scores perturbed by 1e-6 relative (as on another device), with
     * the closest near-tie of the model swapped outright.
     */
    static Path noisyFile(TrainedModel m, Path dir, int users) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder b =
                new StringBuilder("user,item,topk,counterfactual,predicted_scores,replacement\n");
        double closest = Double.MAX_VALUE;
        int closestUser = -1;
        int closestPos = -1;
        List<List<Integer>> lists = new ArrayList<>();
        for (int u = 0; u < m.metadata().numUsers(); u++) {
            List<ScoredItem> top = new ArrayList<>(m.recommend(u, 30));
            for (int i = 0; i + 1 < 5; i++) {
                double gap =
                        (top.get(i).score() - top.get(i + 1).score())
                                / Math.max(1, top.get(i).score());
                if (gap < closest) {
                    closest = gap;
                    closestUser = u;
                    closestPos = i;
                }
            }
            List<ScoredItem> noisy =
                    top.stream()
                            .map(
                                    s ->
                                            new ScoredItem(
                                                    s.item(),
                                                    (float)
                                                            (s.score()
                                                                    * (1
                                                                            + 1e-6
                                                                                    * (2
                                                                                                    * rnd
                                                                                                            .nextDouble()
                                                                                            - 1)))))
                            .sorted(Comparator.comparingDouble(ScoredItem::score).reversed())
                            .toList();
            lists.add(
                    new ArrayList<>(
                            noisy.subList(0, 5).stream()
                                    .map(
                                            s ->
                                                    ((io.accent.ncf.NcfModel) m)
                                                            .data()
                                                            .items()
                                                            .raw(s.item()))
                                    .toList()));
        }
        assertTrue(
                closest < TopListCheck.RELATIVE_TOLERANCE,
                "no near-tie to swap: closest gap " + closest);
        List<Integer> l = lists.get(closestUser);
        List<ScoredItem> exact = m.recommend(closestUser, 5);
        l.set(
                closestPos,
                ((io.accent.ncf.NcfModel) m).data().items().raw(exact.get(closestPos + 1).item()));
        l.set(
                closestPos + 1,
                ((io.accent.ncf.NcfModel) m).data().items().raw(exact.get(closestPos).item()));
        for (int u = 0; u < lists.size(); u++) {
            if (u >= users && u != closestUser) {
                continue;
            }
            List<Integer> raw = lists.get(u);
            int cf =
                    ((io.accent.ncf.NcfModel) m)
                            .data()
                            .items()
                            .raw(
                                    ((io.accent.ncf.NcfModel) m)
                                            .data()
                                            .train()
                                            .item(
                                                    ((io.accent.ncf.NcfModel) m)
                                                            .data()
                                                            .train()
                                                            .rowsOf(u)[0]));
            String preds =
                    raw.stream()
                            .map(x -> String.valueOf(1.0 + 1e-6 * x))
                            .collect(Collectors.joining(", "));
            b.append(((io.accent.ncf.NcfModel) m).data().users().raw(u))
                    .append(',')
                    .append(raw.get(0))
                    .append(",\"")
                    .append(raw)
                    .append("\",\"{")
                    .append(cf)
                    .append("}\",\"[")
                    .append(preds)
                    .append("]\",")
                    .append(raw.get(1))
                    .append('\n');
        }
        Path f = dir.resolve("accent_5.csv");
        Files.writeString(f, b.toString());
        return f;
    }

    static EvaluationJob config(Path file) {
        return EvaluationJob.ncf(
                List.of(file),
                1,
                2,
                new long[0],
                Optional.empty(),
                64,
                1,
                file.getParent().resolve("retrains"));
    }

    @Test
    void aFileWithScoresPerturbedBy1e6VerifiesAndAFileOfAnotherModelDoesNot() throws IOException {
        Path noisy;
        try (TrainedModel m = ModelStore.load(MODEL)) {
            noisy = noisyFile(m, root.resolve("noisy"), 60);
            EvaluationRun.Summary s = (config(noisy)).run(m, Progress.NONE);
            assertEquals(1, s.files().size());
            assertTrue(s.files().get(0).stats().verified() >= 60);
            String text = Files.readString(noisy);
            assertTrue(text.contains("actual_scores_avg"));
            assertFalse(text.contains(",null"), "every listed item got a retrained score");
        }
        // the same rows checked against another model: rejected, the file left alone
        String before = Files.readString(noisy);
        try (TrainedModel other = ModelStore.load(TestModels.smallModel())) {
            DataException e =
                    assertThrows(
                            DataException.class, () -> (config(noisy)).run(other, Progress.NONE));
            assertTrue(
                    e.getMessage().contains("another model")
                            || e.getMessage().contains("unknown user"),
                    e.getMessage());
        }
        assertEquals(before, Files.readString(noisy));
    }
}
