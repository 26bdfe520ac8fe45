package io.accent.explain;

import io.accent.influence.UserInfluence;

/** Hand-built inputs: user 7, top items 100, 101, ..., actions on items 200, 201, .... */
final class Cases {

    static final int USER = 7;

    private Cases() {}

    static int topItem(int k) {
        return 100 + k;
    }

    static int actionItem(int z) {
        return 200 + z;
    }

    /** {@code inf[k][z]}; the number of actions is {@code inf[0].length}. */
    static UserInfluence of(double[] scores, double[][] inf) {
        int[] top = new int[scores.length];
        for (int k = 0; k < top.length; k++) {
            top[k] = topItem(k);
        }
        int[] actions = new int[inf[0].length];
        for (int z = 0; z < actions.length; z++) {
            actions[z] = actionItem(z);
        }
        return new UserInfluence(USER, top, scores, actions, inf);
    }
}
