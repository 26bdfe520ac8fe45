package io.accent.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Binarization, pruning and temporal split shared by NCF and RCF (docs/SPEC.md §1.2): per user in
 * order of first appearance, ratings ordered by time with numpy's quicksort, positives (rating ≥
 * the threshold) and negatives among the items that count (those of the auxiliary mapping when
 * there is one, all otherwise), users with too few of either dropped, and the latest share of each
 * list held out ({@link SplitRule}).
 *
 * <p>Works on primitive arrays only, so that 20 million rows fit: users get dense ids by a sort,
 * and rows are grouped by user with a counting sort that keeps file order within a user.
 */
final class TemporalSplit {

    static final int MIN_POSITIVES = SplitRule.REFERENCE.minPositives();
    static final int MIN_NEGATIVES = SplitRule.REFERENCE.minNegatives();
    static final int POSITIVE_THRESHOLD = (int) SplitRule.REFERENCE.positiveThreshold();

    private TemporalSplit() {}

    /**
     * One kept user. {@code trainRows} and {@code testRows} are the user's row numbers of the
     * training and held-out parts, in time order; {@code positives} and {@code negatives} the raw
     * items in time order, of which the first {@code trainPositives} / {@code trainNegatives} are
     * training items and the rest held out.
     */
    record UserSplit(
            int user,
            int[] trainRows,
            int[] testRows,
            int[] positives,
            int[] negatives,
            int trainPositives,
            int trainNegatives) {

        int[] trainPos() {
            return Arrays.copyOfRange(positives, 0, trainPositives);
        }

        int[] trainNeg() {
            return Arrays.copyOfRange(negatives, 0, trainNegatives);
        }

        int testPositiveCount() {
            return positives.length - trainPositives;
        }

        int testNegativeCount() {
            return negatives.length - trainNegatives;
        }
    }

    /**
     * Splits {@code raw} by {@code rule}; only items for which {@code counts} holds are rated items
     * (the others are ignored from the start).
     */
    static List<UserSplit> split(RawRatings raw, IntPredicate counts, SplitRule rule) {
        int n = raw.size();
        int[] userOf = raw.users();
        int[] ids = distinctSorted(userOf);
        // rank of each user by first appearance, and the number of rows per rank
        int[] rankOf = new int[ids.length];
        Arrays.fill(rankOf, -1);
        int[] userOfRank = new int[ids.length];
        int[] start = new int[ids.length + 1];
        int[] rowRank = new int[n];
        int ranks = 0;
        for (int k = 0; k < n; k++) {
            int d = Arrays.binarySearch(ids, userOf[k]);
            if (rankOf[d] < 0) {
                rankOf[d] = ranks;
                userOfRank[ranks++] = userOf[k];
            }
            rowRank[k] = rankOf[d];
            start[rankOf[d] + 1]++;
        }
        for (int r = 0; r < ranks; r++) {
            start[r + 1] += start[r];
        }
        int[] grouped = new int[n];
        int[] fill = Arrays.copyOf(start, ranks);
        for (int k = 0; k < n; k++) {
            grouped[fill[rowRank[k]]++] = k;
        }
        rowRank = null;

        List<UserSplit> out = new ArrayList<>();
        int[] items = raw.items();
        long[] time = raw.timestamps();
        for (int r = 0; r < ranks; r++) {
            int size = start[r + 1] - start[r];
            long[] ts = new long[size];
            for (int k = 0; k < size; k++) {
                ts[k] = time[grouped[start[r] + k]];
            }
            int[] perm = NumpyArgsort.quicksort(ts);
            // kind: 0 ignored, 1 positive, 2 negative; place: index in its list
            byte[] kind = new byte[size];
            int[] place = new int[size];
            IntList pos = new IntList();
            IntList neg = new IntList();
            for (int k = 0; k < size; k++) {
                int row = grouped[start[r] + perm[k]];
                if (!counts.test(items[row])) {
                    continue;
                }
                if (raw.atLeast(row, rule.positiveThreshold())) {
                    kind[k] = 1;
                    place[k] = pos.size();
                    pos.add(items[row]);
                } else {
                    kind[k] = 2;
                    place[k] = neg.size();
                    neg.add(items[row]);
                }
            }
            if (pos.size() < rule.minPositives() || neg.size() < rule.minNegatives()) {
                continue;
            }
            int trainPos = pos.size() - rule.heldOut(pos.size());
            int trainNeg = neg.size() - rule.heldOut(neg.size());
            IntList train = new IntList(trainPos + trainNeg);
            IntList test = new IntList(size - trainPos - trainNeg);
            for (int k = 0; k < size; k++) {
                if (kind[k] == 0) {
                    continue;
                }
                int row = grouped[start[r] + perm[k]];
                boolean isTrain = place[k] < (kind[k] == 1 ? trainPos : trainNeg);
                (isTrain ? train : test).add(row);
            }
            out.add(
                    new UserSplit(
                            userOfRank[r],
                            train.toArray(),
                            test.toArray(),
                            pos.toArray(),
                            neg.toArray(),
                            trainPos,
                            trainNeg));
        }
        return out;
    }

    /** The distinct values of {@code values}, ascending. */
    static int[] distinctSorted(int[] values) {
        int[] s = values.clone();
        Arrays.sort(s);
        int m = 0;
        for (int k = 0; k < s.length; k++) {
            if (m == 0 || s[m - 1] != s[k]) {
                s[m++] = s[k];
            }
        }
        return Arrays.copyOf(s, m);
    }
}
