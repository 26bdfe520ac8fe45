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

/** {@code accent recommend}: top-k for one user. */
@Command(
        name = "recommend",
        mixinStandardHelpOptions = true,
        description = {
            "Recommend the top-k items for a user, excluding the user's training items.",
            "Training items: every rated item for NCF and MF, the training positives only for RCF."
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
            required = true,
            paramLabel = "RAW_USER_ID",
            description = "User, by raw (MovieLens) id.")
    int user;

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

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new UsageException("--k must be positive, got " + k);
        }
        // through the library's entry point, as a program embedding accent would
        try (AccentModel m = Accent.open(modelOption.dir)) {
            List<Recommendation> top = m.recommend(user, k);
            PrintWriter out = spec.commandLine().getOut();
            switch (format) {
                case text -> {
                    out.printf(
                            "Top %d for user %d (%s %s, %d training items excluded):%n",
                            top.size(), user, m.family(), m.dataName(), m.trainingItemCount(user));
                    out.printf("%4s  %6s  %6s  %s%n", "rank", "item", "score", "title");
                    for (Recommendation s : top) {
                        out.printf(
                                "%4d  %6d  %6.3f  %s%n", s.rank(), s.item(), s.score(), s.title());
                    }
                }
                case csv -> {
                    out.println("user,rank,item,score,title");
                    for (Recommendation s : top) {
                        out.printf(
                                "%d,%d,%d,%s,%s%n",
                                user, s.rank(), s.item(), s.score(), Tables.csvField(s.title()));
                    }
                }
                case json -> {
                    ObjectNode root = Json.mapper().createObjectNode();
                    root.put("user", user);
                    ArrayNode items = root.putArray("items");
                    for (Recommendation s : top) {
                        items.addObject()
                                .put("rank", s.rank())
                                .put("item", s.item())
                                .put("score", s.score())
                                .put("title", s.title());
                    }
                    out.println(Json.mapper().writeValueAsString(root));
                }
            }
            out.flush();
        }
        return 0;
    }
}
