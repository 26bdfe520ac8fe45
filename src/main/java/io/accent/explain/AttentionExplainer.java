package io.accent.explain;

import io.accent.core.ConfigException;
import io.accent.influence.RemovalScores;
import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attention baselines of docs/SPEC.md §6.3 (RCF only): the user's positives ordered by their
 * attention weight for the recommendation, largest first (equal weights in action order), removed
 * with the parameters fixed and the top-k re-scored by real forward passes ({@link RemovalScores}).
 * The replacement is the best of the original top-k other than the recommendation under the new
 * scores, the gap is new(rec) − new(repl), and success is gap &lt; 0. Predicted scores are the new
 * real scores of the top-k.
 *
 * <ul>
 *   <li>{@link #pure()} (pure attention): adds every item in order, stopping at gap &lt; 0;
 *   <li>{@link #greedy()} (attention): keeps an item only if the new gap is below the current one
 *       (initially s_0 − s_1), otherwise puts it back.
 * </ul>
 *
 * Forward passes are batched: pure attention scores every prefix of the order in one call;
 * attention scores, from the current set X, the sets X ∪ {z} of the next candidates in one call (a
 * window that doubles while none is accepted) and takes the first accepted one, which is what the
 * one-at-a-time loop would do.
 */
final class AttentionExplainer implements Explainer {

    static final String PURE = "pure-att";
    static final String GREEDY = "attention";

    private final boolean keepOnlyImprovements;

    private AttentionExplainer(boolean keepOnlyImprovements) {
        this.keepOnlyImprovements = keepOnlyImprovements;
    }

    static AttentionExplainer pure() {
        return new AttentionExplainer(false);
    }

    static AttentionExplainer greedy() {
        return new AttentionExplainer(true);
    }

    @Override
    public String name() {
        return keepOnlyImprovements ? GREEDY : PURE;
    }

    @Override
    public String fileId() {
        return keepOnlyImprovements ? "attention" : "pure_att";
    }

    @Override
    public boolean needsRemovalScores() {
        return true;
    }

    @Override
    public Optional<CounterfactualExplanation> explain(UserInfluence in, int k) {
        throw new ConfigException(
                "the "
                        + name()
                        + " explainer needs real forward passes with items removed,"
                        + " which this model's influence engine does not provide");
    }

    @Override
    public Map<Integer, Optional<CounterfactualExplanation>> explainAll(
            UserInfluence in, RemovalScores removal, int[] ks) {
        Estimates.checkKs(in, ks);
        if (!Arrays.equals(in.topItems(), removal.topItems())) {
            throw new IllegalArgumentException("removal scores of another top list");
        }
        int[] order = Estimates.orderDescending(removal.attentionWeights());
        Map<Integer, Optional<CounterfactualExplanation>> out = new LinkedHashMap<>();
        if (!keepOnlyImprovements) {
            // every prefix of the order, once, with the largest k; each k reads its first k scores
            int kmax = Arrays.stream(ks).max().orElseThrow();
            double[][] s = removal.scoresAlongOrder(order, kmax);
            for (int k : ks) {
                out.put(k, pure(in, order, s, k));
            }
        } else {
            for (int k : ks) {
                out.put(k, greedy(in, removal, order, k));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public Optional<CounterfactualExplanation> explain(
            UserInfluence in, RemovalScores removal, int k) {
        return explainAll(in, removal, new int[] {k}).get(k);
    }

    private static Optional<CounterfactualExplanation> pure(
            UserInfluence in, int[] order, double[][] s, int k) {
        for (int m = 1; m <= order.length; m++) {
            double[] now = Arrays.copyOf(s[m - 1], k);
            int repl = Estimates.argmaxFromOne(now);
            double gap = now[0] - now[repl];
            if (gap < 0) {
                return Optional.of(explanation(in, Arrays.copyOf(order, m), repl, now, gap));
            }
        }
        return Optional.empty();
    }

    private static Optional<CounterfactualExplanation> greedy(
            UserInfluence in, RemovalScores removal, int[] order, int k) {
        double gap = in.score(0) - in.score(1);
        int[] set = new int[0];
        double[] scores = null;
        int repl = -1;
        int next = 0;
        int window = 4;
        while (next < order.length && !(gap < 0)) {
            int to = Math.min(order.length, next + window);
            List<int[]> sets = new ArrayList<>(to - next);
            for (int z = next; z < to; z++) {
                int[] x = Arrays.copyOf(set, set.length + 1);
                x[set.length] = order[z];
                sets.add(x);
            }
            double[][] s = removal.scoresWithout(sets, k);
            int accepted = -1;
            for (int c = 0; c < s.length; c++) {
                int r = Estimates.argmaxFromOne(s[c]);
                double g = s[c][0] - s[c][r];
                if (g < gap) {
                    accepted = c;
                    gap = g;
                    repl = r;
                    scores = s[c];
                    set = sets.get(c);
                    break;
                }
            }
            if (accepted < 0) {
                next = to;
                window *= 2;
            } else {
                next += accepted + 1;
                window = 4;
            }
        }
        if (gap < 0) {
            return Optional.of(explanation(in, set, repl, scores, gap));
        }
        return Optional.empty();
    }

    private static CounterfactualExplanation explanation(
            UserInfluence in, int[] actions, int repl, double[] now, double gap) {
        List<Integer> added = new ArrayList<>(actions.length);
        for (int z : actions) {
            added.add(z);
        }
        return Estimates.explanation(in, now.length, added, repl, now, gap);
    }
}
