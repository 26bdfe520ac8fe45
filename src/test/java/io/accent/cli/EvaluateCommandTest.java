package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.Json;
import io.accent.core.Progress;
import io.accent.evaluate.ChartPixels;
import io.accent.evaluate.RetrainJob;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfBatchedRetrainer;
import io.accent.ncf.NcfConfig;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explain} then {@code evaluate} end to end on the embedded model
 * (saved-models/ncf-synthetic), with few steps, and every number it writes recomputed
 * independently: {@code actual_scores_r} by retraining alone with the trainer (seed r, the set's
 * ratings removed, warm start), {@code actual_scores_avg} as their mean over R, and CF%, sizes and
 * the drop/gap RMSE, std and ρ from the written files and the model's scores.
 */
class EvaluateCommandTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");
    static final int RETRAINS = 2;
    static final long STEPS = 20;

    @TempDir Path tmp;

    @Test
    void evaluateWritesTheNumbersAnIndependentRecomputationGives() throws Exception {
        Path dir = tmp.resolve("expl");
        DataCommandTest.Run e =
                DataCommandTest.run(
                        "explain",
                        "--model",
                        MODEL.toString(),
                        "--users",
                        "2,5",
                        "--k",
                        "5",
                        "--algo",
                        "accent",
                        "--out",
                        dir.toString(),
                        "--threads",
                        "1");
        assertEquals(0, e.code(), e.err());
        DataCommandTest.Run v =
                DataCommandTest.run(
                        "evaluate",
                        "--model",
                        MODEL.toString(),
                        "--explanations",
                        dir.toString(),
                        "--retrains",
                        String.valueOf(RETRAINS),
                        "--steps",
                        String.valueOf(STEPS),
                        "--checkpoints",
                        "5",
                        "--batch",
                        "4",
                        "--threads",
                        "1");
        assertEquals(0, v.code(), v.err());
        Path file = dir.resolve("accent_5.csv");
        List<ResultFiles.Row> rows = ResultFiles.read(file);
        assertEquals(2, rows.size());
        JsonNode summary =
                Json.mapper()
                        .readTree(dir.resolve("evaluation.json").toFile())
                        .path("files")
                        .get(0);

        int successes = 0;
        int sizeSum = 0;
        List<double[]> drops = new ArrayList<>();
        List<double[]> gaps = new ArrayList<>();
        try (TrainedModel m = ModelStore.load(MODEL)) {
            NcfConfig c = NcfConfig.fromMap(m.metadata().config());
            ParameterSet start = m.parameters();
            int nu = m.metadata().numUsers();
            int ni = m.metadata().numItems();
            for (ResultFiles.Row r : rows) {
                assertTrue(!r.cf().isEmpty(), "the embedded model explains users 2 and 5");
                assertEquals(RETRAINS, r.actual().size());
                int u = ((io.accent.ncf.NcfModel) m).data().users().require(r.user(), "user");
                int[] top =
                        r.topK().stream()
                                .mapToInt(
                                        i ->
                                                ((io.accent.ncf.NcfModel) m)
                                                        .data()
                                                        .items()
                                                        .require(i, "item"))
                                .toArray();
                Set<Integer> removed = new TreeSet<>();
                r.cf().forEach(
                                i ->
                                        removed.add(
                                                ((io.accent.ncf.NcfModel) m)
                                                        .data()
                                                        .items()
                                                        .require(i, "item")));
                int[] users = new int[top.length];
                java.util.Arrays.fill(users, u);
                // actual_scores_s: a retrain run alone (a batch of one), seed s, after exactly
                // --steps steps
                // (first row only, to keep the test short; the rows share the code path)
                for (int s = 0; s < (r == rows.get(0) ? RETRAINS : 0); s++) {
                    float[] want;
                    try (NcfBatchedRetrainer alone =
                            new NcfBatchedRetrainer(
                                    c, nu, ni, ((io.accent.ncf.NcfModel) m).data().train(), 1, 1)) {
                        want =
                                alone.run(
                                                start,
                                                List.of(new RetrainJob(u, removed, s)),
                                                STEPS,
                                                new long[] {STEPS},
                                                new int[][] {top},
                                                Progress.NONE)[0][0];
                    }
                    for (int j = 0; j < top.length; j++) {
                        assertEquals(
                                want[j],
                                r.actual().get(s).get(j),
                                2e-4,
                                "user " + r.user() + ", retrain " + s + ", item " + j);
                    }
                }
                // actual_scores_avg: the mean over the R retrains
                for (int j = 0; j < top.length; j++) {
                    double mean = 0;
                    for (List<Double> a : r.actual()) {
                        mean += a.get(j);
                    }
                    mean /= RETRAINS;
                    assertEquals(mean, r.avg().get(j), 1e-9 * Math.abs(mean));
                }
                int repl = r.topK().indexOf(r.replacement());
                if (r.avg().get(repl) > r.avg().get(0)) {
                    successes++;
                    sizeSum += r.cf().size();
                }
                gaps.add(
                        new double[] {
                            r.predicted().get(0) - r.predicted().get(repl),
                            r.avg().get(0) - r.avg().get(repl)
                        });
                float[] before = m.score(users, top);
                for (int j = 0; j < top.length; j++) {
                    drops.add(
                            new double[] {
                                before[j] - r.predicted().get(j), before[j] - r.avg().get(j)
                            });
                }
            }
        }
        assertEquals(rows.size(), summary.path("rows").asInt());
        assertEquals(successes, summary.path("successes").asInt());
        assertEquals(
                100.0 * successes / rows.size(), summary.path("cf_percentage").asDouble(), 1e-12);
        if (successes > 0) {
            assertEquals((double) sizeSum / successes, summary.path("mean_size").asDouble(), 1e-12);
        } else {
            assertEquals("NaN", summary.path("mean_size").asText());
        }
        double[] d = rmseStdRho(drops);
        assertEquals(drops.size(), summary.path("drop_points").asInt());
        assertEquals(d[0], summary.path("drop_rmse").asDouble(), 1e-9);
        assertEquals(d[1], summary.path("drop_actual_std").asDouble(), 1e-9);
        assertEquals(d[2], summary.path("drop_pearson").asDouble(), 1e-9);
        double[] g = rmseStdRho(gaps);
        assertEquals(gaps.size(), summary.path("gap_rows").asInt());
        assertEquals(g[0], summary.path("gap_rmse").asDouble(), 1e-9);
        assertEquals(g[1], summary.path("gap_actual_std").asDouble(), 1e-9);
        assertEquals(g[2], summary.path("gap_pearson").asDouble(), 1e-9);
        // the printed table row carries the same figures
        Matcher row =
                Pattern.compile(
                                "accent_5\\.csv\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+)%\\s+(\\S+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+(-?[\\d.]+)")
                        .matcher(v.out());
        assertTrue(row.find(), v.out());
        assertEquals(String.format("%.2f", 100.0 * successes / rows.size()), row.group(4));
        assertEquals(String.format("%.3f", d[0]), row.group(6));
        assertEquals(String.format("%.3f", d[1]), row.group(7));
        assertEquals(String.format("%.3f", d[2]), row.group(8));
        // the charts have content
        ChartPixels.assertDrawn(dir.resolve("evaluation-drops.png"));
        ChartPixels.assertDrawn(dir.resolve("evaluation-gaps.png"));
        ChartPixels.assertDrawn(dir.resolve("evaluation-table.png"));
    }

    /** RMSE of x − y, population std of y, Pearson ρ of (x, y), computed here from scratch. */
    static double[] rmseStdRho(List<double[]> pts) {
        int n = pts.size();
        double se = 0;
        double mx = 0;
        double my = 0;
        for (double[] p : pts) {
            se += (p[0] - p[1]) * (p[0] - p[1]);
            mx += p[0] / n;
            my += p[1] / n;
        }
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (double[] p : pts) {
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        return new double[] {Math.sqrt(se / n), Math.sqrt(syy / n), sxy / Math.sqrt(sxx * syy)};
    }
}
