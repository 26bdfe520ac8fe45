package io.accent.evaluate;

import io.accent.model.TrainedModel;

/**
 * A family's retraining protocol with its options parsed (by the family, before any model is
 * loaded): the strategy {@link EvaluationRun} uses to verify explanations of the family's models.
 */
public interface RetrainingSetup {

    /** Retrains stacked in one graph when {@code --batch} is not given. */
    int defaultBatch();

    /** The most retrains per set the protocol has seeds for. */
    int maxRetrains();

    /** Opens the retraining of {@code model}, a model of the family that made this setup. */
    Retraining open(TrainedModel model, int threads);
}
