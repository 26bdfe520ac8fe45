package io.accent.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The tables derived from raw ratings and item attributes (docs/SPEC.md §1.2–1.5, §11.2), in
 * memory: NCF training and held-out rows with dense ids, RCF training triples and test pairs with
 * raw ids, and each kept user's training positives.
 */
record PreparedTables(
        IdMap users,
        IdMap ncfItems,
        Ratings ncfTrain,
        Ratings ncfTest,
        Triples rcfTrain,
        Triples rcfTest,
        Map<Integer, int[]> trainPositives) {

    /** The tables of MovieLens 100K with the RCF release, split by the reference's rule. */
    static PreparedTables build(RawRatings raw, AuxiliaryMapping aux, String source) {
        return build(raw, Optional.of(aux), SplitRule.REFERENCE, source);
    }

    /**
     * The tables of {@code raw} split by {@code rule}. With an auxiliary mapping only its items
     * count and the RCF triples and test pairs are built; without one every rated item counts and
     * the RCF tables are empty.
     */
    static PreparedTables build(
            RawRatings raw, Optional<AuxiliaryMapping> aux, SplitRule rule, String source) {
        return build(raw, aux, Optional.empty(), rule, source);
    }

    /**
     * The tables of {@code raw} split by {@code rule}. With an auxiliary mapping (the RCF release)
     * only its items count and the RCF tables use its three kinds; otherwise every rated item
     * counts, and with {@code attributes} the RCF triples and test pairs are built from their K
     * kinds (a rated item outside their catalogue has no value of any kind); with neither the RCF
     * tables are empty.
     */
    static PreparedTables build(
            RawRatings raw,
            Optional<AuxiliaryMapping> aux,
            Optional<ItemAttributes> attributes,
            SplitRule rule,
            String source) {
        IntPredicate counts = aux.isPresent() ? aux.get()::contains : item -> true;
        List<TemporalSplit.UserSplit> splits = TemporalSplit.split(raw, counts, rule);
        int[] keptUsers =
                splits.stream().mapToInt(TemporalSplit.UserSplit::user).sorted().toArray();
        IdMap users = IdMap.of(source, keptUsers);

        // NCF rows (raw ids for now), in user order then time order
        int trainCount = 0;
        int testCount = 0;
        for (TemporalSplit.UserSplit s : splits) {
            trainCount += s.trainRows().length;
            testCount += s.testRows().length;
        }
        int[] trainRows = new int[trainCount];
        int[] testRows = new int[testCount];
        int[] trainItems = new int[trainCount];
        int q = 0;
        int t = 0;
        for (TemporalSplit.UserSplit s : splits) {
            for (int row : s.trainRows()) {
                trainItems[q] = raw.items()[row];
                trainRows[q++] = row;
            }
            for (int row : s.testRows()) {
                testRows[t++] = row;
            }
        }
        IdMap ncfItems = IdMap.of(source, TemporalSplit.distinctSorted(trainItems));
        Ratings ncfTrain = dense(raw, trainRows, trainRows.length, users, ncfItems);
        int kept = 0;
        for (int row : testRows) {
            if (ncfItems.index(raw.items()[row]).isPresent()) {
                testRows[kept++] = row;
            }
        }
        Ratings ncfTest = dense(raw, testRows, kept, users, ncfItems);
        Optional<ItemAttributes> kinds = aux.map(ItemAttributes::of).or(() -> attributes);
        if (kinds.isEmpty()) {
            Triples none = Triples.of(new int[0], new int[0], new int[0]);
            return new PreparedTables(users, ncfItems, ncfTrain, ncfTest, none, none, Map.of());
        }
        return withRcf(splits, kinds.get(), users, ncfItems, ncfTrain, ncfTest);
    }

    /**
     * The training triples of §1.5 with {@code share} taken kind by kind over the K kinds of {@code
     * attrs}: for a candidate negative, {@code types} counts the kinds it shares a value of with
     * the positive and {@code tags} the shared values of all kinds (with the RCF release's three
     * kinds exactly the reference's genre, director and actor counts).
     */
    private static PreparedTables withRcf(
            List<TemporalSplit.UserSplit> splits,
            ItemAttributes attrs,
            IdMap users,
            IdMap ncfItems,
            Ratings ncfTrain,
            Ratings ncfTest) {
        // RCF triples (§1.5) and test pairs
        IntList tu = new IntList(1 << 16);
        IntList tp = new IntList(1 << 16);
        IntList tn = new IntList(1 << 16);
        IntList su = new IntList(1 << 17);
        IntList sp = new IntList(1 << 17);
        IntList sn = new IntList(1 << 17);
        Map<Integer, int[]> positives = new HashMap<>();
        for (TemporalSplit.UserSplit s : splits) {
            int[] trainPos = s.trainPos();
            int[] trainNeg = s.trainNeg();
            positives.put(s.user(), trainPos);
            int[][][] negAttributes = new int[trainNeg.length][][];
            for (int k = 0; k < trainNeg.length; k++) {
                negAttributes[k] = lists(attrs, trainNeg[k]);
            }
            Map<Integer, Integer> used = new HashMap<>();
            for (int p : trainPos) {
                int[][] m1 = lists(attrs, p);
                int best = -1;
                int bestTypes = -1;
                int bestTags = -1;
                int bestUsed = -1;
                for (int k = 0; k < trainNeg.length; k++) {
                    int[][] m2 = negAttributes[k];
                    int tags = 0;
                    int types = 0;
                    for (int kind = 0; kind < m1.length; kind++) {
                        int c = ItemAttributes.sharedCount(m1[kind], m2[kind]);
                        tags += c;
                        types += c > 0 ? 1 : 0;
                    }
                    int u = used.getOrDefault(trainNeg[k], 0);
                    if (types > bestTypes
                            || (types == bestTypes && tags > bestTags)
                            || (types == bestTypes && tags == bestTags && u < bestUsed)) {
                        best = trainNeg[k];
                        bestTypes = types;
                        bestTags = tags;
                        bestUsed = u;
                    }
                }
                tu.add(s.user());
                tp.add(p);
                tn.add(best);
                used.merge(best, 1, Integer::sum);
            }
            int[] pos = s.positives();
            int[] neg = s.negatives();
            for (int a = 0; a < s.testPositiveCount(); a++) {
                for (int b = 0; b < s.testNegativeCount(); b++) {
                    su.add(s.user());
                    sp.add(pos[pos.length - 1 - a]);
                    sn.add(neg[neg.length - 1 - b]);
                }
            }
        }
        Triples rcfTrain = Triples.of(tu.toArray(), tp.toArray(), tn.toArray());
        Triples rcfTest = Triples.of(su.toArray(), sp.toArray(), sn.toArray());
        return new PreparedTables(
                users, ncfItems, ncfTrain, ncfTest, rcfTrain, rcfTest, Map.copyOf(positives));
    }

    private static final int[] NONE = new int[0];

    /** The value lists of raw item {@code item}, per kind (empty outside the catalogue). */
    private static int[][] lists(ItemAttributes attrs, int item) {
        int at = attrs.position(item);
        int[][] out = new int[attrs.kindCount()][];
        for (int kind = 0; kind < out.length; kind++) {
            out[kind] = at < 0 ? NONE : attrs.list(kind, at);
        }
        return out;
    }

    /**
     * The RCF item id space: sorted union of the items of the triples, test pairs and relational
     * rows.
     */
    IdMap rcfItems(RelationalData relational, String source) {
        TreeSet<Integer> items = new TreeSet<>();
        for (Triples t : List.of(rcfTrain, rcfTest)) {
            for (int k = 0; k < t.size(); k++) {
                items.add(t.positive(k));
                items.add(t.negative(k));
            }
        }
        for (int k = 0; k < relational.size(); k++) {
            items.add(relational.head(k));
            items.add(relational.tailPositive(k));
            items.add(relational.tailNegative(k));
        }
        return IdMap.of(source, items.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Ratings dense(RawRatings raw, int[] rows, int n, IdMap users, IdMap items) {
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        int[] rawUsers = raw.users();
        int[] rawItems = raw.items();
        long[] rawTimes = raw.timestamps();
        for (int k = 0; k < n; k++) {
            int row = rows[k];
            u[k] = users.index(rawUsers[row]).getAsInt();
            i[k] = items.index(rawItems[row]).getAsInt();
            r[k] = raw.stars(row);
            t[k] = rawTimes[row];
        }
        return Ratings.of(u, i, r, t);
    }

    @Override
    public String toString() {
        return "PreparedTables["
                + users.size()
                + " users, "
                + Arrays.asList(ncfTrain, rcfTrain)
                + "]";
    }
}
