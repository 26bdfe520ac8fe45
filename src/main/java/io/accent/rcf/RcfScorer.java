package io.accent.rcf;

import io.accent.tf.ParameterSet;

/**
 * Scores (user, item) pairs of one RCF state through Java-built neighbour lists and the network's
 * scoring graph ({@link RcfTrainingGraph#score}), in chunks of {@value RcfModel#CHUNK} rows (§4.6).
 * Much faster than the SavedModel's in-graph list building; the scores agree with it up to float32
 * round-off. Holds one graph and session; close it.
 */
public final class RcfScorer implements AutoCloseable {

    private final RcfData data;
    private final RcfTrainingGraph graph;

    /**
     * @param data whose lists (the users' N_u) the scores use
     * @param state the weights
     */
    public RcfScorer(RcfConfig config, RcfData data, ParameterSet state, int threads) {
        this.data = data;
        this.graph = new RcfTrainingGraph(config, data.sizes(), 1, 1, threads);
        try {
            graph.load(state);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** ŷ(users[k], items[k]) with the lists built from {@code data}'s N_u. */
    public float[] score(int[] users, int[] items) {
        float[] out = new float[users.length];
        for (int from = 0; from < users.length; from += RcfModel.CHUNK) {
            int to = Math.min(users.length, from + RcfModel.CHUNK);
            float[] part =
                    graph.score(
                            data.lists()
                                    .batch(
                                            java.util.Arrays.copyOfRange(users, from, to),
                                            java.util.Arrays.copyOfRange(items, from, to)));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    /** The user's scores of every item. */
    public float[] scoreAll(int user) {
        int n = data.sizes().items();
        int[] users = new int[n];
        int[] items = new int[n];
        java.util.Arrays.fill(users, user);
        for (int i = 0; i < n; i++) {
            items[i] = i;
        }
        return score(users, items);
    }

    @Override
    public void close() {
        graph.close();
    }
}
