package io.accent;

import io.accent.core.Progress;
import io.accent.rcf.RcfConfig;
import io.accent.rcf.RcfTraining;
import java.nio.file.Path;

/** A small RCF model trained on {@link TestModels#smallData()}, made once per test JVM. */
public final class RcfTestModels {

    private static Path modelDir;

    private RcfTestModels() {}

    /** H = 8, A = 4, MLP 8, batch 64, 4 epochs, init seed 2016, shuffle seed 2512. */
    public static RcfConfig config() {
        return new RcfConfig(8, 4, 8, 0.5, 0.01, 0.05, 1e-8, 64, 4, 2016, 2512);
    }

    /** The model directory. */
    public static synchronized Path small() {
        if (modelDir == null) {
            Path d = TestModels.smallData();
            Path m = d.resolveSibling("rcf-model");
            RcfTraining.run(d, m, config(), 1, Progress.NONE);
            modelDir = m;
        }
        return modelDir;
    }
}
