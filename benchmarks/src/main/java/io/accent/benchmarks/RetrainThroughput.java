package io.accent.benchmarks;

import io.accent.evaluate.RetrainJob;

import io.accent.core.Progress;
import io.accent.ncf.NcfBatchedRetrainer;
import io.accent.ncf.RetrainProfiler;
import io.accent.ncf.NcfConfig;
import io.accent.tf.ParameterSet;
import io.accent.model.TrainedModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wall-clock throughput of batched retraining outside JMH, for the GPU runner
 * (benchmarks/gpu/run.sh) and for profiles: per copy-step for each B, and with {@code --profile} the
 * op types that take a fused call's time (FULL_TRACE step stats) and the cost of an epoch change (the
 * device making every copy's next order).
 *
 * <pre>
 * java -cp ... io.accent.benchmarks.RetrainThroughput [--copies 256,1024,4096] [--steps 98]
 *     [--threads 2] [--xla] [--profile] [--label gpu]
 * </pre>
 *
 * The model is {@code -Daccent.model=DIR} (else MovieLens trained briefly, see BenchModel).
 */
public final class RetrainThroughput {

    private RetrainThroughput() {}

    public static void main(String[] args) {
        List<Integer> copies = List.of(1, 16, 64);
        long steps = 98;
        int threads = 2;
        boolean xla = false;
        boolean profile = false;
        String label = "cpu";
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--copies" -> copies = java.util.Arrays.stream(args[++a].split(",")).map(Integer::valueOf).toList();
                case "--steps" -> steps = Long.parseLong(args[++a]);
                case "--threads" -> threads = Integer.parseInt(args[++a]);
                case "--xla" -> xla = true;
                case "--profile" -> profile = true;
                case "--label" -> label = args[++a];
                default -> throw new IllegalArgumentException("unknown argument " + args[a]);
            }
        }
        try (TrainedModel model = BenchModel.load()) {
            NcfConfig c = NcfConfig.fromMap(model.metadata().config());
            ParameterSet start = model.parameters();
            int rows = ((io.accent.ncf.NcfModel) model).data().train().size();
            System.out.printf("model: %d users, %d items, %d training rows, batch %d (%d steps per epoch)%n",
                    model.metadata().numUsers(), model.metadata().numItems(), rows, c.batchSize(),
                    rows / c.batchSize());
            for (int b : copies) {
                List<RetrainJob> jobs = new ArrayList<>();
                int[][] items = new int[b][];
                for (int k = 0; k < b; k++) {
                    int u = k % model.metadata().numUsers();
                    int first = ((io.accent.ncf.NcfModel) model).data().train().rowsOf(u)[0];
                    jobs.add(new RetrainJob(u, Set.of(((io.accent.ncf.NcfModel) model).data().train().item(first)), k % 5));
                    items[k] = new int[] {0};
                }
                long t0 = System.nanoTime();
                try (NcfBatchedRetrainer r = new NcfBatchedRetrainer(c, model.metadata().numUsers(),
                        model.metadata().numItems(), ((io.accent.ncf.NcfModel) model).data().train(), b, threads, xla)) {
                    r.run(start, jobs, c.stepsPerCall(), new long[] {c.stepsPerCall()}, items, Progress.NONE);
                    long t1 = System.nanoTime();
                    r.run(start, jobs, steps, new long[] {steps}, items, Progress.NONE);
                    long t2 = System.nanoTime();
                    double perCopyStep = (t2 - t1) / 1e3 / steps / b;
                    System.out.printf("%s B=%d: %.2f us per copy-step (%d steps in %.2f s; graph + warm-up %.1f s)%n",
                            label, b, perCopyStep, steps, (t2 - t1) / 1e9, (t1 - t0) / 1e9);
                    if (profile) {
                        int calls = Math.max(1, Math.min(2, rows / c.batchSize() / 2 / c.stepsPerCall() - 1));
                        RetrainProfiler.Profile p = RetrainProfiler.profile(r, c.stepsPerCall(), start, jobs, calls);
                        long total = p.opMicros().values().stream().mapToLong(Long::longValue).sum();
                        System.out.printf("  fused call of %d steps: %.0f us wall; traced op time %d us; epoch change of"
                                + " all %d copies on the device: %.1f ms (%.2f us per copy-step at %d steps per epoch)%n",
                                c.stepsPerCall(), p.callMicros(), total / calls, b, p.epochMillis(),
                                p.epochMillis() * 1e3 / b / (rows / c.batchSize()), rows / c.batchSize());
                        long epochTotal = p.epochOps().values().stream().mapToLong(Long::longValue).sum();
                        p.epochOps().entrySet().stream()
                                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                                .limit(6)
                                .forEach(e -> System.out.printf("    epoch change: %-14s %8d us %5.1f%%  %s%n", e.getKey(),
                                        e.getValue(), 100.0 * e.getValue() / Math.max(1, epochTotal),
                                        p.devices().get(e.getKey())));
                        p.opMicros().entrySet().stream()
                                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                                .limit(14)
                                .forEach(e -> System.out.printf("    %-28s %8d us/call %5.1f%%  %s%n", e.getKey(),
                                        e.getValue() / calls, 100.0 * e.getValue() / total, p.devices().get(e.getKey())));
                    }
                }
            }
        }
    }
}
