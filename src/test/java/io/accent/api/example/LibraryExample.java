package io.accent.api.example;

// The README's "Use as a library" example is the text between the two tag lines below,
// character for character (io.accent.api.LibraryExampleTest checks it and runs it);
// it lives in a package of its own to use only the public API.
// tag::example[]
import io.accent.api.Accent;
import io.accent.api.AccentModel;
import io.accent.api.Recommendation;
import java.nio.file.Path;
import java.util.Set;

public class LibraryExample {

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "saved-models/ncf-synthetic");
        int user = 2;
        try (AccentModel model = Accent.open(dir)) {
            for (Recommendation r : model.recommend(user, 5)) {
                System.out.printf(
                        "%d. %s (item %d, score %.3f)%n", r.rank(), r.title(), r.item(), r.score());
            }
            model.explain(user, Set.of("accent"), 5)
                    .get("accent", 5)
                    .ifPresentOrElse(
                            e -> {
                                System.out.println(e.sentence());
                                System.out.println(
                                        "removed items "
                                                + e.removed()
                                                + ", replacement "
                                                + e.replacement());
                            },
                            () -> System.out.println("no counterfactual set among the top 5"));
        }
    }
}
// end::example[]
