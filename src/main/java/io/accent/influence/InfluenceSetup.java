package io.accent.influence;

import io.accent.model.TrainedModel;

/**
 * A family's influence engine with its options parsed (by the family, before any model is loaded):
 * what the engine can do, and how to open it on a model of that family.
 */
public interface InfluenceSetup {

    /**
     * What the engine computes.
     *
     * @param topK K, the number of top items per user whose influences are computed; explainers
     *     take k of at most K
     * @param removalScores whether {@link InfluenceEngine#removal} gives real forward passes with
     *     actions removed (the attention baselines need them)
     */
    record Capabilities(int topK, boolean removalScores) {}

    /** What the engine computes. */
    Capabilities capabilities();

    /** The setup with these capabilities that opens engines with {@code open}. */
    static InfluenceSetup of(
            Capabilities capabilities,
            java.util.function.Function<TrainedModel, InfluenceEngine> open) {
        return new InfluenceSetup() {
            @Override
            public Capabilities capabilities() {
                return capabilities;
            }

            @Override
            public InfluenceEngine open(TrainedModel model) {
                return open.apply(model);
            }
        };
    }

    /** Opens the engine on {@code model}, a model of the family that made this setup. */
    InfluenceEngine open(TrainedModel model);

    /**
     * The settings that fix what this setup computes beyond the model (e.g. {@code --scope=full}),
     * as canonical text; empty for the family's defaults. Recorded beside result files, so that a
     * run never appends influences of other settings to them.
     */
    default String settings() {
        return "";
    }

    /** {@code setup} labelled with {@code settings} (see {@link #settings()}). */
    static InfluenceSetup withSettings(InfluenceSetup setup, String settings) {
        return new InfluenceSetup() {
            @Override
            public Capabilities capabilities() {
                return setup.capabilities();
            }

            @Override
            public InfluenceEngine open(TrainedModel model) {
                return setup.open(model);
            }

            @Override
            public String settings() {
                return settings;
            }
        };
    }
}
