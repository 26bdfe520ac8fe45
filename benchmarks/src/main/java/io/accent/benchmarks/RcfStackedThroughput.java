package io.accent.benchmarks;

import io.accent.evaluate.RetrainJob;

import io.accent.core.Progress;
import io.accent.rcf.RcfRetrainer;
import io.accent.modelio.ModelStore;
import io.accent.rcf.RcfConfig;
import io.accent.rcf.RcfModel;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Wall-clock throughput of stacked RCF retraining (docs/SPEC.md §7.2) outside JMH: for each B, B
 * retrains from scratch (user k's first positive removed, shuffle seeds cycling through the five of
 * §7.2) trained together for a few epochs by {@link RcfRetrainer#retrainStacked}; the time of every
 * stacked step is recorded, and the figure is the median step time × steps per epoch / B = seconds
 * per copy-epoch (list building, graph build and the first step excluded). With {@code --alone} the
 * same B retrains run one after the other by the single trainer (RcfTrainer), for comparison.
 *
 * <pre>
 * java -cp ... io.accent.benchmarks.RcfStackedThroughput --model DIR [--copies 1,2,5]
 *     [--epochs 2] [--repeats 3] [--threads 2] [--alone]
 * </pre>
 */
public final class RcfStackedThroughput {

    private RcfStackedThroughput() {}

    /** Records the time of every step. */
    private static final class StepTimes implements Progress {
        final List<Long> at = new ArrayList<>();

        @Override
        public void start(String task, long total) {
            at.clear();
        }

        @Override
        public void step(long units) {
            at.add(System.nanoTime());
        }
    }

    public static void main(String[] args) {
        List<Integer> copies = List.of(1, 2, 5);
        int epochs = 2;
        int repeats = 3;
        int threads = 2;
        Path dir = null;
        boolean alone = false;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--copies" ->
                        copies = Arrays.stream(args[++a].split(",")).map(Integer::valueOf).toList();
                case "--epochs" -> epochs = Integer.parseInt(args[++a]);
                case "--repeats" -> repeats = Integer.parseInt(args[++a]);
                case "--threads" -> threads = Integer.parseInt(args[++a]);
                case "--model" -> dir = Path.of(args[++a]);
                case "--alone" -> alone = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[a]);
            }
        }
        try (TrainedModel model = ModelStore.load(dir)) {
            RcfModel rm = (RcfModel) model;
            RcfConfig c = RcfConfig.fromMap(model.metadata().config()).withEpochs(epochs);
            RcfRetrainer r = new RcfRetrainer(c, rm.rcfData(), threads);
            int steps = (rm.rcfData().train().size() + c.batchSize() - 1) / c.batchSize();
            System.out.printf(
                    "model %s: %d triples, %d steps per epoch, %d epochs per run, %d threads%n",
                    dir, rm.rcfData().train().size(), steps, epochs, threads);
            for (int rep = 0; rep < repeats; rep++) {
                for (int b : copies) {
                    List<RetrainJob> jobs = new ArrayList<>();
                    int[][] items = new int[b][];
                    for (int k = 0; k < b; k++) {
                        int u = k;
                        int p = rm.rcfData().lists().positives(u)[0];
                        jobs.add(
                                new RetrainJob(
                                        u, Set.of(p), RcfRetrainer.SEEDS[k % RcfRetrainer.SEEDS.length]));
                        items[k] = model.recommend(u, 20).stream().mapToInt(ScoredItem::item).toArray();
                    }
                    StepTimes t = new StepTimes();
                    long t0 = System.nanoTime();
                    if (alone) {
                        // the single trainer (RcfTrainer), one retrain after the other
                        List<Long> all = new ArrayList<>();
                        for (int k = 0; k < b; k++) {
                            r.retrain(jobs.get(k), items[k], t);
                            all.addAll(t.at);
                        }
                        t.at.clear();
                        t.at.addAll(all);
                    } else {
                        r.retrainStacked(jobs, items, t);
                    }
                    double wall = (System.nanoTime() - t0) / 1e9;
                    double[] d = new double[t.at.size() - 1];
                    for (int k = 1; k < t.at.size(); k++) {
                        d[k - 1] = (t.at.get(k) - t.at.get(k - 1)) / 1e9;
                    }
                    Arrays.sort(d);
                    double median = d[d.length / 2];
                    // alone: every recorded step is one copy's step
                    double perCopyEpoch = alone ? median * steps : median * steps / b;
                    System.out.printf(
                            (alone ? "alone " : "") + "B=%d repeat %d: median step %.1f ms, %.2f s per copy-epoch, wall %.1f s for %d copies x %d epochs, load %.2f%n",
                            b,
                            rep,
                            median * 1e3,
                            perCopyEpoch,
                            wall,
                            b,
                            epochs,
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                    .getSystemLoadAverage());
                }
            }
        }
    }
}
