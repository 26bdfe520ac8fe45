package io.accent.rcf;

import com.sun.management.OperatingSystemMXBean;
import io.accent.benchmarks.StepTrace;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.Tensor;

/**
 * Where an RCF training step's time goes, for {@code io.accent.benchmarks.RcfStepProfile}. It lives in
 * the benchmarks module under the package of {@link RcfTrainingGraph} so that it can run the graph's
 * own step call ({@link RcfTrainingGraph#stepRunner}, package-private) with tracing; production code
 * holds no profiling logic.
 */
public final class RcfStepProfiler {

    private RcfStepProfiler() {}

    /**
     * Where a training step's time goes: wall time per op type (FULL_TRACE step stats, summed over
     * {@code repeats} traced steps) and the mean untraced step time split into the Java side
     * (tensor creation) and the session call.
     */
    public record StepProfile(
            Map<String, Long> opMicros,
            Map<String, Long> nodeMicros,
            double javaMicros,
            double runMicros,
            double cpuMicros) {}

    /** Profiles {@code repeats} steps of {@code g} on the same batch (the weights move: it is real training). */
    public static StepProfile profile(
            RcfTrainingGraph g,
            RcfNeighbourLists.Batch batch,
            int[] heads,
            int[] types,
            int[] values,
            int[] tailPos,
            int[] tailNeg,
            int repeats) {
        Map<String, Long> ops = new TreeMap<>();
        Map<String, Long> nodes = new TreeMap<>();
        long javaNanos = 0;
        long run = 0;
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = 0;
        for (int k = 0; k < 2 * repeats; k++) {
            List<Tensor> open = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                var runner = g.stepRunner(batch, heads, types, values, tailPos, tailNeg, open);
                long t1 = System.nanoTime();
                if (k < repeats) {
                    try (Result r = runner.setOptions(StepTrace.FULL).runAndFetchMetadata()) {
                        var meta = r.getMetadata().orElseThrow();
                        for (var dev : meta.getStepStats().getDevStatsList()) {
                            for (var n : dev.getNodeStatsList()) {
                                String type = StepTrace.opType(n);
                                ops.merge(type, n.getAllEndRelMicros(), Long::sum);
                                nodes.merge(type + " " + n.getNodeName(), n.getAllEndRelMicros(), Long::sum);
                            }
                        }
                    }
                } else {
                    if (k == repeats) {
                        cpu = os.getProcessCpuTime();
                    }
                    runner.run().close();
                    javaNanos += t1 - t0;
                    run += System.nanoTime() - t1;
                }
            } finally {
                open.forEach(Tensor::close);
            }
        }
        return new StepProfile(ops, nodes, javaNanos / 1e3 / repeats, run / 1e3 / repeats,
                (os.getProcessCpuTime() - cpu) / 1e3 / repeats);
    }
}
