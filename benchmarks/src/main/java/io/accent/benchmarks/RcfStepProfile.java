package io.accent.benchmarks;

import io.accent.data.RcfDataset;
import io.accent.data.RelationalData;
import io.accent.data.Triples;
import io.accent.rcf.RcfNeighbourLists;
import io.accent.rcf.RcfConfig;
import io.accent.rcf.RcfData;
import io.accent.rcf.RcfTrainer;
import io.accent.rcf.RcfStepProfiler;
import io.accent.rcf.RcfTrainingGraph;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an RCF training step's time goes (outside JMH): op types by traced wall time (FULL_TRACE step
 * stats), the Java side of a step (list concatenation and tensor creation) and the session call.
 *
 * <pre>
 * java -cp ... io.accent.benchmarks.RcfStepProfile [PREPARED_DIR] [--threads 2] [--repeats 10]
 * </pre>
 */
public final class RcfStepProfile {

    private RcfStepProfile() {}

    public static void main(String[] args) {
        Path dir = null;
        int threads = 2;
        int repeats = 10;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--threads" -> threads = Integer.parseInt(args[++a]);
                case "--repeats" -> repeats = Integer.parseInt(args[++a]);
                default -> dir = Path.of(args[a]);
            }
        }
        RcfData data = RcfData.of(RcfDataset.load(dir == null ? BenchData.directory() : dir), 64, 32, 64);
        RcfConfig config = RcfConfig.reference(1, RcfConfig.REFERENCE_SEED);
        Triples t = data.train();
        RelationalData r = data.relational();
        int[] us = new int[1024];
        int[] is = new int[1024];
        RcfNeighbourLists.Pair[] pairs = new RcfNeighbourLists.Pair[1024];
        java.util.BitSet none = new java.util.BitSet();
        for (int k = 0; k < 512; k++) {
            us[k] = us[512 + k] = t.user(k);
            is[k] = t.positive(k);
            is[512 + k] = t.negative(k);
        }
        for (int k = 0; k < 1024; k++) {
            pairs[k] = data.lists().pair(us[k], is[k], none);
        }
        int[][] x = new int[5][1024];
        for (int k = 0; k < 1024; k++) {
            int row = k % r.size();
            x[0][k] = r.head(row);
            x[1][k] = r.type(row);
            x[2][k] = r.value(row);
            x[3][k] = r.tailPositive(row);
            x[4][k] = r.tailNegative(row);
        }
        long c0 = System.nanoTime();
        RcfNeighbourLists.Batch batch = null;
        for (int k = 0; k < 200; k++) {
            batch = RcfNeighbourLists.Batch.of(us, is, pairs, data.sizes().types());
        }
        double concat = (System.nanoTime() - c0) / 1e3 / 200;
        try (RcfTrainingGraph g = new RcfTrainingGraph(config, data.sizes(), t.size(), r.size(), threads)) {
            g.load(new RcfTrainer(config, threads).initialWeights(data.sizes()));
            RcfStepProfiler.profile(g, batch, x[0], x[1], x[2], x[3], x[4], 3);
            int n = repeats;
            RcfStepProfiler.StepProfile p = RcfStepProfiler.profile(g, batch, x[0], x[1], x[2], x[3], x[4], n);
            long total = p.opMicros().values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("entries %d; Java: batch concat %.0f us, feeds %.0f us; session call %.0f us (process CPU %.0f us);"
                    + " traced op time %d us per step%n", batch.entries(), concat, p.javaMicros(), p.runMicros(), p.cpuMicros(),
                    total / repeats);
            p.opMicros().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                    .forEach(e -> System.out.printf("  %-28s %8d us  %5.1f%%%n", e.getKey(), e.getValue() / n,
                            100.0 * e.getValue() / total));
            System.out.println("top nodes:");
            p.nodeMicros().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                    .forEach(e -> System.out.printf("  %-70s %8d us%n", e.getKey(), e.getValue() / n));
        }
    }
}
