package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.ConfigException;
import io.accent.core.Json;
import io.accent.core.Progress;
import io.accent.data.PreparedDataset;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.InfluenceConfig;
import io.accent.influence.InfluenceResult;
import io.accent.influence.LinearSolver;
import io.accent.influence.NcfInfluenceEngine;
import io.accent.influence.SolveResult;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.model.ModelStore;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent influence}: FIA influences of a user's ratings on target scores. */
@Command(
        name = "influence",
        mixinStandardHelpOptions = true,
        description = {
            "Estimate how much removing each of a user's ratings would lower each target's score.",
            "FIA (MODELS.md §3): influence = score - score without the rating, so the predicted new"
                    + " score is score - influence. Targets default to the user's top-20.",
            "CSV rows: one per (rating, target); solver diagnostics go to stderr (CSV) or into the JSON."
        })
final class InfluenceCommand implements Callable<Integer> {

    enum Format { csv, json }

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(names = "--user", required = true, paramLabel = "RAW_USER_ID", description = "User, by raw id.")
    int user;

    @Option(names = "--items", split = ",", paramLabel = "ID",
            description = "Target items by raw id (unrated by the user); default: the user's top-20.")
    List<Integer> items;

    @Option(names = "--format", defaultValue = "csv", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--solver", defaultValue = "cg", description = "Inverse-HVP solver: cg or exact (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--cg-max-iterations", defaultValue = "200", paramLabel = "N",
            description = "Iteration cap of CG (default: ${DEFAULT-VALUE}); a solve that reaches it without"
                    + " converging falls back to the direct solve, or fails with --no-fallback.")
    int cgMaxIterations;

    @Option(names = "--no-fallback", description = "Fail instead of solving directly when CG does not converge.")
    boolean noFallback;

    @Mixin Options.Verbose verbose;

    @Override
    public Integer call() throws Exception {
        InfluenceConfig base = InfluenceConfig.defaults();
        LinearSolver ls = LinearSolver.byName(solver);
        if (ls instanceof ConjugateGradientSolver cg && cgMaxIterations != cg.maxIterations()) {
            ls = new ConjugateGradientSolver(cg.tolerance(), cgMaxIterations);
        }
        InfluenceConfig ic = new InfluenceConfig(base.damping(), ls, !noFallback,
                base.topK(), base.rowsPerCall(), 1);
        try (TrainedModel m = ModelStore.load(modelOption.dir);
                NcfInfluenceEngine engine = new NcfInfluenceEngine(m, ic)) {
            PreparedDataset d = m.data();
            int u = d.users().require(user, "user");
            int[] targets;
            double[] scores;
            if (items == null || items.isEmpty()) {
                List<ScoredItem> top = m.recommend(u, ic.topK());
                targets = top.stream().mapToInt(ScoredItem::item).toArray();
                scores = top.stream().mapToDouble(ScoredItem::score).toArray();
            } else {
                targets = items.stream().mapToInt(raw -> d.items().require(raw, "item")).toArray();
                if (Arrays.stream(targets).distinct().count() != targets.length) {
                    throw new ConfigException("--items lists an item twice: " + items);
                }
                float[] s = m.score(Arrays.stream(targets).map(t -> u).toArray(), targets);
                scores = new double[s.length];
                for (int k = 0; k < s.length; k++) {
                    scores[k] = s[k];
                }
            }
            InfluenceResult r = engine.computeTargets(new int[] {u}, new int[][] {targets}, new double[][] {scores},
                    Progress.NONE).get(0);
            PrintWriter w = spec.commandLine().getOut();
            UserInfluence in = r.influence();
            int[] rowsOfU = d.train().rowsOf(u);
            if (format == Format.csv) {
                w.println("user,removed_item,removed_rating,target_item,target_score,influence");
                for (int z = 0; z < in.actionCount(); z++) {
                    for (int k = 0; k < in.topK(); k++) {
                        w.printf("%d,%d,%s,%d,%s,%s%n", user, d.items().raw(in.action(z)),
                                fmt(d.train().rating(rowsOfU[z])), d.items().raw(in.topItem(k)), in.score(k),
                                in.influence(k, z));
                    }
                }
                int maxIt = r.solves().stream().mapToInt(TargetSolve::iterations).max().orElse(0);
                double maxRes = r.solves().stream().mapToDouble(TargetSolve::residualNorm).max().orElse(0);
                spec.commandLine().getErr().printf("solver %s: %d systems (user and item blocks), at most %d iterations,"
                        + " largest relative residual %.2e, %d direct fallbacks%n", solver, 2 * r.solves().size(),
                        maxIt, maxRes, r.fallbacks());
            } else {
                ObjectNode root = Json.mapper().createObjectNode();
                root.put("user", user);
                ArrayNode ts = root.putArray("targets");
                for (int k = 0; k < in.topK(); k++) {
                    TargetSolve s = r.solves().get(k);
                    ObjectNode t = ts.addObject();
                    t.put("item", d.items().raw(in.topItem(k))).put("score", in.score(k)).put("n", s.n());
                    t.set("user_block", solveJson(s.user()));
                    t.set("item_block", solveJson(s.item()));
                }
                ArrayNode as = root.putArray("actions");
                for (int z = 0; z < in.actionCount(); z++) {
                    ObjectNode a = as.addObject();
                    a.put("item", d.items().raw(in.action(z))).put("rating", d.train().rating(rowsOfU[z]));
                    ArrayNode inf = a.putArray("influence");
                    for (int k = 0; k < in.topK(); k++) {
                        inf.add(in.influence(k, z));
                    }
                }
                w.println(Json.mapper().writeValueAsString(root));
            }
            w.flush();
        }
        return 0;
    }

    private static String fmt(float rating) {
        return rating == Math.rint(rating) ? String.valueOf((int) rating) : String.valueOf(rating);
    }

    private static ObjectNode solveJson(SolveResult s) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("method", s.method()).put("iterations", s.iterations()).put("relative_residual", s.residualNorm())
                .put("converged", s.converged());
        return o;
    }
}
