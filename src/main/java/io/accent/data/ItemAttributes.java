package io.accent.data;

import io.accent.core.DataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Item attributes of any number of kinds (docs/SPEC.md §11.2): for each catalogue item (raw id) and
 * each kind, a list of values without repeats. Kinds have a fixed order, their index k = 0..K−1
 * being relation type k + 1; each kind has its own vocabulary of value names whose dense ids are
 * given in order of first appearance (so a value's id does not change when later rows are added),
 * except where a reader declares the vocabulary first ({@link #of(AuxiliaryMapping)} declares
 * {@code "0".."n−1"} so that ids equal the mapping's).
 *
 * <p>The catalogue is every item the source lists, including items without any attribute (a
 * MovieLens movie with "(no genres listed)"); such an item, like an item lacking one kind, is never
 * the head or positive tail of a relational row of that kind but can be its negative tail. The file
 * form {@value #FILE_NAME} is tab-separated {@code item kind value} with that header, one row per
 * value, items in catalogue order; it cannot hold items without attributes.
 */
public final class ItemAttributes {

    /** The file name in prepared directories. */
    public static final String FILE_NAME = "attributes.tsv";

    /**
     * The kinds of the RCF release's mapping, relation types 1, 2, 3 ({@link
     * #of(AuxiliaryMapping)}).
     */
    public static final List<String> RELEASE_KINDS = List.of("genre", "director", "actor");

    /** The header line of the file form. */
    public static final String HEADER = "item\tkind\tvalue";

    private final List<String> kinds;
    private final List<List<String>> vocabularies;
    private final int[] items;
    private final Map<Integer, Integer> index;
    private final int[][][] lists; // [kind][item index] -> value ids

    private ItemAttributes(
            List<String> kinds,
            List<List<String>> vocabularies,
            int[] items,
            Map<Integer, Integer> index,
            int[][][] lists) {
        this.kinds = kinds;
        this.vocabularies = vocabularies;
        this.items = items;
        this.index = index;
        this.lists = lists;
    }

    /** The kind names in order; kind index k is relation type k + 1. */
    public List<String> kinds() {
        return kinds;
    }

    /** The number of kinds K. */
    public int kindCount() {
        return kinds.size();
    }

    /** The index of kind {@code name}, or −1. */
    public int kindIndex(String name) {
        return kinds.indexOf(name);
    }

    /** The number of values of kind {@code kind} (the padding id of an embedding table). */
    public int vocabularySize(int kind) {
        return vocabularies.get(kind).size();
    }

    /** The name of value id {@code value} of kind {@code kind}. */
    public String valueName(int kind, int value) {
        return vocabularies.get(kind).get(value);
    }

    /** The catalogue: raw item ids in the source's order. */
    public int[] items() {
        return items.clone();
    }

    /** The number of catalogue items. */
    public int size() {
        return items.length;
    }

    /** Whether raw item {@code item} is in the catalogue. */
    public boolean contains(int item) {
        return index.containsKey(item);
    }

    /** The value ids of kind {@code kind} of raw item {@code item} (empty when it has none). */
    public int[] values(int item, int kind) {
        Integer at = index.get(item);
        return at == null ? new int[0] : lists[kind][at].clone();
    }

    /** The position of raw item {@code item} in the catalogue, or −1. */
    int position(int item) {
        Integer at = index.get(item);
        return at == null ? -1 : at;
    }

    /** The raw id at catalogue position {@code position}. */
    int item(int position) {
        return items[position];
    }

    /** The internal value list of the item at {@code position}; not to be modified. */
    int[] list(int kind, int position) {
        return lists[kind][position];
    }

    /**
     * The values of one kind that items m1 and m2 share, given their value lists {@code mine} (m1)
     * and {@code other} (m2), in the reference's order (docs/SPEC.md §1.8): if either list has one
     * element, that element when it occurs in the other list; otherwise the elements of {@code
     * other} that occur in {@code mine}, in {@code other}'s order. An empty list shares nothing.
     */
    public static int[] shared(int[] mine, int[] other) {
        if (mine.length == 1) {
            return contains(other, mine[0]) ? new int[] {mine[0]} : new int[0];
        }
        if (other.length == 1) {
            return contains(mine, other[0]) ? new int[] {other[0]} : new int[0];
        }
        int n = 0;
        int[] out = new int[other.length];
        for (int v : other) {
            if (contains(mine, v)) {
                out[n++] = v;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** The number of elements {@link #shared} would return, without allocating. */
    public static int sharedCount(int[] mine, int[] other) {
        if (mine.length == 1) {
            return contains(other, mine[0]) ? 1 : 0;
        }
        if (other.length == 1) {
            return contains(mine, other[0]) ? 1 : 0;
        }
        int n = 0;
        for (int v : other) {
            if (contains(mine, v)) {
                n++;
            }
        }
        return n;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * This table with those of the raw items {@code extra} that its catalogue lacks appended to it
     * (in the given order, once each), without any value; the rest is shared.
     */
    ItemAttributes withItems(int[] extra) {
        List<Integer> added = new ArrayList<>();
        Map<Integer, Integer> idx = new HashMap<>(index);
        for (int item : extra) {
            if (!idx.containsKey(item)) {
                idx.put(item, items.length + added.size());
                added.add(item);
            }
        }
        if (added.isEmpty()) {
            return this;
        }
        int n = items.length + added.size();
        int[] raw = java.util.Arrays.copyOf(items, n);
        for (int k = 0; k < added.size(); k++) {
            raw[items.length + k] = added.get(k);
        }
        int[][][] l = new int[lists.length][][];
        for (int kind = 0; kind < lists.length; kind++) {
            l[kind] = java.util.Arrays.copyOf(lists[kind], n);
            java.util.Arrays.fill(l[kind], items.length, n, new int[0]);
        }
        return new ItemAttributes(kinds, vocabularies, raw, idx, l);
    }

    /** The number of (item, kind, value) rows. */
    public long rows() {
        long n = 0;
        for (int[][] kind : lists) {
            for (int[] l : kind) {
                n += l.length;
            }
        }
        return n;
    }

    /**
     * The attributes of an RCF auxiliary mapping as kinds {@code genre}, {@code director}, {@code
     * actor}; value ids equal the mapping's ids (value names are the ids as text), the catalogue is
     * the mapping's movies in file order.
     */
    public static ItemAttributes of(AuxiliaryMapping aux) {
        Builder b = new Builder();
        for (int t = MovieAttributes.GENRE; t <= MovieAttributes.ACTOR; t++) {
            int kind = b.kind(RELEASE_KINDS.get(t - 1));
            for (int v = 0; v < aux.vocabularySize(t); v++) {
                b.value(kind, Integer.toString(v));
            }
        }
        for (int item : aux.items()) {
            b.item(item);
            MovieAttributes m = aux.get(item);
            for (int t = MovieAttributes.GENRE; t <= MovieAttributes.ACTOR; t++) {
                for (int v : m.list(t)) {
                    b.add(item, t - 1, Integer.toString(v));
                }
            }
        }
        return b.build();
    }

    /**
     * Reads the file form: header {@code item kind value} (tab-separated), then one row per value;
     * items are non-negative integers, kinds and values non-empty text. Kinds are ordered by first
     * appearance. A repeated (item, kind, value) row is an error naming the earlier line.
     */
    public static ItemAttributes read(Path file) {
        Builder b = new Builder();
        Map<String, Long> seen = new HashMap<>();
        DelimitedFile.read(
                file,
                StandardCharsets.UTF_8,
                '\t',
                HEADER,
                row -> {
                    row.expect(3);
                    int item = row.intField(0, "item id");
                    if (item < 0) {
                        throw row.error("negative item id " + item);
                    }
                    String kind = row.field(1);
                    String value = row.field(2);
                    if (kind.isBlank()) {
                        throw row.error("empty kind");
                    }
                    if (value.isBlank()) {
                        throw row.error("empty value");
                    }
                    Long previous = seen.putIfAbsent(item + "\t" + kind + "\t" + value, row.line());
                    if (previous != null) {
                        throw row.error("the same row is on line " + previous);
                    }
                    b.item(item);
                    b.add(item, b.kind(kind), value);
                });
        if (b.items.isEmpty()) {
            throw new DataException(file + ": no attributes");
        }
        return b.build();
    }

    /** Writes the file form atomically: header, then items in catalogue order, kinds in order. */
    public void write(Path file) {
        DelimitedFile.write(
                file,
                out -> {
                    out.write(HEADER);
                    out.write('\n');
                    StringBuilder sb = new StringBuilder(64);
                    for (int i = 0; i < items.length; i++) {
                        for (int k = 0; k < kinds.size(); k++) {
                            for (int v : lists[k][i]) {
                                sb.setLength(0);
                                sb.append(items[i])
                                        .append('\t')
                                        .append(kinds.get(k))
                                        .append('\t')
                                        .append(vocabularies.get(k).get(v))
                                        .append('\n');
                                out.append(sb);
                            }
                        }
                    }
                });
    }

    @Override
    public String toString() {
        return "ItemAttributes[" + items.length + " items, kinds " + kinds + "]";
    }

    /**
     * Collects a table. Items enter the catalogue on their first {@link #item} call; {@link #add}
     * appends a value to an item's list of one kind and refuses a repeat.
     */
    static final class Builder {
        private final List<String> kindNames = new ArrayList<>();
        private final List<Map<String, Integer>> ids = new ArrayList<>();
        private final List<List<String>> names = new ArrayList<>();
        private final Map<Integer, List<IntList>> items = new LinkedHashMap<>();

        /** The index of kind {@code name}, added at the end when new. */
        int kind(String name) {
            int k = kindNames.indexOf(name);
            if (k >= 0) {
                return k;
            }
            kindNames.add(name);
            ids.add(new HashMap<>());
            names.add(new ArrayList<>());
            for (List<IntList> l : items.values()) {
                l.add(new IntList(4));
            }
            return kindNames.size() - 1;
        }

        /** The id of value {@code name} of kind {@code kind}, added at the end when new. */
        int value(int kind, String name) {
            Integer id = ids.get(kind).get(name);
            if (id == null) {
                id = names.get(kind).size();
                ids.get(kind).put(name, id);
                names.get(kind).add(name);
            }
            return id;
        }

        /** Puts raw item {@code item} in the catalogue if it is not there yet. */
        void item(int item) {
            items.computeIfAbsent(
                    item,
                    i -> {
                        List<IntList> l = new ArrayList<>();
                        for (int k = 0; k < kindNames.size(); k++) {
                            l.add(new IntList(4));
                        }
                        return l;
                    });
        }

        /**
         * Appends {@code value} to the kind-{@code kind} list of {@code item} (which must be in the
         * catalogue); false, and nothing added, when the list has it already.
         */
        boolean add(int item, int kind, String value) {
            int id = value(kind, value);
            IntList list = items.get(item).get(kind);
            for (int q = 0; q < list.size(); q++) {
                if (list.get(q) == id) {
                    return false;
                }
            }
            list.add(id);
            return true;
        }

        ItemAttributes build() {
            int n = items.size();
            int[] raw = new int[n];
            Map<Integer, Integer> index = new HashMap<>(2 * n);
            int[][][] lists = new int[kindNames.size()][n][];
            int i = 0;
            for (Map.Entry<Integer, List<IntList>> e : items.entrySet()) {
                raw[i] = e.getKey();
                index.put(e.getKey(), i);
                for (int k = 0; k < kindNames.size(); k++) {
                    lists[k][i] = e.getValue().get(k).toArray();
                }
                i++;
            }
            List<List<String>> vocab = new ArrayList<>();
            for (List<String> l : names) {
                vocab.add(List.copyOf(l));
            }
            return new ItemAttributes(
                    List.copyOf(kindNames), Collections.unmodifiableList(vocab), raw, index, lists);
        }
    }
}
