package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.Json;
import io.accent.core.Progress;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.InfluenceSetup;
import io.accent.influence.UserInfluence;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
            "FIA with the model family's engine: over the user's ratings for NCF and MF (docs/SPEC.md §3,"
                    + " §11.1), over the user's positives with the lists rebuilt without the positive for RCF (§5).",
            "influence = score - score without the action, so the predicted new score is score - influence."
                    + " Targets default to the user's top-20.",
            "CSV rows: one per (action, target), removed_rating empty where actions carry no rating (RCF);"
                    + " diagnostics go to stderr (CSV) or into the JSON."
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

    @Mixin Options.Threads threadsOption;

    @Mixin Options.Verbose verbose;

    @Override
    public Integer call() throws Exception {
        if (items != null) {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int i : items) {
                if (!seen.add(i)) {
                    throw new UsageException("--items lists item " + i + " twice");
                }
            }
        }
        // every option is checked before the model loads
        FamilyOptions.Selected family =
                FamilyOptions.check(spec, modelOption.dir, FamilyOptions.Job.INFLUENCE);
        InfluenceSetup setup =
                FamilyOptions.parse(
                        () -> family.family().influence(family.values(), threadsOption.threads));
        try (TrainedModel m = ModelStore.load(modelOption.dir);
                InfluenceEngine engine = setup.open(m)) {
            int u = m.users().require(user, "user");
            int[] targets;
            double[] scores;
            if (items == null || items.isEmpty()) {
                List<ScoredItem> top = m.recommend(u, setup.capabilities().topK());
                targets = top.stream().mapToInt(ScoredItem::item).toArray();
                scores = top.stream().mapToDouble(ScoredItem::score).toArray();
            } else {
                targets = items.stream().mapToInt(raw -> m.items().require(raw, "item")).toArray();
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
            // rated actions carry their rating; positives without a rating leave it empty
            Optional<float[]> ratings = engine.actionRatings(u);
            if (format == Format.csv) {
                w.println("user,removed_item,removed_rating,target_item,target_score,influence");
                for (int z = 0; z < in.actionCount(); z++) {
                    String rating = ratings.isPresent() ? fmt(ratings.get()[z]) : "";
                    for (int k = 0; k < in.topK(); k++) {
                        w.printf(
                                "%d,%d,%s,%d,%s,%s%n",
                                user,
                                m.items().raw(in.action(z)),
                                rating,
                                m.items().raw(in.topItem(k)),
                                in.score(k),
                                in.influence(k, z));
                    }
                }
                spec.commandLine().getErr().println(engine.diagnostics(r));
            } else {
                ObjectNode root = Json.mapper().createObjectNode();
                root.put("user", user);
                root.put("family", m.metadata().family());
                engine.describe(root);
                ArrayNode ts = root.putArray("targets");
                for (int k = 0; k < in.topK(); k++) {
                    ObjectNode t = ts.addObject();
                    t.put("item", m.items().raw(in.topItem(k))).put("score", in.score(k));
                    engine.describeTarget(t, r, k);
                }
                ArrayNode as = root.putArray("actions");
                for (int z = 0; z < in.actionCount(); z++) {
                    ObjectNode a = as.addObject();
                    a.put("item", m.items().raw(in.action(z)));
                    if (ratings.isPresent()) {
                        a.put("rating", ratings.get()[z]);
                    } else {
                        a.putNull("rating");
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
        return 0;
    }

    private static String fmt(float rating) {
        return rating == Math.rint(rating) ? String.valueOf((int) rating) : String.valueOf(rating);
    }
}
