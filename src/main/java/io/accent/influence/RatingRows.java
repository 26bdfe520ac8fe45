package io.accent.influence;

import io.accent.core.DataException;
import io.accent.data.IdMap;
import io.accent.data.Ratings;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The training rows of explicit rating data by user and by item, for the influence engines of the
 * families on rating data: Z_u and Z_i of docs/SPEC.md §3, the checks of a request's users and
 * targets, and the ratings of a user's actions.
 */
public final class RatingRows {

    private final Ratings train;
    private final IdMap users;
    private final IdMap items;
    private final int[][] ofUser;
    private final int[][] ofItem;

    public RatingRows(Ratings train, IdMap users, IdMap items) {
        this.train = train;
        this.users = users;
        this.items = items;
        this.ofUser = index(train.users(), users.size());
        this.ofItem = index(train.items(), items.size());
    }

    /** The training rows of {@code user}, in file order (its actions). */
    public int[] ofUser(int user) {
        return ofUser[user];
    }

    /** The training rows of {@code item}. */
    public int[] ofItem(int item) {
        return ofItem[item];
    }

    /** Refuses a user outside the model or without training rows. */
    public void checkUser(int user) {
        if (user < 0 || user >= users.size()) {
            throw new DataException(
                    "user index " + user + " is outside the " + users.size() + " users");
        }
        if (ofUser[user].length == 0) {
            throw new DataException(
                    "user " + users.raw(user) + " has no training rows to explain with");
        }
    }

    /** Refuses {@code user} (as {@link #checkUser}) and targets outside the catalogue or rated. */
    public void checkTargets(int user, int[] targets) {
        checkUser(user);
        Set<Integer> rated = new HashSet<>();
        for (int r : ofUser[user]) {
            rated.add(train.item(r));
        }
        for (int t : targets) {
            if (t < 0 || t >= items.size()) {
                throw new DataException(
                        "item index "
                                + t
                                + " is outside the catalogue of "
                                + items.size()
                                + " items");
            }
            if (rated.contains(t)) {
                throw new DataException(
                        "item "
                                + items.raw(t)
                                + " is in the training rows of user "
                                + users.raw(user)
                                + "; influence targets must be items the user has not rated");
            }
        }
    }

    /** The ratings of {@code user}'s actions, aligned with {@link #ofUser}. */
    public Optional<float[]> ratings(int user) {
        int[] rows = ofUser[user];
        float[] r = new float[rows.length];
        for (int z = 0; z < rows.length; z++) {
            r[z] = train.rating(rows[z]);
        }
        return Optional.of(r);
    }

    private static int[][] index(int[] keys, int n) {
        int[] count = new int[n];
        for (int k : keys) {
            count[k]++;
        }
        int[][] out = new int[n][];
        for (int k = 0; k < n; k++) {
            out[k] = new int[count[k]];
        }
        int[] fill = new int[n];
        for (int row = 0; row < keys.length; row++) {
            out[keys[row]][fill[keys[row]]++] = row;
        }
        return out;
    }
}
