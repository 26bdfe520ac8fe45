package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.Json;
import io.accent.core.Progress;
import io.accent.data.PreparedDataset;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceEngines;
import io.accent.influence.InfluenceResult;
import io.accent.influence.LinearSolver;
import io.accent.influence.SolveResult;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.model.ModelFamilies;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfInfluenceConfig;
import io.accent.rcf.RcfInfluenceConfig;
import java.io.PrintWriter;
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
            "Estimate how much removing each of a user's training actions would lower each target's score.",
            "NCF: FIA over the user's ratings (docs/SPEC.md §3); RCF: FIA over the user's positives with the"
                    + " user embedding perturbed and the lists rebuilt without the positive (§5).",
            "influence = score - score without the action, so the predicted new score is score - influence."
                    + " Targets default to the user's top-20.",
            "CSV rows: one per (action, target), removed_rating empty for RCF; diagnostics go to stderr (CSV)"
                    + " or into the JSON."
        })
final class InfluenceCommand implements Callable<Integer> {

    enum Format {
        csv,
        json
    }

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(
            names = "--user",
            required = true,
            paramLabel = "RAW_USER_ID",
            description = "User, by raw id.")
    int user;

    @Option(
            names = "--items",
            split = ",",
            paramLabel = "ID",
            description =
                    "Target items by raw id (unrated by the user); default: the user's top-20.")
    List<Integer> items;

    @Option(
            names = "--format",
            defaultValue = "csv",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--solver",
            defaultValue = "cg",
            description = "NCF only: inverse-HVP solver, cg or exact (default: ${DEFAULT-VALUE}).")
    String solver;

    @Option(
            names = "--cg-max-iterations",
            defaultValue = "200",
            paramLabel = "N",
            description =
                    "NCF only: iteration cap of CG (default: ${DEFAULT-VALUE}); a solve that reaches it"
                            + " without converging falls back to the direct solve, or fails with --no-fallback.")
    int cgMaxIterations;

    @Option(
            names = "--no-fallback",
            description = "NCF only: fail instead of solving directly when CG does not converge.")
    boolean noFallback;

    @Option(
            names = "--hessian",
            paramLabel = "exact|shared",
            description =
                    "RCF only: one Hessian per removed positive as docs/SPEC.md §5 (exact, default) or one per user"
                            + " with the full lists (shared, an approximation).")
    String hessian;

    @Mixin Options.Verbose verbose;

