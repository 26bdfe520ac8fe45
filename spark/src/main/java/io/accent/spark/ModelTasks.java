package io.accent.spark;

import io.accent.api.Accent;
import io.accent.api.AccentModel;
import io.accent.api.Recommendation;
import java.util.ArrayList;
import java.util.List;

/** The tasks of {@code score} and {@code recommend}: each opens the model through the library. */
final class ModelTasks {

    private ModelTasks() {}

    /** Scores a slice of pairs: {@code {users, items}} in, their scores out. */
    record Score(String model) implements SparkRuns.Task<int[][], float[]> {
        @Override
        public List<float[]> run(int[][] pairs) {
            try (AccentModel m = Accent.open(ExecutorSide.modelDir(model))) {
                return List.of(m.score(pairs[0], pairs[1]));
            }
        }
    }

    /** The top {@code k} of a slice of users, in order. */
    record Recommend(String model, int k) implements SparkRuns.Task<int[], List<Recommendation>> {
        @Override
        public List<List<Recommendation>> run(int[] users) {
            List<List<Recommendation>> out = new ArrayList<>(users.length);
            try (AccentModel m = Accent.open(ExecutorSide.modelDir(model))) {
                for (int u : users) {
                    out.add(new ArrayList<>(m.recommend(u, k)));
                }
            }
            return out;
        }
    }
}
