package io.accent.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * RCF relational rows {@code (head, type, value, tail_pos, tail_neg)} as parallel arrays in file
 * order (file {@code relational_data.csv}). {@code type} is t = 1..K, kind t − 1 of the data's
 * {@link ItemAttributes} (the RCF release: 1 genre, 2 director, 3 actor); {@code value} is a value
 * id of that kind (the release: a raw attribute id); items are raw ids in the file. Rows made by
 * {@link RelationalRowGenerator} have the same form.
 */
public final class RelationalData {

    /** The file name used in RCF data directories. */
    public static final String FILE_NAME = "relational_data.csv";

    /** The header line of the CSV form. */
    public static final String HEADER = "head,type,value,tail_pos,tail_neg";

    private final int[] heads;
    private final int[] types;
    private final int[] values;
    private final int[] tailPositives;
    private final int[] tailNegatives;

    private RelationalData(
            int[] heads, int[] types, int[] values, int[] tailPositives, int[] tailNegatives) {
        int n = heads.length;
        if (types.length != n
                || values.length != n
                || tailPositives.length != n
                || tailNegatives.length != n) {
            throw new IllegalArgumentException("column lengths differ");
        }
        this.heads = heads;
        this.types = types;
        this.values = values;
        this.tailPositives = tailPositives;
        this.tailNegatives = tailNegatives;
    }

    /** Copies the given columns, which must have equal lengths. */
    public static RelationalData of(
            int[] heads, int[] types, int[] values, int[] tailPositives, int[] tailNegatives) {
        return new RelationalData(
                heads.clone(),
                types.clone(),
                values.clone(),
                tailPositives.clone(),
                tailNegatives.clone());
    }

    /**
     * Reads a {@code relational_data.csv} file of the RCF release (types 1 genre, 2 director, 3
     * actor) with its header.
     */
    public static RelationalData read(Path csv) {
        return read(csv, ItemAttributes.RELEASE_KINDS);
    }

    /**
     * Reads a {@code relational_data.csv} file with its header whose types are 1..K for the K
     * attribute {@code kinds}.
     */
    public static RelationalData read(Path csv, java.util.List<String> kinds) {
        boolean release = kinds.equals(ItemAttributes.RELEASE_KINDS);
        IntList h = new IntList(1 << 17);
        IntList t = new IntList(1 << 17);
        IntList v = new IntList(1 << 17);
        IntList tp = new IntList(1 << 17);
        IntList tn = new IntList(1 << 17);
        DelimitedFile.read(
                csv,
                StandardCharsets.UTF_8,
                ',',
                HEADER,
                row -> {
                    row.expect(5);
                    h.add(row.intField(0, "head"));
                    int type = row.intField(1, "type");
                    if (type < 1 || type > kinds.size()) {
                        throw row.error(
                                release
                                        ? "type "
                                                + type
                                                + " is not 1 (genre), 2 (director) or 3 (actor)"
                                        : "type "
                                                + type
                                                + " is not 1.."
                                                + kinds.size()
                                                + " (the attribute kinds "
                                                + String.join(", ", kinds)
                                                + ")");
                    }
                    t.add(type);
                    int value = row.intField(2, "value");
                    if (value < 0) {
                        throw row.error("negative value " + value);
                    }
                    v.add(value);
                    tp.add(row.intField(3, "tail_pos"));
                    tn.add(row.intField(4, "tail_neg"));
                });
        return new RelationalData(
                h.toArray(), t.toArray(), v.toArray(), tp.toArray(), tn.toArray());
    }

    /** Writes the CSV form with header and '\n' line ends (atomically). */
    public void write(Path csv) {
        DelimitedFile.write(
                csv,
                out -> {
                    out.write(HEADER);
                    out.write('\n');
                    StringBuilder sb = new StringBuilder(40);
                    for (int k = 0; k < heads.length; k++) {
                        sb.setLength(0);
                        sb.append(heads[k])
                                .append(',')
                                .append(types[k])
                                .append(',')
                                .append(values[k])
                                .append(',')
                                .append(tailPositives[k])
                                .append(',')
                                .append(tailNegatives[k])
                                .append('\n');
                        out.append(sb);
                    }
                });
    }

    /**
     * Refuses a row whose value is outside its kind's vocabulary in {@code attributes} (type t is
     * kind t − 1), naming {@code file} and the row's line.
     */
    public void checkValues(ItemAttributes attributes, Path file) {
        for (int k = 0; k < heads.length; k++) {
            int size = attributes.vocabularySize(types[k] - 1);
            if (values[k] >= size) {
                throw new io.accent.core.DataException(
                        file
                                + ":"
                                + (k + 2)
                                + ": value "
                                + values[k]
                                + " is outside the "
                                + attributes.kinds().get(types[k] - 1)
                                + " vocabulary of size "
                                + size);
            }
        }
    }

    /**
     * These rows with the three item columns replaced through {@code itemMap} (raw id to index).
     */
    public RelationalData toIndices(IdMap itemMap) {
        int m = heads.length;
        int[] h = new int[m];
        int[] tp = new int[m];
        int[] tn = new int[m];
        for (int k = 0; k < m; k++) {
            h[k] = itemMap.require(heads[k], "item");
            tp[k] = itemMap.require(tailPositives[k], "item");
            tn[k] = itemMap.require(tailNegatives[k], "item");
        }
        return new RelationalData(h, types.clone(), values.clone(), tp, tn);
    }

    public int size() {
        return heads.length;
    }

    public int head(int row) {
        return heads[row];
    }

    public int type(int row) {
        return types[row];
    }

    public int value(int row) {
        return values[row];
    }

    public int tailPositive(int row) {
        return tailPositives[row];
    }

    public int tailNegative(int row) {
        return tailNegatives[row];
    }

    /** The number of rows of relation type {@code type}. */
    public int count(int type) {
        int n = 0;
        for (int t : types) {
            if (t == type) {
                n++;
            }
        }
        return n;
    }

    public int[] heads() {
        return heads.clone();
    }

    public int[] types() {
        return types.clone();
    }

    public int[] values() {
        return values.clone();
    }

    public int[] tailPositives() {
        return tailPositives.clone();
    }

    public int[] tailNegatives() {
        return tailNegatives.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelationalData r
                && Arrays.equals(heads, r.heads)
                && Arrays.equals(types, r.types)
                && Arrays.equals(values, r.values)
                && Arrays.equals(tailPositives, r.tailPositives)
                && Arrays.equals(tailNegatives, r.tailNegatives);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(heads) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "RelationalData[" + heads.length + " rows]";
    }
}
