package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.api.Accent;
import io.accent.api.AccentModel;
import io.accent.api.Influence;
import io.accent.core.Json;
import java.io.PrintWriter;
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
        FamilyOptions.parse(
                () -> family.family().influence(family.values(), threadsOption.threads));
        // through the library's entry point, as a program embedding accent would
        try (AccentModel m =
                Accent.open(modelOption.dir, family.values().given(), threadsOption.threads)) {
            int[] targets = items == null ? new int[0] : items.stream().mapToInt(i -> i).toArray();
            Influence in = m.influence(user, targets);
            PrintWriter w = spec.commandLine().getOut();
            // rated actions carry their rating; positives without a rating leave it empty
            List<Float> ratings = in.ratings();
            if (format == Format.csv) {
                w.println("user,removed_item,removed_rating,target_item,target_score,influence");
                for (int z = 0; z < in.actions().size(); z++) {
                    String rating = ratings.isEmpty() ? "" : fmt(ratings.get(z));
                    for (int k = 0; k < in.targets().size(); k++) {
                        w.printf(
                                "%d,%d,%s,%d,%s,%s%n",
                                user,
                                in.actions().get(z),
                                rating,
                                in.targets().get(k),
                                in.scores().get(k),
                                in.influence(k, z));
                    }
                }
                spec.commandLine().getErr().println(in.diagnostics());
            } else {
                ObjectNode root = Json.mapper().createObjectNode();
                root.put("user", user);
                root.put("family", m.family());
                in.settings().forEach((k, v) -> root.set(k, Json.mapper().valueToTree(v)));
                ArrayNode ts = root.putArray("targets");
                for (int k = 0; k < in.targets().size(); k++) {
                    ObjectNode t = ts.addObject();
                    t.put("item", in.targets().get(k)).put("score", in.scores().get(k));
                    if (in.solves().isEmpty()) {
                        t.put("n", in.actions().size());
                    } else {
                        Influence.Solve s = in.solves().get(k);
                        t.put("n", s.n());
                        t.set("user_block", block(s.userBlock()));
                        t.set("item_block", block(s.itemBlock()));
                    }
                }
                ArrayNode as = root.putArray("actions");
                for (int z = 0; z < in.actions().size(); z++) {
                    ObjectNode a = as.addObject();
                    a.put("item", in.actions().get(z));
                    if (ratings.isEmpty()) {
                        a.putNull("rating");
                    } else {
                        a.put("rating", ratings.get(z));
                    }
                    ArrayNode inf = a.putArray("influence");
                    for (int k = 0; k < in.targets().size(); k++) {
                        inf.add(in.influence(k, z));
                    }
                }
                w.println(Json.mapper().writeValueAsString(root));
            }
            w.flush();
        }
        return 0;
    }

    private static ObjectNode block(Influence.Block b) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("method", b.method())
                .put("iterations", b.iterations())
                .put("relative_residual", b.relativeResidual())
                .put("converged", b.converged());
        return o;
    }

    private static String fmt(float rating) {
        return rating == Math.rint(rating) ? String.valueOf((int) rating) : String.valueOf(rating);
    }
}
