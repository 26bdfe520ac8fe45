package io.accent.explain;

import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * FIA (docs/SPEC.md §6.2): walks the actions in order of their influence on the recommendation,
 * largest first, and keeps an action only if it strictly reduces the gap between the recommendation
 * and the best other top-k item (re-chosen at every step; the initial gap is {@code s_0 − s_1}).
 * Stops as soon as the gap is negative. Equal influences are taken in action order (see {@link
 * Estimates#orderDescending}).
 */
final class FiaExplainer implements Explainer {

    static final String NAME = "fia";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileId() {
        return "fia";
    }

    @Override
    public Optional<CounterfactualExplanation> explain(UserInfluence in, int k) {
        Estimates.checkK(in, k);
        Estimates.checkFinite(in, k);
        double[] cur = Estimates.scores(in, k);
        double gap = cur[0] - cur[1];
        int repl = -1;
        List<Integer> added = new ArrayList<>();
        for (int z : Estimates.orderDescending(Estimates.row(in, 0))) {
            double[] next = Estimates.minusAction(in, cur, z);
            int nextRepl = Estimates.argmaxFromOne(next);
            double nextGap = next[0] - next[nextRepl];
            if (nextGap < gap) {
                cur = next;
                repl = nextRepl;
                gap = nextGap;
                added.add(z);
                if (gap < 0) {
                    break;
                }
            }
        }
        if (gap < 0 && !added.isEmpty()) {
            return Optional.of(Estimates.explanation(in, k, added, repl, cur, gap));
        }
        return Optional.empty();
    }
}
