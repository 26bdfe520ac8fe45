package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

/** Checks the invariants of docs/SPEC.md §1.6 that relate relational rows to training triples. */
final class RelationalInvariants {

    private RelationalInvariants() {}

    /** Returns the number of triples with at least one relational row. */
    static int check(Triples train, RelationalData rel, AuxiliaryMapping aux) {
        Map<Integer, IntList> positives = new HashMap<>();
        for (int k = 0; k < train.size(); k++) {
            positives.computeIfAbsent(train.user(k), u -> new IntList()).add(train.positive(k));
        }
        int r = 0;
        int withRows = 0;
        for (int k = 0; k < train.size(); k++) {
            int p = train.positive(k);
            MovieAttributes head = aux.get(p);
            IntList pos = positives.get(train.user(k));
            boolean any = false;
            for (int t = MovieAttributes.GENRE; t <= MovieAttributes.ACTOR; t++) {
                boolean expected = false;
                for (int q = 0; q < pos.size() && !expected; q++) {
                    int j = pos.get(q);
                    expected = j != p && MovieAttributes.sharedCount(head, aux.get(j), t) > 0;
                }
                if (!expected) {
                    continue;
                }
                any = true;
                String where =
                        "relational row " + (r + 1) + " for triple " + (k + 1) + " type " + t;
                assertTrue(r < rel.size(), where + ": missing");
                assertEquals(p, rel.head(r), where + ": head");
                assertEquals(t, rel.type(r), where + ": type");
                int value = rel.value(r);
                int tailPos = rel.tailPositive(r);
                assertTrue(tailPos != p && contains(pos, tailPos), where + ": tail_pos " + tailPos);
                assertTrue(
                        head.has(t, value) && aux.get(tailPos).has(t, value),
                        where + ": value " + value);
                assertTrue(
                        !aux.get(rel.tailNegative(r)).has(t, value),
                        where + ": tail_neg has the value");
                r++;
            }
            if (any) {
                withRows++;
            }
        }
        assertEquals(rel.size(), r, "relational rows beyond the triples");
        return withRows;
    }

    /**
     * The same invariants for any number of kinds (type t is kind t − 1 of {@code attrs}, values
     * are its value ids), written without the generator's code; also checks that every negative
     * tail is a catalogue item. Returns the number of triples with at least one row.
     */
    static int check(Triples train, RelationalData rel, ItemAttributes attrs) {
        Map<Integer, IntList> positives = new HashMap<>();
        for (int k = 0; k < train.size(); k++) {
            positives.computeIfAbsent(train.user(k), u -> new IntList()).add(train.positive(k));
        }
        int r = 0;
        int withRows = 0;
        for (int k = 0; k < train.size(); k++) {
            int p = train.positive(k);
            IntList pos = positives.get(train.user(k));
            boolean any = false;
            for (int kind = 0; kind < attrs.kindCount(); kind++) {
                int t = kind + 1;
                int[] own = attrs.values(p, kind);
                boolean expected = false;
                for (int q = 0; q < pos.size() && !expected; q++) {
                    int j = pos.get(q);
                    if (j != p) {
                        for (int x : attrs.values(j, kind)) {
                            expected |= contains(own, x);
                        }
                    }
                }
                if (!expected) {
                    continue;
                }
                any = true;
                String where =
                        "relational row " + (r + 1) + " for triple " + (k + 1) + " type " + t;
                assertTrue(r < rel.size(), where + ": missing");
                assertEquals(p, rel.head(r), where + ": head");
                assertEquals(t, rel.type(r), where + ": type");
                int value = rel.value(r);
                int tailPos = rel.tailPositive(r);
                assertTrue(tailPos != p && contains(pos, tailPos), where + ": tail_pos " + tailPos);
                assertTrue(
                        contains(own, value) && contains(attrs.values(tailPos, kind), value),
                        where + ": value " + value);
                int tailNeg = rel.tailNegative(r);
                assertTrue(attrs.contains(tailNeg), where + ": tail_neg not in the catalogue");
                assertTrue(
                        !contains(attrs.values(tailNeg, kind), value),
                        where + ": tail_neg has the value");
                r++;
            }
            if (any) {
                withRows++;
            }
        }
        assertEquals(rel.size(), r, "relational rows beyond the triples");
        return withRows;
    }

    /**
     * The mean over rows of (position + ½) / length of the row's (tail_pos, value) in the neighbour
     * list of §4.2: 0.5 for uniform draws.
     */
    static double meanNeighbourPosition(Triples train, RelationalData rel, ItemAttributes attrs) {
        Map<Integer, IntList> positives = new HashMap<>();
        for (int k = 0; k < train.size(); k++) {
            positives.computeIfAbsent(train.user(k), u -> new IntList()).add(train.positive(k));
        }
        double sum = 0;
        int r = 0;
        for (int k = 0; k < train.size(); k++) {
            int p = train.positive(k);
            IntList pos = positives.get(train.user(k));
            for (int kind = 0; kind < attrs.kindCount(); kind++) {
                int[] own = attrs.values(p, kind);
                int length = 0;
                int at = -1;
                for (int q = 0; q < pos.size(); q++) {
                    int j = pos.get(q);
                    if (j == p) {
                        continue;
                    }
                    for (int x : attrs.values(j, kind)) {
                        if (contains(own, x)) {
                            if (at < 0
                                    && r < rel.size()
                                    && j == rel.tailPositive(r)
                                    && x == rel.value(r)) {
                                at = length;
                            }
                            length++;
                        }
                    }
                }
                if (length == 0) {
                    continue;
                }
                assertTrue(at >= 0, "row " + (r + 1) + " is not in its neighbour list");
                sum += (at + 0.5) / length;
                r++;
            }
        }
        assertEquals(rel.size(), r, "rows left over");
        return sum / rel.size();
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(IntList list, int v) {
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k) == v) {
                return true;
            }
        }
        return false;
    }
}
