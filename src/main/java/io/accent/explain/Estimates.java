package io.accent.explain;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Shared pieces of the additive estimate {@code ŝ_k(X) = s_k − Σ_{z∈X} influence[k][z]}. */
final class Estimates {

    private Estimates() {}

    /** Rejects a k outside {@code 2..K}. */
    static void checkK(UserInfluence in, int k) {
        if (k < 2 || k > in.topK()) {
            throw new ConfigException(
                    "k = "
                            + k
                            + " is out of range for user "
                            + in.user()
                            + ": it must be between 2 and the top-list length "
                            + in.topK());
        }
    }

    /** Rejects an empty or repeating {@code ks}, or any invalid k in it. */
    static void checkKs(UserInfluence in, int[] ks) {
        if (ks.length == 0) {
            throw new ConfigException("no values of k given");
        }
        Set<Integer> seen = new HashSet<>();
        for (int k : ks) {
            checkK(in, k);
            if (!seen.add(k)) {
                throw new ConfigException("k = " + k + " is given twice in " + Arrays.toString(ks));
            }
        }
    }

    /** Rejects a non-finite score or influence among the first {@code k} top items. */
    static void checkFinite(UserInfluence in, int k) {
        for (int j = 0; j < k; j++) {
            if (!Double.isFinite(in.score(j))) {
                throw new DataException(
                        "user "
                                + in.user()
                                + ": score of top item "
                                + j
                                + " (item "
                                + in.topItem(j)
                                + ") is "
                                + in.score(j));
            }
            for (int z = 0; z < in.actionCount(); z++) {
                double v = in.influence(j, z);
                if (!Double.isFinite(v)) {
                    throw new DataException(
                            "user "
                                    + in.user()
                                    + ": influence of action "
                                    + z
                                    + " (item "
                                    + in.action(z)
                                    + ") on top item "
                                    + j
                                    + " is "
                                    + v);
                }
            }
        }
    }

    /**
     * Indices of {@code v} ordered by value, largest first. numpy's {@code argsort(-v)} is an
     * unstable quicksort whose order of equal values cannot be reproduced here; equal values are
     * ordered by the lower index first (a stable order).
     */
    static int[] orderDescending(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        // numeric comparison (0.0 == -0.0); the values are finite
        Arrays.sort(idx, (a, b) -> v[a] > v[b] ? -1 : v[a] < v[b] ? 1 : Integer.compare(a, b));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** {@code influence[row][·]} over all actions. */
    static double[] row(UserInfluence in, int row) {
        double[] r = new double[in.actionCount()];
        for (int z = 0; z < r.length; z++) {
            r[z] = in.influence(row, z);
        }
        return r;
    }

    /** The first {@code k} current scores. */
    static double[] scores(UserInfluence in, int k) {
        double[] s = new double[k];
        for (int j = 0; j < k; j++) {
            s[j] = in.score(j);
        }
        return s;
    }

    /** {@code s − influence[·][z]} over the first {@code s.length} items, in a new array. */
    static double[] minusAction(UserInfluence in, double[] s, int z) {
        double[] out = new double[s.length];
        for (int j = 0; j < s.length; j++) {
            out[j] = s[j] - in.influence(j, z);
        }
        return out;
    }

    /** numpy's {@code argmax(s[1:]) + 1}: the first maximal entry among ranks 1 and up. */
    static int argmaxFromOne(double[] s) {
        int best = 1;
        for (int j = 2; j < s.length; j++) {
            if (s[j] > s[best]) {
                best = j;
            }
        }
        return best;
    }

    /** The explanation for the actions {@code added} (action indices, in the order added). */
    static CounterfactualExplanation explanation(
            UserInfluence in,
            int k,
            List<Integer> added,
            int replacementRank,
            double[] predicted,
            double gap) {
        List<Integer> top = new ArrayList<>(k);
        List<Double> scores = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            top.add(in.topItem(j));
            scores.add(predicted[j]);
        }
        List<Integer> removed = new ArrayList<>(added.size());
        for (int z : added) {
            removed.add(in.action(z));
        }
        return new CounterfactualExplanation(
                in.user(), top, removed, in.topItem(replacementRank), scores, gap);
    }
}
