package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.RcfTestModels;
import io.accent.core.Progress;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.rcf.RcfInfluenceConfig;
import io.accent.rcf.RcfInfluenceEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The explain job on an RCF model uses the shared explainers on the RCF influence matrix. */
class RcfExplanationRunTest {

    @Test
    void accentOnAnRcfInfluenceMatrixIsTheSharedExplainer() {
        int[] ks = {5, 10, 20};
        List<Explainer> all = new ArrayList<>();
        for (String n :
                List.of("accent", "fia", "pure-fia", "accent-ova", "pure-att", "attention")) {
            all.add(Explainers.byName(n));
        }
        RcfInfluenceConfig rc =
                RcfInfluenceConfig.defaults().withHessian(RcfInfluenceConfig.Hessian.SHARED);
        try (TrainedModel m = ModelStore.load(RcfTestModels.small());
                RcfInfluenceEngine engine = new RcfInfluenceEngine(m, rc)) {
            List<ExplanationRun.UserResult> seen = new ArrayList<>();
            ExplanationRun.run(
                    m,
                    io.accent.rcf.RcfFamily.influenceSetup(rc),
                    new ExplanationRun.Config(new int[] {0, 1, 2}, ks, all, Optional.empty(), 2),
                    Progress.NONE,
                    seen::add);
            assertEquals(3, seen.size());
            int found = 0;
            for (ExplanationRun.UserResult r : seen) {
                UserInfluence in = engine.compute(r.influence().influence().user()).influence();
                Map<Integer, Optional<CounterfactualExplanation>> want =
                        Explainers.byName("accent").explainAll(in, ks);
                assertEquals(want, r.byAlgorithm().get("accent"));
                Map<Integer, Optional<CounterfactualExplanation>> att =
                        Explainers.byName("attention")
                                .explainAll(in, engine.removal(in).orElseThrow(), ks);
                assertEquals(att, r.byAlgorithm().get("attention"));
                found +=
                        (int)
                                r.byAlgorithm().values().stream()
                                        .flatMap(x -> x.values().stream())
                                        .filter(Optional::isPresent)
                                        .count();
            }
            assertTrue(found > 0, "some explanation exists");
        }
    }
}
