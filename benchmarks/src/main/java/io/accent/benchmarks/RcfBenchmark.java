package io.accent.benchmarks;

import io.accent.data.RcfDataset;
import io.accent.data.RelationalData;
import io.accent.data.Triples;
import io.accent.modelio.ModelStore;
import io.accent.rcf.RcfNeighbourLists;
import io.accent.rcf.RcfConfig;
import io.accent.rcf.RcfData;
import io.accent.rcf.RcfTrainer;
import io.accent.rcf.RcfTrainingGraph;
import io.accent.model.TrainedModel;
import java.nio.file.Path;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * RCF with the reference hyperparameters on prepared MovieLens (or the embedded synthetic set): one
 * Adagrad training step (512 triples = 1,024 scored rows with their ragged lists, 1,024 relational
 * rows; batches cycle through the first epoch in file order), and scoring all items of the user with
 * the longest positive list (Java-built lists through the training graph; with
 * {@code -Daccent.rcfModel=MODEL_DIR} also through the model's self-contained SavedModel).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(1)
public class RcfBenchmark {

    @Param({"2"})
    public int threads;

    private RcfData data;
    private RcfTrainingGraph graph;
    private RcfNeighbourLists.Batch[] batches;
    private int[][][] rel;
    private int next;
    private int user;
    private TrainedModel model;

    @Setup(Level.Trial)
    public void setUp() {
        data = RcfData.of(RcfDataset.load(BenchData.directory()), 64, 32, 64);
        RcfConfig config = RcfConfig.reference(1, RcfConfig.REFERENCE_SEED);
        Triples t = data.train();
        RelationalData r = data.relational();
        graph = new RcfTrainingGraph(config, data.sizes(), t.size(), r.size(), threads);
        graph.load(new RcfTrainer(config, threads).initialWeights(data.sizes()));
        int steps = Math.min(16, t.size() / 512);
        batches = new RcfNeighbourLists.Batch[steps];
        rel = new int[steps][][];
        for (int s = 0; s < steps; s++) {
            int[] us = new int[1024];
            int[] is = new int[1024];
            for (int k = 0; k < 512; k++) {
                us[k] = us[512 + k] = t.user(s * 512 + k);
                is[k] = t.positive(s * 512 + k);
                is[512 + k] = t.negative(s * 512 + k);
            }
            batches[s] = data.lists().batch(us, is);
            int[][] x = new int[5][1024];
            for (int k = 0; k < 1024; k++) {
                int row = (s * 1024 + k) % r.size();
                x[0][k] = r.head(row);
                x[1][k] = r.type(row);
                x[2][k] = r.value(row);
                x[3][k] = r.tailPositive(row);
                x[4][k] = r.tailNegative(row);
            }
            rel[s] = x;
        }
        for (int u = 0; u < data.sizes().users(); u++) {
            if (data.lists().positives(u).length > data.lists().positives(user).length) {
                user = u;
            }
        }
        String dir = System.getProperty("accent.rcfModel");
        if (dir != null) {
            model = ModelStore.load(Path.of(dir));
        }
    }

    @Benchmark
    public float trainingStep() {
        int s = next++ % batches.length;
        return graph.step(batches[s], rel[s][0], rel[s][1], rel[s][2], rel[s][3], rel[s][4], false);
    }

    /** Lists built in Java for all items (chunks of 512) and scored through the training graph. */
    @Benchmark
    public void scoreAllItemsJavaLists(Blackhole bh) {
        int n = data.sizes().items();
        for (int from = 0; from < n; from += 512) {
            int to = Math.min(n, from + 512);
            int[] us = new int[to - from];
            int[] is = new int[to - from];
            for (int k = 0; k < us.length; k++) {
                us[k] = user;
                is[k] = from + k;
            }
            bh.consume(graph.score(data.lists().batch(us, is)));
        }
    }

    /** The SavedModel's serving signature (lists built in the graph); needs -Daccent.rcfModel. */
    @Benchmark
    public float[] scoreAllItemsSavedModel() {
        if (model == null) {
            throw new IllegalStateException("set -Daccent.rcfModel=MODEL_DIR (an RCF model directory)");
        }
        return model.scoreAll(user);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        graph.close();
        if (model != null) {
            model.close();
        }
    }
}
