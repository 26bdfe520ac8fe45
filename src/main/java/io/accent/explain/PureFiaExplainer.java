package io.accent.explain;

import io.accent.influence.UserInfluence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure FIA (docs/SPEC.md §6.1): adds the actions in order of their influence on the recommendation,
 * largest first, with no acceptance test (negative influences included), until the recommendation
 * is predicted to fall below the best other top-k item. Equal influences are taken in action order
 * (see {@link Estimates#orderDescending}).
 */
final class PureFiaExplainer implements Explainer {

    static final String NAME = "pure-fia";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String fileId() {
        return "pure_fia";
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
            cur = Estimates.minusAction(in, cur, z);
            repl = Estimates.argmaxFromOne(cur);
            gap = cur[0] - cur[repl];
            added.add(z);
            if (gap < 0) {
                break;
            }
        }
        if (gap < 0 && !added.isEmpty()) {
            return Optional.of(Estimates.explanation(in, k, added, repl, cur, gap));
        }
        return Optional.empty();
    }
}
