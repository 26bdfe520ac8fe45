package io.accent.spark;

import io.accent.explain.CounterfactualExplanation;
import io.accent.explain.Explainer;
import io.accent.explain.Explainers;
import io.accent.explain.ExplanationRun;
import io.accent.family.Families;
import io.accent.family.OptionValues;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.InfluenceSetup;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One explain task: opens the model and its family's influence engine once and explains its users
 * ({@link ExplanationRun#compute}), {@code usersPerBatch} at a time as {@code accent explain} does.
 */
record ExplainTask(
        String model,
        String family,
        HashMap<String, String> influenceOptions,
        int threads,
        int[] ks,
        List<String> algorithms,
        int usersPerBatch)
        implements SparkRuns.Task<int[], ExplainTask.Explained> {

    /** One user's result as it travels to the driver ({@code null}: no set found). */
    record Explained(
            InfluenceResult influence,
            LinkedHashMap<String, LinkedHashMap<Integer, CounterfactualExplanation>> found)
            implements Serializable {

        static Explained of(ExplanationRun.UserResult r) {
            LinkedHashMap<String, LinkedHashMap<Integer, CounterfactualExplanation>> f =
                    new LinkedHashMap<>();
            r.byAlgorithm()
                    .forEach(
                            (algo, byK) -> {
                                LinkedHashMap<Integer, CounterfactualExplanation> m =
                                        new LinkedHashMap<>();
                                byK.forEach((k, x) -> m.put(k, x.orElse(null)));
                                f.put(algo, m);
                            });
            return new Explained(r.influence(), f);
        }

        ExplanationRun.UserResult toResult() {
            Map<String, Map<Integer, Optional<CounterfactualExplanation>>> all =
                    new LinkedHashMap<>();
            found.forEach(
                    (algo, byK) -> {
                        Map<Integer, Optional<CounterfactualExplanation>> m = new LinkedHashMap<>();
                        byK.forEach((k, x) -> m.put(k, Optional.ofNullable(x)));
                        all.put(algo, m);
                    });
            return new ExplanationRun.UserResult(influence, all);
        }
    }

    /** A model with its family's influence engine, kept for the executor's next task. */
    record Opened(TrainedModel model, InfluenceEngine engine) implements AutoCloseable {
        static Opened open(String model, String family, Map<String, String> options, int threads) {
            InfluenceSetup setup =
                    Families.get(family).influence(new OptionValues(options), threads);
            TrainedModel m = ModelStore.load(ExecutorSide.modelDir(model));
            try {
                return new Opened(m, setup.open(m));
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                engine.close();
            } finally {
                model.close();
            }
        }
    }

    @Override
    public List<Explained> run(int[] users) {
        ExecutorSide.maybeFailOnce();
        List<Explainer> explainers = algorithms.stream().map(Explainers::byName).toList();
        ExplanationRun.Config config =
                new ExplanationRun.Config(users, ks, explainers, Optional.empty(), usersPerBatch);
        List<Explained> out = new ArrayList<>(users.length);
        ExecutorSide.withOpened(
                "explain " + model + " " + family + " " + influenceOptions + " " + threads,
                () -> Opened.open(model, family, influenceOptions, threads),
                o -> {
                    ExplanationRun.compute(
                            o.engine(), config, users, r -> out.add(Explained.of(r)));
                    return null;
                });
        return out;
    }
}
