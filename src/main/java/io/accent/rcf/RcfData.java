package io.accent.rcf;

import io.accent.data.IdMap;
import io.accent.data.ItemAttributes;
import io.accent.data.RcfDataset;
import io.accent.data.RelationalData;
import io.accent.data.Triples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An RCF data set in dense ids, as training and scoring need it: sizes, training triples, test
 * pairs, relational rows (dense items, raw attribute values) and the neighbour-list builder with
 * each user's positives N_u (the positives of the user's training triples, in train order).
 */
public record RcfData(
        RcfNetwork.Sizes sizes,
        Triples train,
        Triples test,
        RelationalData relational,
        RcfNeighbourLists lists) {

    /**
     * Converts a loaded data set; {@code hidden}, {@code attention}, {@code mlp} fix the layer
     * sizes. The attribute kinds of the data (§11.2) give the relation types; an item outside the
     * attribute catalogue has no value of any kind.
     */
    public static RcfData of(RcfDataset d, int hidden, int attention, int mlp) {
        IdMap users = d.users();
        IdMap items = d.items();
        Triples train = d.train().toIndices(users, items);
        Triples test = d.test().toIndices(users, items);
        RelationalData rel = d.relational().toIndices(items);
        ItemAttributes attrs = d.attributes();
        int kinds = attrs.kindCount();
        int[][][] perItem = new int[kinds][items.size()][];
        int[] vocab = new int[kinds];
        List<Integer> vocabularies = new ArrayList<>();
        for (int k = 0; k < kinds; k++) {
            vocab[k] = attrs.vocabularySize(k);
            vocabularies.add(vocab[k]);
            for (int i = 0; i < items.size(); i++) {
                perItem[k][i] = attrs.values(items.raw(i), k);
            }
        }
        int[][] positives = positives(users.size(), train);
        RcfNetwork.Sizes sizes =
                new RcfNetwork.Sizes(
                        users.size(), items.size(), vocabularies, hidden, attention, mlp);
        return new RcfData(
                sizes, train, test, rel, new RcfNeighbourLists(perItem, positives, vocab));
    }

    /** Per user, the positives of its triples in order (N_u). */
    public static int[][] positives(int userCount, Triples train) {
        Map<Integer, List<Integer>> by = new HashMap<>();
        for (int r = 0; r < train.size(); r++) {
            by.computeIfAbsent(train.user(r), k -> new ArrayList<>()).add(train.positive(r));
        }
        int[][] out = new int[userCount][];
        for (int u = 0; u < userCount; u++) {
            out[u] = by.getOrDefault(u, List.of()).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
