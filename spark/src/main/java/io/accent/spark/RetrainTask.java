package io.accent.spark;

import io.accent.core.Progress;
import io.accent.evaluate.RetrainBatches;
import io.accent.evaluate.Retraining;
import io.accent.family.Families;
import io.accent.family.OptionValues;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluate task: opens the model and its family's retraining and runs one chunk of B retrains
 * stacked as {@code accent evaluate} runs each of its chunks ({@link RetrainBatches#runChunk}).
 */
record RetrainTask(
        String model,
        String family,
        HashMap<String, String> evaluationOptions,
        int threads,
        int batch)
        implements SparkRuns.Task<RetrainTask.Chunk, RetrainBatches.Done> {

    /** The retrains of one task and the raw items recorded per raw user. */
    record Chunk(ArrayList<RetrainBatches.Pending> pending, HashMap<Integer, int[]> items)
            implements Serializable {}

    /** A model with its family's retraining, kept for the executor's next task. */
    record Opened(TrainedModel model, Retraining retraining) implements AutoCloseable {
        static Opened open(String model, String family, Map<String, String> options, int threads) {
            TrainedModel m = ModelStore.load(ExecutorSide.modelDir(model));
            try {
                return new Opened(
                        m,
                        Families.get(family)
                                .retraining(new OptionValues(options))
                                .open(m, threads));
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                retraining.close();
            } finally {
                model.close();
            }
        }
    }

    @Override
    public List<RetrainBatches.Done> run(Chunk chunk) {
        ExecutorSide.maybeFailOnce();
        return ExecutorSide.withOpened(
                "evaluate "
                        + model
                        + " "
                        + family
                        + " "
                        + evaluationOptions
                        + " "
                        + threads
                        + " "
                        + batch,
                () -> Opened.open(model, family, evaluationOptions, threads),
                o ->
                        RetrainBatches.runChunk(
                                o.model(),
                                o.retraining(),
                                chunk.pending(),
                                batch,
                                chunk.items()::get,
                                Progress.NONE));
    }
}
