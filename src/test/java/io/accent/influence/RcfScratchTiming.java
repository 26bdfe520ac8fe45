package io.accent.influence;

import io.accent.model.ModelStore;
import io.accent.model.TrainedModel;
import io.accent.explain.Explainers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RcfScratchTiming {
    @Test
    void time() {
        try (TrainedModel m = ModelStore.load(Path.of("/tmp/rcfx-model"));
                RcfInfluenceEngine e = new RcfInfluenceEngine(m, RcfInfluenceConfig.defaults()
                        .withHessian(RcfInfluenceConfig.Hessian.SHARED))) {
            for (int rep = 0; rep < 2; rep++) {
                for (int u : new int[] {0, 1, 2, 3}) {
                    long t0 = System.nanoTime();
                    var in0 = e.compute(u).influence();
                    long t1 = System.nanoTime();
                    int[] tg = in0.topItems();
                    var l = e.lists(u, tg, true);
                    long t2 = System.nanoTime();
                    double[] slots = e.shiftedSlots(l);
                    long t3 = System.nanoTime();
                    var in = e.compute(u).influence();
                    long t4 = System.nanoTime();
                    var rs = e.removal(in).orElseThrow();
                    long t5 = System.nanoTime();
                    Explainers.byName("pure-att").explainAll(in, rs, new int[] {5, 10, 20});
                    long t6 = System.nanoTime();
                    Explainers.byName("attention").explainAll(in, rs, new int[] {5, 10, 20});
                    long t7 = System.nanoTime();
                    System.out.printf("user %d n=%d recommend %.1f lists %.1f slots %.1f compute %.1f removal %.1f pure %.1f att %.1f ms%n",
                            u, l.n, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6,
                            (t6 - t5) / 1e6, (t7 - t6) / 1e6);
                }
            }
        }
    }
}
