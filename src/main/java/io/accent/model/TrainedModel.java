package io.accent.model;

import io.accent.data.IdMap;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A trained, immutable recommender of any family loaded from a model directory: scores, top-k, its
 * variables and family-neutral views of the data it was trained on (id maps, titles, the items a
 * user's recommendations exclude). Owns native TensorFlow resources; close it.
 */
public interface TrainedModel extends AutoCloseable {

    /** Contents of the directory's {@code model.json}. */
    ModelMetadata metadata();

    /** Name of the data set the model was trained on. */
    String dataName();

    /** SHA-256 of the model's training data file (NCF: ncf-train.tsv, RCF: rcf-train.csv). */
    String dataFingerprint();

    /** Dense user index to raw user id. */
    IdMap users();

    /** Dense item index to raw item id (the family's own item id space). */
    IdMap items();

    /** Title of item {@code item} (dense index). */
    String title(int item);

    /**
     * The items of {@code user}'s training data that top-k excludes: every rated item for NCF, the
     * training positives for RCF.
     */
    BitSet trainingItems(int user);

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
     * The top-{@code k} items for {@code user}, excluding {@link #trainingItems}, ordered by score
     * descending with ties broken by the lower item index (docs/SPEC.md §2.5, §4.6).
     */
    default List<ScoredItem> recommend(int user, int k) {
        return topK(scoreAll(user), trainingItems(user), k);
    }

    /** Top-k of {@code scores} over indices not in {@code excluded}; ties go to the lower index. */
    static List<ScoredItem> topK(float[] scores, BitSet excluded, int k) {
        PriorityQueue<ScoredItem> heap =
                new PriorityQueue<>(
                        (a, b) ->
                                a.score() != b.score()
                                        ? Float.compare(a.score(), b.score())
                                        : Integer.compare(b.item(), a.item()));
        for (int i = 0; i < scores.length; i++) {
            if (excluded.get(i)) {
                continue;
            }
            if (k > 0 && heap.size() == k) {
                // the heap's head is its worst entry; a later index loses a tie
                float worst = heap.peek().score();
                if (scores[i] == worst || Float.compare(scores[i], worst) < 0) {
                    continue;
                }
            }
            heap.add(new ScoredItem(i, scores[i]));
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<ScoredItem> out = new ArrayList<>(heap);
        out.sort(
                (a, b) ->
                        a.score() != b.score()
                                ? Float.compare(b.score(), a.score())
                                : Integer.compare(a.item(), b.item()));
        return List.copyOf(out);
    }
}
