package io.accent.influence;

import io.accent.core.Progress;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets of rating-row engines (NCF, MF): each user's top-K items with their scores, the
 * default targets of {@link InfluenceEngine#computeUsers}; and the loop of the engines that solve
 * one user at a time.
 *
 * @param items per user, the target items
 * @param scores per user, the targets' current scores
 */
public record UserTargets(int[][] items, double[][] scores) {

    /** The model's top {@code topK} items of each user, the users checked against {@code rows}. */
    public static UserTargets top(TrainedModel model, RatingRows rows, int[] users, int topK) {
        int[][] items = new int[users.length][];
        double[][] scores = new double[users.length][];
        for (int b = 0; b < users.length; b++) {
            rows.checkUser(users[b]);
            List<ScoredItem> top = model.recommend(users[b], topK);
            items[b] = top.stream().mapToInt(ScoredItem::item).toArray();
            scores[b] = top.stream().mapToDouble(ScoredItem::score).toArray();
        }
        return new UserTargets(items, scores);
    }

    /** One user's influences on its targets. */
    public interface OneUser {
        InfluenceResult compute(int user, int[] targets, double[] scores);
    }

    /**
     * The influences of each user on its targets, one user at a time, the targets first checked
     * against {@code rows} (none rated by its user); {@code label} names the step in {@code
     * progress}.
     */
    public static List<InfluenceResult> eachUser(
            RatingRows rows,
            int[] users,
            int[][] targets,
            double[][] scores,
            String label,
            Progress progress,
            OneUser one) {
        for (int b = 0; b < users.length; b++) {
            rows.checkTargets(users[b], targets[b]);
        }
        progress.start(label, users.length);
        List<InfluenceResult> out = new ArrayList<>(users.length);
        for (int b = 0; b < users.length; b++) {
            out.add(one.compute(users[b], targets[b], scores[b]));
            progress.step(1);
        }
        progress.close();
        return out;
    }
}
