package io.accent.cli;

import io.accent.api.Recommendation;
import io.accent.family.OptionValues;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The parsed jobs that the commands hand to a {@link Backend}. */
public final class Jobs {

    private Jobs() {}

    /**
     * An {@code explain} run.
     *
     * @param model the model directory as given
     * @param family the model's family name
     * @param influenceOptions the family's influence options as given
     * @param threads TensorFlow threads
     * @param command the parsed command (the backend's own options)
     */
    public record Explain(
            Path model,
            String family,
            OptionValues influenceOptions,
            int threads,
            CommandSpec command) {}

    /**
     * An {@code evaluate} run.
     *
     * @param model the model directory as given
     * @param family the model's family name
     * @param evaluationOptions the family's evaluation options as given
     * @param threads TensorFlow threads
     * @param command the parsed command (the backend's own options)
     */
    public record Evaluate(
            Path model,
            String family,
            OptionValues evaluationOptions,
            int threads,
            CommandSpec command) {}

    /** A {@code score} or {@code recommend} run on {@code model}. */
    public record Model(Path model, CommandSpec command) {}

    /** Scores (user, item) pairs by raw ids, in order. */
    @FunctionalInterface
    public interface Scorer {
        float[] score(int[] rawUsers, int[] rawItems);
    }

    /** The top {@code k} of each user (raw ids), in order. */
    @FunctionalInterface
    public interface Recommender {
        List<List<Recommendation>> recommend(int[] rawUsers, int k);
    }
}
