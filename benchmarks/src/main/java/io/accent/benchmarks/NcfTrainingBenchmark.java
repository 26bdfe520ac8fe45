package io.accent.benchmarks;

import io.accent.data.PreparedDataset;
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfTrainer;
import io.accent.ncf.NcfTrainingGraph;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NCF training throughput with the reference hyperparameters (batch 1246, Adam): one invocation is
 * 49 steps (one epoch of the prepared MovieLens data), so the score is the time per step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(1)
public class NcfTrainingBenchmark {

    @Param({"7", "1"})
    public int stepsPerCall;

    private NcfTrainingGraph graph;
    private int[] order;
    private int stepsPerEpoch;

    @Setup(Level.Trial)
    public void setUp() {
        PreparedDataset data = BenchData.load();
        NcfConfig config = NcfConfig.reference(0, 0).withStepsPerCall(stepsPerCall);
        int u = data.users().size();
        int i = data.items().size();
        graph = new NcfTrainingGraph(config, u, i, data.train(), 1);
        graph.load(new NcfTrainer(config, 1).initialWeights(u, i));
        order = new int[data.train().size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        stepsPerEpoch = order.length / config.batchSize();
    }

    @Benchmark
    @OperationsPerInvocation(49)
    public void trainingStep() {
        int left = 49;
        while (left > 0) {
            int n = Math.min(left, stepsPerEpoch);
            graph.setEpochOrder(order);
            graph.steps(n);
            left -= n;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        graph.close();
    }
}
