package io.accent.rcf;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.core.SolverException;
import io.accent.data.RelationalData;
import io.accent.data.Triples;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains RCF with the reference protocol (docs/SPEC.md §4.4–4.5): seeded initialization, per epoch
 * an independent shuffle of the triples and of the relational rows, ceil(N/512) steps per epoch
 * with relational batches of ceil(N_rel/steps) rows, Adagrad. Stateless; every run replays from
 * config and seeds.
 */
public final class RcfTrainer {

    private final RcfConfig config;
    private final int threads;

    /**
     * @param threads TensorFlow threads (1 gives bit-reproducible training)
     */
    public RcfTrainer(RcfConfig config, int threads) {
        this.config = config;
        this.threads = threads;
    }

    public RcfConfig config() {
        return config;
    }

    /** Outcome of a run: the final state (weights and accumulators) and the loss per epoch. */
    public record Outcome(ParameterSet state, List<Double> epochLosses, long steps) {
        public Outcome {
            epochLosses = List.copyOf(epochLosses);
        }
    }

    /** Steps per epoch: ceil(triples / batch). */
    public int stepsPerEpoch(int triples) {
        return (triples + config.batchSize() - 1) / config.batchSize();
    }

    /** Trains from the seeded initialization. */
    public Outcome train(RcfData data, Progress progress) {
        return train(data, initialWeights(data.sizes()), progress);
    }

