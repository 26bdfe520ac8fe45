package io.accent.benchmarks;

import io.accent.influence.InfluenceResult;
import io.accent.rcf.RcfInfluenceConfig;
import io.accent.rcf.RcfInfluenceEngine;
import io.accent.modelio.ModelStore;
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

/**
 * One user's RCF influence matrix (docs/SPEC.md §5: top-20 from the float64 graph, the Hessians,
 * g_p, Δ_p and 20 × n_u forward passes) on a trained model given by {@code
 * -Daccent.rcfModel=MODEL_DIR} (for example {@code train rcf} on prepared MovieLens), for the user
 * whose positive count is closest to the mean (107.5 on MovieLens), with exact per-removal Hessians
 * and with the shared per-user Hessian.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 5)
@Fork(1)
public class RcfInfluenceBenchmark {

    @Param({"shared", "exact"})
    public String hessian;

    @Param({"2"})
    public int threads;

    private TrainedModel model;
    private RcfInfluenceEngine engine;
    private int user;

    @Setup(Level.Trial)
    public void setUp() {
        String dir = System.getProperty("accent.rcfModel");
        if (dir == null) {
            throw new IllegalStateException("set -Daccent.rcfModel=MODEL_DIR to a trained RCF model directory");
        }
        model = ModelStore.load(Path.of(dir));
        engine = new RcfInfluenceEngine(model, RcfInfluenceConfig.defaults()
                .withHessian(RcfInfluenceConfig.Hessian.byName(hessian)).withThreads(threads));
        double mean = 0;
        int users = model.metadata().numUsers();
        for (int u = 0; u < users; u++) {
            mean += model.trainingItems(u).cardinality();
        }
        mean /= users;
        double best = Double.MAX_VALUE;
        for (int u = 0; u < users; u++) {
            double d = Math.abs(model.trainingItems(u).cardinality() - mean);
            if (d < best) {
                best = d;
                user = u;
            }
        }
    }

    @Benchmark
    public InfluenceResult oneUsersInfluenceMatrix() {
        return engine.compute(user);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        model.close();
    }
}
