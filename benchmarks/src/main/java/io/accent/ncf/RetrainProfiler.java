package io.accent.ncf;

import io.accent.evaluate.RetrainJob;

import io.accent.benchmarks.StepTrace;
import io.accent.core.ConfigException;
import io.accent.tf.ParameterSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.tensorflow.Result;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Where the time of {@link NcfBatchedRetrainer}'s session calls goes, for {@code
 * io.accent.benchmarks.RetrainThroughput --profile}. It lives in the benchmarks module under the
 * package of the retrainer so that it can drive the retrainer's own calls through its package-private
 * hooks ({@link NcfBatchedRetrainer#begin}, {@link NcfBatchedRetrainer#newEpochs(NcfBatchedRetrainer.Epochs,
 * int[], java.util.function.Consumer)}, {@link NcfBatchedRetrainer#fusedCall}); production code holds no
 * profiling logic.
 */
public final class RetrainProfiler {

    private RetrainProfiler() {}

    /**
     * Where the time of a fused session call goes (SPEC §10): the summed op times of one traced call
     * by op type, the wall time of untraced calls, and the cost of one epoch change of all B copies
     * (one session call that makes their orders on the device).
     *
     * @param opMicros summed execution time per op type over the traced calls, µs (all threads, all
     *     devices)
     * @param devices op type to the devices it ran on
     * @param callMicros wall time of one untraced fused call of {@code stepsPerCall} steps, µs
     * @param epochMillis one epoch change of all B copies (keys, sort, scatter on the device; the
     *     feeds are a few numbers per copy), ms
     * @param epochOps summed op times of that epoch change by op type, µs
     */
    public record Profile(
            Map<String, Long> opMicros,
            Map<String, Set<String>> devices,
            double callMicros,
            double epochMillis,
            Map<String, Long> epochOps) {}

    /**
     * Profiles {@code calls} fused calls of the jobs from {@code start} (their first epoch; at most one
     * epoch of steps in all).
     *
     * @param stepsPerCall the steps of one fused call (the retrainer's {@code NcfConfig.stepsPerCall()})
     */
    public static Profile profile(NcfBatchedRetrainer r, int stepsPerCall, ParameterSet start,
            List<RetrainJob> jobs, int calls) {
        NcfBatchedRetrainer.Epochs ep = r.begin(start, jobs);
        for (int b = 0; b < r.copies(); b++) {
            if ((long) 2 * calls * stepsPerCall > ep.perEpoch[b]) {
                throw new ConfigException(
                        calls + " calls exceed the first epoch of user " + jobs.get(Math.min(b, jobs.size() - 1)).user());
            }
        }
        int[] all = IntStream.range(0, r.copies()).toArray();
        Arrays.fill(ep.epoch, 1);
        r.newEpochs(ep, all, x -> x.run().close()); // warm-up of the sort kernels
        Arrays.fill(ep.epoch, 2);
        long t0 = System.nanoTime();
        r.newEpochs(ep, all, x -> x.run().close());
        long t1 = System.nanoTime();
        Map<String, Long> epochOps = new TreeMap<>();
        Map<String, Set<String>> devices = new TreeMap<>();
        Arrays.fill(ep.epoch, 1);
        r.newEpochs(ep, all, x -> {
            try (Result res = x.setOptions(StepTrace.FULL).runAndFetchMetadata()) {
                tally(res.getMetadata().orElseThrow(), epochOps, devices);
            }
        });
        Map<String, Long> ops = new TreeMap<>();
        for (int c = 0; c < calls; c++) {
            try (Result res = r.fusedCall().setOptions(StepTrace.FULL).runAndFetchMetadata()) {
                tally(res.getMetadata().orElseThrow(), ops, devices);
            }
        }
        long t3 = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            r.fusedCall().run().close();
        }
        long t4 = System.nanoTime();
        return new Profile(ops, devices, (t4 - t3) / 1e3 / calls, (t1 - t0) / 1e6, epochOps);
    }

    private static void tally(RunMetadata meta, Map<String, Long> ops, Map<String, Set<String>> devices) {
        for (DeviceStepStats dev : meta.getStepStats().getDevStatsList()) {
            for (NodeExecStats n : dev.getNodeStatsList()) {
                String type = StepTrace.opType(n);
                ops.merge(type, n.getAllEndRelMicros(), Long::sum);
                devices.computeIfAbsent(type, x -> new TreeSet<>()).add(dev.getDevice());
            }
        }
    }
}
