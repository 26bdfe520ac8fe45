package io.accent.benchmarks;

import io.accent.core.Progress;
import io.accent.explain.Explainer;
import io.accent.explain.Explainers;
import io.accent.explain.ExplanationRun;
import io.accent.influence.HessianVectorProduct;
import io.accent.ncf.NcfInfluenceConfig;
import io.accent.influence.LinearSolver;
import io.accent.ncf.NcfInfluenceEngine;
import io.accent.influence.SolveResult;
import io.accent.influence.UserInfluence;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The influence hot path on NCF/MovieLens, user 0 (raw id 1) unless {@code -Daccent.user} says
 * otherwise: one HVP and one inverse-HVP solve of one (u, i) pair in the reference design (a session
 * call per HVP); the influences of one user's top-20 in the batched path (item-block cache cleared
 * every time) and in the per-pair path; one full ACCENT explanation; and all users for k = 5, 10, 20.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class InfluenceBenchmark {

    private TrainedModel model;
    private NcfInfluenceEngine engine;
    private HessianVectorProduct pair;
    private double[] direction;
    private double[] rhs;
    private double[] out;
    private int user;
    private final Explainer accent = Explainers.byName("accent");
    private final int[] ks = {5, 10, 20};
    private int[] allUsers;

    @Setup(Level.Trial)
    public void setUp() {
        model = BenchModel.load();
        engine = new NcfInfluenceEngine(model, NcfInfluenceConfig.defaults());
        user = Integer.getInteger("accent.user", 0);
        List<ScoredItem> top = model.recommend(user, 20);
        pair = engine.pairOperator(user, top.get(0).item());
        direction = new double[pair.dimension()];
        rhs = new double[pair.dimension()];
        for (int k = 0; k < direction.length; k++) {
            direction[k] = Math.sin(k + 1);
            rhs[k] = Math.cos(k + 1);
        }
        out = new double[pair.dimension()];
        allUsers = new int[model.metadata().numUsers()];
        for (int u = 0; u < allUsers.length; u++) {
            allUsers[u] = u;
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double hvpOnePair() {
        pair.apply(direction, out);
        return out[0];
    }

    @Benchmark
    public SolveResult inverseHvpOnePairCg() {
        return LinearSolver.CG.solve(pair, rhs);
    }

    @Benchmark
    public UserInfluence top20Batched() {
        engine.clearCache();
        return engine.compute(user).influence();
    }

    /** The same with the item-block Hessians already cached, as for every user after the first in a run. */
    @Benchmark
    public UserInfluence top20BatchedWarm() {
        return engine.compute(user).influence();
    }

    @Benchmark
    public UserInfluence top20PerPair() {
        return engine.computePerPair(user).influence();
    }

    @Benchmark
    public void accentOneUser(Blackhole bh) {
        engine.clearCache();
        bh.consume(accent.explainAll(engine.compute(user).influence(), ks));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public ExplanationRun.Summary allUsersAccentK5to20() {
        return ExplanationRun.run(model, io.accent.ncf.NcfFamily.influenceSetup(NcfInfluenceConfig.defaults()),
                new ExplanationRun.Config(allUsers, ks, List.of(accent), Optional.empty(), 64), Progress.NONE, r -> { });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        model.close();
    }
}