    /** Trains from the given weights (accumulators start fresh unless {@code start} has them). */
    public Outcome train(RcfData data, ParameterSet start, Progress progress) {
        Triples triples = data.train();
        RelationalData rel = data.relational();
        int n = triples.size();
        if (n == 0) {
            throw new ConfigException("no training triples");
        }
        // each (u, p) and (u, n) list is built once and reused by every epoch, unless they are too
        // many to keep (then each step builds its own, on the batch thread)
        RcfNeighbourLists.Pair[][] lists = RcfSchedule.listsIfSmall(data);
        RcfSchedule schedule =
                new RcfSchedule(data, config.seed(), config.batchSize(), lists[0], lists[1]);
        int steps = schedule.steps();
        List<Double> losses = new ArrayList<>();
        long total = (long) steps * config.epochs();
        progress.start("train", total);
        java.util.concurrent.ExecutorService prep =
                java.util.concurrent.Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "rcf-batches");
                            t.setDaemon(true);
                            return t;
                        });
        try (RcfTrainingGraph g =
                new RcfTrainingGraph(config, data.sizes(), n, rel.size(), threads)) {
            g.load(start);
            for (int e = 0; e < config.epochs(); e++) {
                schedule.nextEpoch();
                double sum = 0;
                // the next step's inputs are built on a second thread while TensorFlow runs this
                // one (they depend only on the epoch's orders, so the run stays deterministic)
                java.util.concurrent.Future<StepInput> next = prep.submit(() -> input(schedule, 0));
                for (int s = 0; s < steps; s++) {
                    StepInput in = join(next);
                    if (s + 1 < steps) {
                        int following = s + 1;
                        next = prep.submit(() -> input(schedule, following));
                    }
                    float loss =
                            g.step(
                                    in.batch(),
                                    in.heads(),
                                    in.types(),
                                    in.values(),
                                    in.tailPos(),
                                    in.tailNeg(),
                                    true);
                    if (!Float.isFinite(loss)) {
                        throw diverged(loss, e, s);
                    }
                    sum += loss;
                    progress.step(1);
                }
                losses.add(sum);
                progress.message(String.format("epoch %d loss %.4f", e + 1, sum));
            }
            progress.close();
            return new Outcome(g.snapshot(), losses, total);
        } finally {
            prep.shutdownNow();
        }
    }

    /** The error of a non-finite loss at (0-based) epoch {@code e}, step {@code s}. */
    SolverException diverged(float loss, int e, int s) {
        return new SolverException(
                "training diverged: loss is "
                        + loss
                        + " at epoch "
                        + (e + 1)
                        + ", step "
                        + (s + 1)
                        + " (learning rate "
                        + config.learningRate()
                        + ")");
    }

    /**
     * The inputs of one training step (of one model, or of one copy of a stacked graph): its
     * triples with their lists (rows 0..b−1 (u, p), b..2b−1 (u, n)) and its relational rows (heads,
     * types 1..K, values, positive and negative tails).
     */
    record StepInput(
            RcfNeighbourLists.Batch batch,
            int[] heads,
            int[] types,
            int[] values,
            int[] tailPos,
            int[] tailNeg) {}

    /**
     * Step {@code s} of the schedule's current epoch: its triples with their lists (rows 0..b−1
     * score (u, p), rows b..2b−1 score (u, n)) and its relational rows.
     */
    static StepInput input(RcfSchedule schedule, int s) {
        Triples triples = schedule.triples();
        RelationalData rel = schedule.relational();
        int[] rows = schedule.tripleRows(s);
        int b = rows.length;
        int[] users = new int[2 * b];
        int[] targets = new int[2 * b];
        RcfNeighbourLists.Pair[] pairs = new RcfNeighbourLists.Pair[2 * b];
        for (int k = 0; k < b; k++) {
            int r = rows[k];
            users[k] = users[b + k] = triples.user(r);
            targets[k] = triples.positive(r);
            targets[b + k] = triples.negative(r);
            pairs[k] = schedule.positiveLists(r);
            pairs[b + k] = schedule.negativeLists(r);
        }
        int[] relRows = schedule.relationalRows(s);
        int m = relRows.length;
        int[] h = new int[m];
        int[] t = new int[m];
        int[] v = new int[m];
        int[] tp = new int[m];
        int[] tn = new int[m];
        for (int k = 0; k < m; k++) {
            int r = relRows[k];
            h[k] = rel.head(r);
            t[k] = rel.type(r);
            v[k] = rel.value(r);
            tp[k] = rel.tailPositive(r);
            tn[k] = rel.tailNegative(r);
        }
        return new StepInput(
                RcfNeighbourLists.Batch.of(users, targets, pairs, schedule.types()),
                h,
                t,
                v,
                tp,
                tn);
    }

    static <X> X join(java.util.concurrent.Future<X> f) {
        try {
            return f.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building a training batch", ex);
        } catch (java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(ex.getCause());
        }
    }

    /**
     * Scores pairs with a given state through the training graph's scoring path (Java-built lists
     * from N_u, in chunks of 512 rows).
     */
    public float[] score(RcfData data, ParameterSet state, int[] users, int[] items) {
        try (RcfScorer scorer = new RcfScorer(config, data, state, threads)) {
            return scorer.score(users, items);
        }
    }

    /**
     * The seeded initialization of §4.1 (any K: the value tables V1..VK are embeddings, every W_t*
     * and a_t an attention layer, drawn in variable order): embeddings N(0, 0.05²), attention
     * layers Glorot-uniform with zero bias, MLP weight and bias N(0, 0.125²) (√(2/(H+mlp))),
     * prediction N(0, 2/(mlp+1)).
     */
    public ParameterSet initialWeights(RcfNetwork.Sizes sizes) {
        SplittableRandom rnd = new SplittableRandom(config.initSeed());
        long[][] shapes = RcfNetwork.shapes(sizes);
        List<String> names = sizes.variables();
        List<NamedArray> out = new ArrayList<>();
        for (int k = 0; k < shapes.length; k++) {
            String name = names.get(k);
            long[] s = shapes[k];
            int count = 1;
            for (long d : s) {
                count *= (int) d;
            }
            float[] d = new float[count];
            boolean table = name.matches("V[0-9]+");
            switch (table ? "V" : name) {
                case "e_user", "R", "q", "V" -> normal(rnd, d, 0.05);
                case "bt" -> {}
                case "M0", "c0" -> normal(rnd, d, Math.sqrt(2.0 / (sizes.hidden() + sizes.mlp())));
                case "wp" -> normal(rnd, d, Math.sqrt(2.0 / (sizes.mlp() + 1)));
                default -> {
                    double limit = Math.sqrt(6.0 / (s[0] + s[1]));
                    for (int i = 0; i < count; i++) {
                        d[i] = (float) ((2 * rnd.nextDouble() - 1) * limit);
                    }
                }
            }
            out.add(new NamedArray(name, s, d));
        }
        return new ParameterSet(out);
    }

    private static void normal(SplittableRandom rnd, float[] d, double std) {
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rnd.nextGaussian() * std);
        }
    }
}
