package io.accent.model;

import io.accent.data.PreparedDataset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A trained, immutable recommender loaded from a model directory: scores, top-k, its variables and
 * the data it was trained on. Owns native TensorFlow resources; close it.
 */
public interface TrainedModel extends AutoCloseable {

    /** Contents of the directory's {@code model.json}. */
    ModelMetadata metadata();

    /** The training data shipped with the model (ids, titles, training and held-out rows). */
    PreparedDataset data();

    /** Scores of the pairs (users[b], items[b]) in dense ids. */
    float[] score(int[] users, int[] items);

    /** All variables of the model, and the optimizer state where the model has it. */
    ParameterSet parameters();

    @Override
    void close();

    /** Scores of every item for one user. */
    default float[] scoreAll(int user) {
        int n = metadata().numItems();
        int[] users = new int[n];
        int[] items = new int[n];
        for (int i = 0; i < n; i++) {
            users[i] = user;
            items[i] = i;
        }
        return score(users, items);
    }

    /**
     * The top-{@code k} items for {@code user}, excluding every item in the user's training rows (any
     * rating), ordered by score descending with ties broken by the lower item index (MODELS.md §2.5).
     */
    default List<ScoredItem> recommend(int user, int k) {
        float[] s = scoreAll(user);
        BitSet seen = new BitSet(s.length);
        var train = data().train();
        for (int r : train.rowsOf(user)) {
            seen.set(train.item(r));
        }
        return topK(s, seen, k);
    }

    /** Top-k of {@code scores} over indices not in {@code excluded}; ties go to the lower index. */
    static List<ScoredItem> topK(float[] scores, BitSet excluded, int k) {
        PriorityQueue<ScoredItem> heap = new PriorityQueue<>((a, b) -> a.score() != b.score()
                ? Float.compare(a.score(), b.score())
                : Integer.compare(b.item(), a.item()));
        for (int i = 0; i < scores.length; i++) {
            if (excluded.get(i)) {
                continue;
            }
            heap.add(new ScoredItem(i, scores[i]));
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<ScoredItem> out = new ArrayList<>(heap);
        out.sort((a, b) -> a.score() != b.score()
                ? Float.compare(b.score(), a.score())
                : Integer.compare(a.item(), b.item()));
        return List.copyOf(out);
    }
}
