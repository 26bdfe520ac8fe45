package io.accent.benchmarks;

import io.accent.evaluate.RetrainJob;

import io.accent.core.Progress;
import io.accent.ncf.NcfBatchedRetrainer;
import io.accent.ncf.NcfConfig;
import io.accent.tf.ParameterSet;
import io.accent.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batched retraining on MovieLens: one invocation advances B retrains (different users, sets and
 * seeds) by 49 warm-started Adam steps in one graph. Retrains per hour at 120k steps =
 * 3600 s · B / (120,000 · time per step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class RetrainBenchmark {

    @Param({"1", "4", "16", "64"})
    public int copies;

    private TrainedModel model;
    private NcfBatchedRetrainer retrainer;
    private ParameterSet start;
    private List<RetrainJob> jobs;
    private int[][] items;

    @Setup(Level.Trial)
    public void setUp() {
        model = BenchModel.load();
        NcfConfig c = NcfConfig.fromMap(model.metadata().config());
        retrainer = new NcfBatchedRetrainer(c, model.metadata().numUsers(), model.metadata().numItems(),
                ((io.accent.ncf.NcfModel) model).data().train(), copies, 2);
        start = model.parameters();
        jobs = new ArrayList<>();
        items = new int[copies][];
        for (int b = 0; b < copies; b++) {
            int u = b % model.metadata().numUsers();
            int first = ((io.accent.ncf.NcfModel) model).data().train().rowsOf(u)[0];
            jobs.add(new RetrainJob(u, Set.of(((io.accent.ncf.NcfModel) model).data().train().item(first)), b % 5));
            items[b] = new int[] {0};
        }
    }

    /** 49 steps of B retrains (state reloaded each time: a few ms, included). */
    @Benchmark
    public float[][][] fortyNineSteps() {
        return retrainer.run(start, jobs, 49, new long[] {49}, items, Progress.NONE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        retrainer.close();
        model.close();
    }
}
