package io.accent.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binarization, pruning and temporal split shared by NCF and RCF (docs/SPEC.md §1.2): per user in
 * order of first appearance, ratings ordered by time with numpy's quicksort, positives (rating ≥ 3)
 * and negatives (rating < 3) among the movies of the auxiliary mapping, users with fewer than 10 of
 * either dropped, and the latest fifth of each list held out.
 */
final class TemporalSplit {

    static final int MIN_POSITIVES = 10;
    static final int MIN_NEGATIVES = 10;
    static final int POSITIVE_THRESHOLD = 3;

    private TemporalSplit() {}

    /**
     * One kept user. {@code rows} are the user's u.data row numbers in time order; {@code
     * positives} and {@code negatives} the raw items in time order, of which the first {@code
     * trainPositives} / {@code trainNegatives} are training items and the rest held out.
     */
    record UserSplit(
            int user,
            int[] rows,
            int[] positives,
            int[] negatives,
            int trainPositives,
            int trainNegatives) {

        int[] trainPos() {
            return java.util.Arrays.copyOfRange(positives, 0, trainPositives);
        }

        int[] trainNeg() {
            return java.util.Arrays.copyOfRange(negatives, 0, trainNegatives);
        }

        int testPositiveCount() {
            return positives.length - trainPositives;
        }

        int testNegativeCount() {
            return negatives.length - trainNegatives;
        }
    }

    static List<UserSplit> split(RawRatings raw, AuxiliaryMapping aux) {
        Map<Integer, IntList> byUser = new LinkedHashMap<>();
        for (int k = 0; k < raw.size(); k++) {
            byUser.computeIfAbsent(raw.users()[k], u -> new IntList()).add(k);
        }
        List<UserSplit> out = new ArrayList<>();
        int[] items = raw.items();
        int[] ratings = raw.ratings();
        long[] time = raw.timestamps();
        for (Map.Entry<Integer, IntList> e : byUser.entrySet()) {
            int[] fileOrder = e.getValue().toArray();
            long[] ts = new long[fileOrder.length];
            for (int k = 0; k < ts.length; k++) {
                ts[k] = time[fileOrder[k]];
            }
            int[] perm = NumpyArgsort.quicksort(ts);
            int[] rows = new int[fileOrder.length];
            IntList pos = new IntList();
            IntList neg = new IntList();
            for (int k = 0; k < rows.length; k++) {
                int row = fileOrder[perm[k]];
                rows[k] = row;
                if (!aux.contains(items[row])) {
                    continue;
                }
                if (ratings[row] >= POSITIVE_THRESHOLD) {
                    pos.add(items[row]);
                } else {
                    neg.add(items[row]);
                }
            }
            if (pos.size() < MIN_POSITIVES || neg.size() < MIN_NEGATIVES) {
                continue;
            }
            int nPosTest = pos.size() / 5;
            int nNegTest = neg.size() / 5;
            out.add(
                    new UserSplit(
                            e.getKey(),
                            rows,
                            pos.toArray(),
                            neg.toArray(),
                            pos.size() - nPosTest,
                            neg.size() - nNegTest));
        }
        return out;
    }
}
