package io.accent.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * RCF training triples or test pairs: rows of {@code (user, positive item, negative item)} as
 * parallel arrays, in file order. The file form is the CSV of the reference ({@code train.csv},
 * {@code test.csv}) with header {@code user,pos_item,neg_item}; ids there are raw ids.
 */
public final class Triples {

    /** The header line of the CSV form. */
    public static final String HEADER = "user,pos_item,neg_item";

    private final int[] users;
    private final int[] positives;
    private final int[] negatives;

    private Triples(int[] users, int[] positives, int[] negatives) {
        if (users.length != positives.length || users.length != negatives.length) {
            throw new IllegalArgumentException(
                    "column lengths differ: "
                            + users.length
                            + ", "
                            + positives.length
                            + ", "
                            + negatives.length);
        }
        this.users = users;
        this.positives = positives;
        this.negatives = negatives;
    }

    /** Copies the given columns, which must have equal lengths. */
    public static Triples of(int[] users, int[] positives, int[] negatives) {
        return new Triples(users.clone(), positives.clone(), negatives.clone());
    }

    /** Reads a {@code user,pos_item,neg_item} CSV file with its header. */
    public static Triples read(Path csv) {
        IntList u = new IntList(1 << 16);
        IntList p = new IntList(1 << 16);
        IntList n = new IntList(1 << 16);
        DelimitedFile.read(
                csv,
                StandardCharsets.UTF_8,
                ',',
                HEADER,
                row -> {
                    row.expect(3);
                    u.add(row.intField(0, "user"));
                    p.add(row.intField(1, "pos_item"));
                    n.add(row.intField(2, "neg_item"));
                });
        return new Triples(u.toArray(), p.toArray(), n.toArray());
    }

    /** Writes the CSV form with header and '\n' line ends (atomically). */
    public void write(Path csv) {
        DelimitedFile.write(
                csv,
                out -> {
                    out.write(HEADER);
                    out.write('\n');
                    StringBuilder sb = new StringBuilder(32);
                    for (int k = 0; k < users.length; k++) {
                        sb.setLength(0);
                        sb.append(users[k])
                                .append(',')
                                .append(positives[k])
                                .append(',')
                                .append(negatives[k])
                                .append('\n');
                        out.append(sb);
                    }
                });
    }

    /** These rows with users and items replaced through the given maps (raw id to dense index). */
    public Triples toIndices(IdMap userMap, IdMap itemMap) {
        int m = users.length;
        int[] u = new int[m];
        int[] p = new int[m];
        int[] n = new int[m];
        for (int k = 0; k < m; k++) {
            u[k] = userMap.require(users[k], "user");
            p[k] = itemMap.require(positives[k], "item");
            n[k] = itemMap.require(negatives[k], "item");
        }
        return new Triples(u, p, n);
    }

    public int size() {
        return users.length;
    }

    public int user(int row) {
        return users[row];
    }

    public int positive(int row) {
        return positives[row];
    }

    public int negative(int row) {
        return negatives[row];
    }

    /** The user column (a copy). */
    public int[] users() {
        return users.clone();
    }

    /** The positive-item column (a copy). */
    public int[] positives() {
        return positives.clone();
    }

    /** The negative-item column (a copy). */
    public int[] negatives() {
        return negatives.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Triples t
                && Arrays.equals(users, t.users)
                && Arrays.equals(positives, t.positives)
                && Arrays.equals(negatives, t.negatives);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(users) * 31 + Arrays.hashCode(positives)) * 31
                + Arrays.hashCode(negatives);
    }

    @Override
    public String toString() {
        return "Triples[" + users.length + " rows]";
    }
}
