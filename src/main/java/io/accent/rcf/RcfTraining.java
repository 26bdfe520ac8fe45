package io.accent.rcf;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.core.Provenance;
import io.accent.data.RcfDataset;
import io.accent.data.Triples;
import io.accent.model.ModelMetadata;
import io.accent.modelio.ModelStore;
import io.accent.tf.ParameterSet;
import io.accent.tf.TfSessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code train rcf} job: train RCF on a prepared data set, measure the ranking sanity metric of
 * docs/SPEC.md §1.5 against an item-popularity baseline, and write a model directory.
 */
public final class RcfTraining {

    private RcfTraining() {}

    /**
     * Summary of a finished RCF training run.
     *
     * @param wallTime wall-clock time of the optimization (list building and graph build included)
     * @param steps Adagrad updates
     * @param finalEpochLoss summed minibatch loss of the last epoch (NaN with 0 epochs)
     * @param testPairs number of test pairs (u, pos, neg) scored
     * @param sanity share of test pairs with score(pos) > score(neg)
     * @param popularity the same share for item popularity (count as a training positive)
     * @param usersWithoutPositives users with no training triple: not trained, and {@code score}
     *     and {@code recommend} refuse them
     */
    public record Report(
            ModelMetadata metadata,
            Duration wallTime,
            long steps,
            double finalEpochLoss,
            int testPairs,
            double sanity,
            double popularity,
            int usersWithoutPositives) {}

    /**
     * Trains RCF on the prepared data in {@code dataDir} and writes the model directory {@code
     * out}.
     */
    public static Report run(
            Path dataDir, Path out, RcfConfig config, int threads, Progress progress) {
        return run(dataDir, ModelStore.target(out, dataDir), config, threads, progress);
    }

    /**
     * As {@link #run(Path, Path, RcfConfig, int, Progress)}, writing under the rules of {@code
     * out}.
     */
    public static Report run(
            Path dataDir, OutputTarget out, RcfConfig config, int threads, Progress progress) {
        RcfDataset dataset = RcfDataset.load(dataDir);
        RcfData data = RcfData.of(dataset, config.hidden(), config.attention(), config.mlp());
        RcfTrainer trainer = new RcfTrainer(config, threads);
        long t0 = System.nanoTime();
        RcfTrainer.Outcome outcome = trainer.train(data, progress);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        Triples test = data.test();
        double sanity = sanity(test, scorer(trainer, data, outcome.state(), test));
        double pop = sanity(test, popularity(data));
        String fingerprint = dataset.fingerprint();
        Map<String, Object> recorded =
                new RcfKinds(dataset.attributes().kinds()).recordIn(config.asMap());
        ModelMetadata meta =
                new ModelMetadata(
                        ModelMetadata.FORMAT,
                        RcfFamily.NAME,
                        data.sizes().users(),
                        data.sizes().items(),
                        recorded,
                        outcome.steps(),
                        config.seed(),
                        Double.NaN,
                        Double.NaN,
                        Provenance.now(
                                "accent train rcf",
                                TfSessions.deviceKind(),
                                dataset.name(),
                                fingerprint,
                                recorded,
                                config.seed(),
                                ""));
        ModelStore.save(out, meta, outcome.state(), dataDir);
        double last =
                outcome.epochLosses().isEmpty()
                        ? Double.NaN
                        : outcome.epochLosses().get(outcome.epochLosses().size() - 1);
        int without = 0;
        for (int u = 0; u < data.sizes().users(); u++) {
            if (data.lists().positiveCount(u) == 0) {
                without++;
            }
        }
        return new Report(meta, wall, outcome.steps(), last, test.size(), sanity, pop, without);
    }

    /** A score per (user, item) pair of the test triples, scoring each distinct pair once. */
    static Map<Long, Float> scorer(
            RcfTrainer trainer, RcfData data, ParameterSet state, Triples test) {
        Map<Long, Integer> index = new HashMap<>();
        java.util.List<int[]> pairs = new java.util.ArrayList<>();
        for (int r = 0; r < test.size(); r++) {
            for (int item : new int[] {test.positive(r), test.negative(r)}) {
                long key = key(test.user(r), item);
                if (index.putIfAbsent(key, pairs.size()) == null) {
                    pairs.add(new int[] {test.user(r), item});
                }
            }
        }
        int[] u = pairs.stream().mapToInt(p -> p[0]).toArray();
        int[] i = pairs.stream().mapToInt(p -> p[1]).toArray();
        float[] s = trainer.score(data, state, u, i);
        Map<Long, Float> out = new HashMap<>();
        index.forEach((k, v) -> out.put(k, s[v]));
        return out;
    }

    /** Item popularity: how often the item is the positive of a training triple. */
    private static Map<Long, Float> popularity(RcfData data) {
        int[] count = new int[data.sizes().items()];
        Triples train = data.train();
        for (int r = 0; r < train.size(); r++) {
            count[train.positive(r)]++;
        }
        Map<Long, Float> out = new HashMap<>();
        Triples test = data.test();
        for (int r = 0; r < test.size(); r++) {
            out.put(key(test.user(r), test.positive(r)), (float) count[test.positive(r)]);
            out.put(key(test.user(r), test.negative(r)), (float) count[test.negative(r)]);
        }
        return out;
    }

    /** The share of test triples whose positive scores strictly above the negative (§1.5). */
    public static double sanity(Triples test, Map<Long, Float> scores) {
        if (test.size() == 0) {
            return Double.NaN;
        }
        long wins = 0;
        for (int r = 0; r < test.size(); r++) {
            if (scores.get(key(test.user(r), test.positive(r)))
                    > scores.get(key(test.user(r), test.negative(r)))) {
                wins++;
            }
        }
        return (double) wins / test.size();
    }

    static long key(int user, int item) {
        return ((long) user << 32) | item;
    }
}
