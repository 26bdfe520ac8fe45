package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.ncf.NcfInfluenceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Explanations do not depend on the numeric configuration beyond noise: one TensorFlow thread and
 * one user per batch against two threads and twelve users per batch (other reduction orders and
 * session groupings) give the same set and replacement for at least 99% of (user, algorithm) pairs.
 */
class ExplainAgreementTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");
    static final int USERS = 80;

    record Outcome(List<Integer> removed, int replacement) {}

    static Map<String, Outcome> explain(TrainedModel m, int threads, int perBatch) {
        int[] users = new int[USERS];
        for (int u = 0; u < USERS; u++) {
            users[u] = u;
        }
        List<Explainer> algos = new ArrayList<>();
        for (String n : List.of("accent", "fia")) {
            algos.add(Explainers.byName(n));
        }
        Map<String, Outcome> out = new TreeMap<>();
        ExplanationRun.run(
                m,
                io.accent.ncf.NcfFamily.influenceSetup(
                        NcfInfluenceConfig.defaults().withThreads(threads)),
                new ExplanationRun.Config(users, new int[] {5}, algos, Optional.empty(), perBatch),
                Progress.NONE,
                r ->
                        r.byAlgorithm()
                                .forEach(
                                        (algo, byK) ->
                                                byK.forEach(
                                                        (k, x) ->
                                                                out.put(
                                                                        r.influence()
                                                                                        .influence()
                                                                                        .user()
                                                                                + "/"
                                                                                + algo
                                                                                + "/"
                                                                                + k,
                                                                        x.map(
                                                                                        c ->
                                                                                                new Outcome(
                                                                                                        c
                                                                                                                .removed()
                                                                                                                .stream()
                                                                                                                .sorted()
                                                                                                                .toList(),
                                                                                                        c
                                                                                                                .replacement()))
                                                                                .orElse(
                                                                                        new Outcome(
                                                                                                List
                                                                                                        .of(),
                                                                                                -1))))));
        return out;
    }

    @Test
    void oneThreadAndTwoThreadsAgreeOnSetAndReplacementForNinetyNinePercent() {
        try (TrainedModel m = ModelStore.load(MODEL)) {
            Map<String, Outcome> a = explain(m, 1, 1);
            Map<String, Outcome> b = explain(m, 2, 12);
            assertEquals(a.keySet(), b.keySet());
            assertEquals(2 * USERS, a.size());
            long same = a.keySet().stream().filter(k -> a.get(k).equals(b.get(k))).count();
            assertTrue(same >= 0.99 * a.size(), same + " of " + a.size() + " agree");
            assertTrue(
                    a.values().stream().filter(o -> o.replacement() >= 0).count() > USERS / 2,
                    "most users have a counterfactual set");
        }
    }
}