    @Override
    public Integer call() throws Exception {
        NcfInfluenceConfig base = NcfInfluenceConfig.defaults();
        LinearSolver[] solvers = new LinearSolver[1];
        // every option is checked before the model loads, as usage errors
        UsageException.check(
                () -> {
                    LinearSolver ls = LinearSolver.byName(solver);
                    if (ls instanceof ConjugateGradientSolver cg
                            && cgMaxIterations != cg.maxIterations()) {
                        ls = new ConjugateGradientSolver(cg.tolerance(), cgMaxIterations);
                    }
                    solvers[0] = ls;
                    if (hessian != null) {
                        RcfInfluenceConfig.Hessian.byName(hessian);
                    }
                });
        LinearSolver ls = solvers[0];
        if (items != null) {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int i : items) {
                if (!seen.add(i)) {
                    throw new UsageException("--items lists item " + i + " twice");
                }
            }
        }
        NcfInfluenceConfig ic =
                new NcfInfluenceConfig(
                        base.damping(), ls, !noFallback, base.topK(), base.rowsPerCall(), 1);
        FamilyOptions.checkInfluence(spec, modelOption.dir);
        RcfInfluenceConfig rc = FamilyOptions.rcfInfluence(hessian, 2);
        try (TrainedModel m = ModelStore.load(modelOption.dir)) {
            boolean rcf = m.metadata().family().equals(ModelFamilies.RCF.name());
            int topK = rcf ? rc.topK() : ic.topK();
            try (InfluenceEngine engine = InfluenceEngines.open(m, ic, rc)) {
                int u = m.users().require(user, "user");
                int[] targets;
                double[] scores;
                if (items == null || items.isEmpty()) {
                    List<ScoredItem> top = m.recommend(u, topK);
                    targets = top.stream().mapToInt(ScoredItem::item).toArray();
                    scores = top.stream().mapToDouble(ScoredItem::score).toArray();
                } else {
                    targets =
                            items.stream()
                                    .mapToInt(raw -> m.items().require(raw, "item"))
                                    .toArray();
                    float[] s = m.score(Arrays.stream(targets).map(t -> u).toArray(), targets);
                    scores = new double[s.length];
                    for (int k = 0; k < s.length; k++) {
                        scores[k] = s[k];
                    }
                }
                InfluenceResult r =
                        engine.computeTargets(
                                        new int[] {u},
                                        new int[][] {targets},
                                        new double[][] {scores},
                                        Progress.NONE)
                                .get(0);
                PrintWriter w = spec.commandLine().getOut();
                UserInfluence in = r.influence();
                // NCF actions are rated rows (rating 1..5); RCF actions are positives, which carry
                // no rating
                String[] ratings = new String[in.actionCount()];
                if (!rcf) {
                    PreparedDataset d = m.data();
                    int[] rowsOfU = d.train().rowsOf(u);
                    for (int z = 0; z < ratings.length; z++) {
                        ratings[z] = fmt(d.train().rating(rowsOfU[z]));
                    }
                } else {
                    Arrays.fill(ratings, "");
                }
                if (format == Format.csv) {
                    w.println(
                            "user,removed_item,removed_rating,target_item,target_score,influence");
                    for (int z = 0; z < in.actionCount(); z++) {
                        for (int k = 0; k < in.topK(); k++) {
                            w.printf(
                                    "%d,%d,%s,%d,%s,%s%n",
                                    user,
                                    m.items().raw(in.action(z)),
                                    ratings[z],
                                    m.items().raw(in.topItem(k)),
                                    in.score(k),
                                    in.influence(k, z));
                        }
                    }
                    if (rcf) {
                        spec.commandLine()
                                .getErr()
                                .printf(
                                        "RCF influence: %s Hessians, damping %s, %d removals x %d"
                                                + " targets%n",
                                        rc.hessian().name().toLowerCase(java.util.Locale.ROOT),
                                        rc.damping(),
                                        in.actionCount(),
                                        in.topK());
                    } else {
                        int maxIt =
                                r.solves().stream()
                                        .mapToInt(TargetSolve::iterations)
                                        .max()
                                        .orElse(0);
                        double maxRes =
                                r.solves().stream()
                                        .mapToDouble(TargetSolve::residualNorm)
                                        .max()
                                        .orElse(0);
                        spec.commandLine()
                                .getErr()
                                .printf(
                                        "solver %s: %d systems (user and item blocks), at most %d"
                                                + " iterations, largest relative residual %.2e, %d direct fallbacks%n",
                                        solver,
                                        2 * r.solves().size(),
                                        maxIt,
                                        maxRes,
                                        r.fallbacks());
                    }
                } else {
                    ObjectNode root = Json.mapper().createObjectNode();
                    root.put("user", user);
                    root.put("family", m.metadata().family());
                    if (rcf) {
                        root.put("hessian", rc.hessian().name().toLowerCase(java.util.Locale.ROOT))
                                .put("damping", rc.damping());
                    }
                    ArrayNode ts = root.putArray("targets");
                    for (int k = 0; k < in.topK(); k++) {
                        ObjectNode t = ts.addObject();
                        t.put("item", m.items().raw(in.topItem(k))).put("score", in.score(k));
                        if (rcf) {
                            t.put("n", in.actionCount());
                        } else {
                            TargetSolve s = r.solves().get(k);
                            t.put("n", s.n());
                            t.set("user_block", solveJson(s.user()));
                            t.set("item_block", solveJson(s.item()));
                        }
                    }
                    ArrayNode as = root.putArray("actions");
                    for (int z = 0; z < in.actionCount(); z++) {
                        ObjectNode a = as.addObject();
                        a.put("item", m.items().raw(in.action(z)));
                        if (rcf) {
                            a.putNull("rating");
                        } else {
                            a.put("rating", Float.parseFloat(ratings[z]));
                        }
                        ArrayNode inf = a.putArray("influence");
                        for (int k = 0; k < in.topK(); k++) {
                            inf.add(in.influence(k, z));
                        }
                    }
                    w.println(Json.mapper().writeValueAsString(root));
                }
                w.flush();
            }
        }
        return 0;
    }

    private static String fmt(float rating) {
        return rating == Math.rint(rating) ? String.valueOf((int) rating) : String.valueOf(rating);
    }

    private static ObjectNode solveJson(SolveResult s) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("method", s.method())
                .put("iterations", s.iterations())
                .put("relative_residual", s.residualNorm())
                .put("converged", s.converged());
        return o;
    }
}
