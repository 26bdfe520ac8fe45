package io.accent.ncf;

import io.accent.model.ModelMetadata;
import java.time.Duration;

/**
 * Summary of a finished training run.
 *
 * @param metadata what was written to model.json
 * @param wallTime wall-clock time of the optimization (graph build included, saving excluded)
 * @param trainingRmse RMSE over all training rows
 * @param heldOutRmse RMSE over the held-out rows (NaN when the data set has none)
 * @param heldOutRows number of held-out rows scored
 */
public record NcfTrainingReport(
        ModelMetadata metadata,
        Duration wallTime,
        double trainingRmse,
        double heldOutRmse,
        int heldOutRows) {}
