package io.accent.rcf;

import io.accent.data.RelationalData;
import io.accent.data.Triples;
import io.accent.tf.EpochOrder;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * One RCF training run's data order (docs/SPEC.md §4.5): ceil(N/batch) steps per epoch, relational
 * batches of ceil(N_rel/steps) rows, and at every epoch start an independent shuffle of the triples
 * and of the relational rows (Java {@link EpochOrder} streams keyed by the shuffle seed, and by
 * seed·31+17 for the relational rows; each epoch shuffles the previous epoch's order). The one
 * definition of the order, used by the single trainer ({@link RcfTrainer}) and by every copy of the
 * stacked trainer ({@link RcfStackedTrainer}), so a stacked copy sees exactly the order of the same
 * run alone.
 */
final class RcfSchedule {

    /**
     * List entries (both lists of every triple, estimated as 2·|N_u| per triple) up to which the
     * single trainer builds every list once and keeps it ({@link #lists}); above, about 1 GB of
     * ints, lists are built for each step instead (the same lists, so the same run).
     */
    static final long CACHED_ENTRIES = 250_000_000L;

    private final Triples triples;
    private final RcfNeighbourLists neighbours;
    private final RelationalData rel;
    private final RcfNeighbourLists.Pair[] posLists;
    private final RcfNeighbourLists.Pair[] negLists;
    private final int batch;
    private final int types;
    private final int steps;
    private final int relBatch;
    private final EpochOrder tripleOrder;
    private final EpochOrder relOrder;
    private final int[] order;
    private final int[] relPerm;

    /**
     * @param posLists the lists of (u, p) of every triple (§4.2, p excluded from its own list), or
     *     null to build them when a step needs them
     * @param negLists the lists of (u, n) of every triple, or null likewise
     */
    RcfSchedule(
            RcfData data,
            long seed,
            int batch,
            RcfNeighbourLists.Pair[] posLists,
            RcfNeighbourLists.Pair[] negLists) {
        this.triples = data.train();
        this.neighbours = data.lists();
        this.rel = data.relational();
        this.posLists = posLists;
        this.negLists = negLists;
        this.batch = batch;
        this.types = data.sizes().types();
        int n = triples.size();
        this.steps = (n + batch - 1) / batch;
        this.relBatch = (rel.size() + steps - 1) / steps;
        this.tripleOrder = new EpochOrder(seed);
        this.relOrder = new EpochOrder(seed * 31 + 17);
        this.order = EpochOrder.identity(n);
        this.relPerm = EpochOrder.identity(rel.size());
    }

    /**
     * The lists of every triple of {@code data} ([0] of (u, p), [1] of (u, n)) when they fit {@link
     * #CACHED_ENTRIES}, else nulls (built per step).
     */
    static RcfNeighbourLists.Pair[][] listsIfSmall(RcfData data) {
        Triples t = data.train();
        long entries = 0;
        for (int k = 0; k < t.size(); k++) {
            entries += 2L * data.lists().positiveCount(t.user(k));
        }
        return entries <= CACHED_ENTRIES ? lists(data) : new RcfNeighbourLists.Pair[2][];
    }

    /** The lists of every triple of {@code data}: [0] of (u, p), [1] of (u, n). */
    static RcfNeighbourLists.Pair[][] lists(RcfData data) {
        Triples triples = data.train();
        int n = triples.size();
        RcfNeighbourLists.Pair[] pos = new RcfNeighbourLists.Pair[n];
        RcfNeighbourLists.Pair[] neg = new RcfNeighbourLists.Pair[n];
        // each (u, n) list is built once
        Map<Long, RcfNeighbourLists.Pair> cache = new HashMap<>();
        BitSet none = new BitSet();
        for (int k = 0; k < n; k++) {
            int u = triples.user(k);
            pos[k] = data.lists().pair(u, triples.positive(k), none);
            long key = ((long) u << 32) | triples.negative(k);
            int ng = triples.negative(k);
            neg[k] = cache.computeIfAbsent(key, x -> data.lists().pair(u, ng, none));
        }
        return new RcfNeighbourLists.Pair[][] {pos, neg};
    }

    Triples triples() {
        return triples;
    }

    RelationalData relational() {
        return rel;
    }

    int steps() {
        return steps;
    }

    /** K + 1 relation types of the lists. */
    int types() {
        return types;
    }

    int relBatch() {
        return relBatch;
    }

    /** Shuffles the triple order and the relational order for the next epoch. */
    void nextEpoch() {
        tripleOrder.shuffle(order);
        relOrder.shuffle(relPerm);
    }

    /** The triples of step {@code s} of the current epoch (indices into the triples). */
    int[] tripleRows(int s) {
        int from = s * batch;
        int to = Math.min(triples.size(), from + batch);
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    /** The relational rows of step {@code s} of the current epoch. */
    int[] relationalRows(int s) {
        int rf = Math.min(rel.size(), s * relBatch);
        int rt = Math.min(rel.size(), rf + relBatch);
        return java.util.Arrays.copyOfRange(relPerm, rf, rt);
    }

    private static final BitSet NONE = new BitSet();

    RcfNeighbourLists.Pair positiveLists(int row) {
        return posLists != null
                ? posLists[row]
                : neighbours.pair(triples.user(row), triples.positive(row), NONE);
    }

    RcfNeighbourLists.Pair negativeLists(int row) {
        return negLists != null
                ? negLists[row]
                : neighbours.pair(triples.user(row), triples.negative(row), NONE);
    }
}
