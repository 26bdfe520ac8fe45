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

    private static boolean contains(IntList list, int v) {
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k) == v) {
                return true;
            }
        }
        return false;
    }
}
