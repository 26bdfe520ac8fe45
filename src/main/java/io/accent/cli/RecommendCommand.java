package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.api.Accent;
import io.accent.api.AccentModel;
import io.accent.api.Recommendation;
import io.accent.core.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent recommend}: top-k for one user or many. */
@Command(
        name = "recommend",
        mixinStandardHelpOptions = true,
        description = {
            "Recommend the top-k items for a user, excluding the user's training items.",
            "Training items: every rated item for NCF and MF, the training positives only for RCF.",
            "With --users (all, or raw ids), the lists of many users in one table: csv has a row per"
                    + " user and rank, json an array of the users' objects, text a block per user."
        })
final class RecommendCommand implements Callable<Integer> {

    enum Format {
        text,
        csv,
        json
    }

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(
            names = "--user",
            paramLabel = "RAW_USER_ID",
            description = "User, by raw (MovieLens) id.")
    Integer user;

    @Option(
            names = "--users",
            paramLabel = "all|ID,ID,...",
            description = "Several users by raw id, none twice, or 'all' (instead of --user).")
    String users;

    @Option(
            names = "--k",
            defaultValue = "20",
            description = "Number of items (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin Options.Verbose verbose;

    /** Who ranks the items of many users ({@link Main#commandLine(Backend)}). */
    Backend backend = Backend.LOCAL;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new UsageException("--k must be positive, got " + k);
        }
        if ((user == null) == (users == null)) {
            throw new UsageException("give --user or --users");
        }
        if (users != null && !users.trim().equalsIgnoreCase("all")) {
            Users.rawIds(users, "--users");
        }
        // through the library's entry point, as a program embedding accent would
        try (AccentModel m = Accent.open(modelOption.dir)) {
            PrintWriter out = spec.commandLine().getOut();
            int[] raw;
            List<List<Recommendation>> tops;
            if (user != null) {
                raw = new int[] {user};
                tops = List.of(m.recommend(user, k));
            } else {
                raw =
                        users.trim().equalsIgnoreCase("all")
                                ? m.users()
                                : Users.rawIds(users, "--users").stream()
                                        .mapToInt(Integer::intValue)
                                        .toArray();
                for (int u : raw) {
                    if (!m.knowsUser(u)) {
                        m.recommend(u, k); // the library's error naming the user
                    }
                }
                tops =
                        backend.recommender(new Jobs.Model(modelOption.dir, spec), m)
                                .recommend(raw, k);
            }
            ArrayNode all = Json.mapper().createArrayNode();
            if (format == Format.csv) {
                out.println("user,rank,item,score,title");
            }
            for (int j = 0; j < raw.length; j++) {
                print(out, m, raw[j], tops.get(j), all);
            }
            if (format == Format.json) {
                out.println(Json.mapper().writeValueAsString(user != null ? all.get(0) : all));
            }
            out.flush();
        }
        return 0;
    }

    private void print(
            PrintWriter out, AccentModel m, int user, List<Recommendation> top, ArrayNode all) {
        switch (format) {
            case text -> {
                out.printf(
                        "Top %d for user %d (%s %s, %d training items excluded):%n",
                        top.size(), user, m.family(), m.dataName(), m.trainingItemCount(user));
                out.printf("%4s  %6s  %6s  %s%n", "rank", "item", "score", "title");
                for (Recommendation s : top) {
                    out.printf("%4d  %6d  %6.3f  %s%n", s.rank(), s.item(), s.score(), s.title());
                }
            }
            case csv -> {
                for (Recommendation s : top) {
                    out.printf(
                            "%d,%d,%d,%s,%s%n",
                            user, s.rank(), s.item(), s.score(), Tables.csvField(s.title()));
                }
            }
            case json -> {
                ObjectNode root = all.addObject();
                root.put("user", user);
                ArrayNode items = root.putArray("items");
                for (Recommendation s : top) {
                    items.addObject()
                            .put("rank", s.rank())
                            .put("item", s.item())
                            .put("score", s.score())
                            .put("title", s.title());
                }
            }
        }
    }
}
