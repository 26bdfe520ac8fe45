package io.accent.explain;

import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ACCENT's pairwise search (docs/SPEC.md §6.4) stopped with a counterfactual set, kept so that it
 * can be continued (ACCENT+ verify and resume, §11.3): the chosen replacement, the order of the
 * actions by their influence δ on the gap {@code rec − replacement}, and how many of them the set
 * holds. {@link #resume(double)} continues the same loop over the next actions of that order.
 *
 * @param in the user's influences
 * @param k the length of the top list searched
 * @param replacementRank rank c of the replacement, 1..k−1
 * @param order action indices by δ, largest first (equal δ in action order)
 * @param delta {@code δ[z] = INF[0][z] − INF[c][z]} per action index
 * @param taken how many actions of {@code order} the set holds (at least one)
 * @param residual the additive estimate of the gap after removing the set, {@code s_0 − s_c − Σδ},
 *     negative
 */
public record AccentSearch(
        UserInfluence in,
        int k,
        int replacementRank,
        int[] order,
        double[] delta,
        int taken,
        double residual) {

    public AccentSearch {
        order = order.clone();
        delta = delta.clone();
        if (taken < 1 || taken > order.length) {
            throw new IllegalArgumentException(
                    "a search holding " + taken + " of " + order.length + " actions");
        }
        if (!(residual < 0)) {
            throw new IllegalArgumentException("residual gap " + residual + " is not negative");
        }
    }

    @Override
    public int[] order() {
        return order.clone();
    }

    @Override
    public double[] delta() {
        return delta.clone();
    }

    /**
     * Runs the search of §6.4 for every k of {@code ks} in one pass over the candidates (§6.6): per
     * k, the best stopped search among the candidates of rank 1..k−1, or empty when none succeeds.
     * The result iterates in the order of {@code ks}.
     *
     * @throws io.accent.core.ConfigException if {@code ks} is empty, repeats a value, or holds an
     *     invalid k
     * @throws io.accent.core.DataException if a score or influence value in the first max(ks) rows
     *     is not finite
     */
    public static Map<Integer, Optional<AccentSearch>> searchAll(UserInfluence in, int[] ks) {
        Estimates.checkKs(in, ks);
        int maxK = 0;
        for (int k : ks) {
            maxK = Math.max(maxK, k);
        }
        Estimates.checkFinite(in, maxK);
        boolean[] snapshot = new boolean[maxK + 1];
        for (int k : ks) {
            snapshot[k] = true;
        }
        Map<Integer, Optional<AccentSearch>> found = new HashMap<>();
        double[] rec = Estimates.row(in, 0);
        AccentSearch best = null;
        for (int c = 1; c < maxK; c++) {
            double[] delta = new double[rec.length];
            for (int z = 0; z < delta.length; z++) {
                delta[z] = rec[z] - in.influence(c, z);
            }
            int[] order = Estimates.orderDescending(delta);
            int taken = extend(order, delta, 0, in.score(0) - in.score(c));
            if (taken > 0) {
                double gap = in.score(0) - in.score(c);
                for (int t = 0; t < taken; t++) {
                    gap -= delta[order[t]];
                }
                // strict comparisons: on exact ties the higher-ranked candidate stays
                if (best == null
                        || taken < best.taken
                        || (taken == best.taken && gap < best.residual)) {
                    best = new AccentSearch(in, maxK, c, order, delta, taken, gap);
                }
            }
            if (snapshot[c + 1]) {
                found.put(c + 1, Optional.ofNullable(best));
            }
        }
        Map<Integer, Optional<AccentSearch>> out = new LinkedHashMap<>();
        for (int k : ks) {
            out.put(k, found.get(k).map(s -> s.forK(k)));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The loop of §6.4 from position {@code from} of {@code order} with gap {@code gap}: takes
     * actions while δ ≥ 0 until the gap is negative.
     *
     * @return the new number of actions taken when the gap closed, or 0 when the actions with δ ≥ 0
     *     ran out first
     */
    private static int extend(int[] order, double[] delta, int from, double gap) {
        double g = gap;
        for (int t = from; t < order.length; t++) {
            double d = delta[order[t]];
            if (d < 0) {
                return 0;
            }
            g -= d;
            if (g < 0) {
                return t + 1;
            }
        }
        return 0;
    }

    private AccentSearch forK(int kk) {
        return kk == k
                ? this
                : new AccentSearch(in, kk, replacementRank, order, delta, taken, residual);
    }

    /**
     * Continues the search where it stopped (SPEC §11.3): the loop of §6.4 for the same replacement
     * over the actions after the {@link #taken} ones, in the same order, starting from the gap
     * {@code gap} instead of the estimated residual (the gap measured by retraining without the
     * set): actions are added while δ ≥ 0 until {@code gap − Σδ} of the added ones is negative.
     *
     * @param gap the gap {@code rec − replacement} to close, e.g. the mean retrained gap; at least
     *     0 for a set that did not overtake
     * @return the longer search, or empty when the actions with δ ≥ 0 run out before the gap closes
     */
    public Optional<AccentSearch> resume(double gap) {
        if (!(gap >= 0)) {
            throw new IllegalArgumentException(
                    "resuming needs a gap of at least 0 (a set that did not overtake), got " + gap);
        }
        int t = extend(order, delta, taken, gap);
        if (t == 0) {
            return Optional.empty();
        }
        double r = residual;
        for (int i = taken; i < t; i++) {
            r -= delta[order[i]];
        }
        return Optional.of(new AccentSearch(in, k, replacementRank, order, delta, t, r));
    }

    /** Whether an action with δ ≥ 0 remains after the set, i.e. {@link #resume} could add one. */
    public boolean canGrow() {
        return taken < order.length && delta[order[taken]] >= 0;
    }

    /** The set's action indices, in the order added. */
    public List<Integer> actions() {
        List<Integer> out = new ArrayList<>(taken);
        for (int t = 0; t < taken; t++) {
            out.add(order[t]);
        }
        return out;
    }

    /**
     * The explanation of this set: the replacement, and the estimate {@code ŝ(X)} over the top-k,
     * subtracting the set's influences in ascending action order.
     */
    public CounterfactualExplanation explanation() {
        List<Integer> set = actions();
        List<Integer> ascending = new ArrayList<>(set);
        Collections.sort(ascending);
        double[] predicted = Estimates.scores(in, k);
        for (int z : ascending) {
            for (int j = 0; j < k; j++) {
                predicted[j] -= in.influence(j, z);
            }
        }
        return Estimates.explanation(in, k, set, replacementRank, predicted, residual);
    }
}
