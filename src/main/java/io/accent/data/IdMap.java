package io.accent.data;

import io.accent.core.DataException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A bijection between dense indices {@code 0..size-1} and raw ids (for example MovieLens user ids).
 * Immutable.
 */
public final class IdMap {

    private final String source;
    private final int[] raw;
    private final boolean sorted;
    private final Map<Integer, Integer> index;

    private IdMap(String source, int[] raw) {
        this.source = source;
        this.raw = raw;
        boolean ascending = true;
        for (int k = 1; k < raw.length; k++) {
            if (raw[k] <= raw[k - 1]) {
                ascending = false;
                break;
            }
        }
        this.sorted = ascending;
        if (ascending) {
            this.index = Map.of();
        } else {
            Map<Integer, Integer> m = new HashMap<>(raw.length * 2);
            for (int k = 0; k < raw.length; k++) {
                if (m.put(raw[k], k) != null) {
                    throw new IllegalArgumentException(
                            "duplicate raw id " + raw[k] + " in " + source);
                }
            }
            this.index = Map.copyOf(m);
        }
    }

    /** A map where index {@code k} stands for {@code rawIds[k]}; raw ids must be distinct. */
    public static IdMap of(int[] rawIds) {
        return of("this id map", rawIds);
    }

    /**
     * Like {@link #of(int[])}, naming where the ids come from ({@code source}, e.g. a data set
     * name) in error messages.
     */
    public static IdMap of(String source, int[] rawIds) {
        return new IdMap(source, rawIds.clone());
    }

    /** Number of ids. */
    public int size() {
        return raw.length;
    }

    /** The raw id of dense index {@code index}. */
    public int raw(int index) {
        if (index < 0 || index >= raw.length) {
            throw new DataException(
                    "index " + index + " is out of range 0.." + (raw.length - 1) + " of " + source);
        }
        return raw[index];
    }

    /** The dense index of raw id {@code raw}, if known. */
    public OptionalInt index(int rawId) {
        if (sorted) {
            int k = Arrays.binarySearch(raw, rawId);
            return k >= 0 ? OptionalInt.of(k) : OptionalInt.empty();
        }
        Integer k = index.get(rawId);
        return k == null ? OptionalInt.empty() : OptionalInt.of(k);
    }

    /**
     * The dense index of raw id {@code raw}; throws a {@link DataException} such as {@code unknown
     * user 99999: not among the 452 users of ml-100k} when it is unknown. {@code what} names the
     * kind of id ("user", "item").
     */
    public int require(int rawId, String what) {
        OptionalInt k = index(rawId);
        if (k.isEmpty()) {
            throw new DataException(
                    "unknown "
                            + what
                            + " "
                            + rawId
                            + ": not among the "
                            + raw.length
                            + " "
                            + what
                            + "s of "
                            + source);
        }
        return k.getAsInt();
    }

    /** The raw ids in index order (a copy). */
    public int[] rawIds() {
        return raw.clone();
    }

    /** Where the ids come from, as used in error messages. */
    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdMap m && Arrays.equals(raw, m.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "IdMap[" + raw.length + " ids of " + source + "]";
    }
}
