package io.accent.rcf;

import io.accent.core.DataException;
import io.accent.data.IdMap;
import io.accent.data.MovieAttributes;
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
     * sizes.
     */
    public static RcfData of(RcfDataset d, int hidden, int attention, int mlp) {
        IdMap users = d.users();
        IdMap items = d.items();
        Triples train = d.train().toIndices(users, items);
        Triples test = d.test().toIndices(users, items);
        RelationalData rel = d.relational().toIndices(items);
        var attrs = d.attributes();
        for (int k = 0; k < rel.size(); k++) {
            int t = rel.type(k);
            if (rel.value(k) >= attrs.vocabularySize(t)) {
                throw new DataException(
                        RelationalData.FILE_NAME
                                + " row "
                                + (k + 1)
                                + ": value "
                                + rel.value(k)
                                + " is outside the type-"
                                + t
                                + " vocabulary of size "
                                + attrs.vocabularySize(t));
            }
        }
        List<MovieAttributes> perItem = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            int raw = items.raw(k);
            perItem.add(
                    attrs.attributes(raw)
                            .orElseThrow(
                                    () ->
                                            new DataException(
                                                    "item "
                                                            + raw
                                                            + " has no attributes in "
                                                            + io.accent.data.AuxiliaryMapping
                                                                    .FILE_NAME)));
        }
        int[][] positives = positives(users.size(), train);
        int[] vocab = {attrs.genreCount(), attrs.directorCount(), attrs.actorCount()};
        RcfNetwork.Sizes sizes =
                new RcfNetwork.Sizes(
                        users.size(),
                        items.size(),
                        vocab[0],
                        vocab[1],
                        vocab[2],
                        hidden,
                        attention,
                        mlp);
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
