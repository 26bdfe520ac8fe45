package io.accent.modelio;

import io.accent.core.DataException;
import io.accent.core.ModelException;
import io.accent.data.IdMap;
import io.accent.model.ImportFamily;
import io.accent.tf.NamedArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Places source tensors into the model's layout: reshape, transposition, pad rows, row order. The
 * row orders come from {@link #sourceRows}, which reads the mapping's id maps (each a permutation
 * of the data's ids); {@link ModelImport} places the variables and {@link OptimizerImport} their
 * slots.
 *
 * @param family the family imported
 * @param data the data the model is imported for
 * @param userRow for each dense user id, its row in the source
 * @param itemRow for each dense item id, its row in the source
 */
record ImportPlacement(
        ImportFamily family, ImportFamily.Target data, int[] userRow, int[] itemRow) {

    /**
     * Applies the mapping's reshape and transposition to a source tensor, checks that it is finite,
     * drops a stored pad row (which must be zero unless {@code slot}: optimizer slots of the pad
     * row are not the model's), checks that a user or item role has one row per user or item, and
     * reorders those rows into the data's dense order. The result is named {@code name}.
     */
    NamedArray place(
            NamedArray src,
            VariableMapping.TensorSource ts,
            ImportFamily.Role role,
            String name,
            boolean slot) {
        String what =
                "tensor '"
                        + src.name()
                        + "' ("
                        + family.name().toUpperCase()
                        + " "
                        + role.name()
                        + ")";
        float[] d = src.data();
        for (int k = 0; k < d.length; k++) {
            if (!Float.isFinite(d[k])) {
                throw new ModelException(
                        what + " holds a non-finite value (" + d[k] + ") at flat index " + k);
            }
        }
        long[] shape = src.shape();
        if (ts.reshape().isPresent()) {
            shape = resolve(ts.reshape().get(), d.length, what, src.shape());
        }
        if (ts.transposed()) {
            if (shape.length != 2) {
                throw new ModelException(
                        what
                                + " has shape "
                                + Arrays.toString(shape)
                                + "; layout 'transposed' needs a matrix");
            }
            int rows = (int) shape[0];
            int cols = (int) shape[1];
            float[] t = new float[d.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = d[r * cols + c];
                }
            }
            d = t;
            shape = new long[] {cols, rows};
        }
        int[] perm =
                switch (role.rows()) {
                    case USERS -> userRow;
                    case ITEMS -> itemRow;
                    case FIXED, NONE -> null;
                };
        if (role.padRow() && shape.length == 2) {
            long want = perm != null ? perm.length : data.fixedRows(role);
            if (shape[0] == want + 1) {
                int w = (int) shape[1];
                if (!slot) {
                    for (int c = 0; c < w; c++) {
                        float x = d[(int) want * w + c];
                        if (x != 0) {
                            throw new ModelException(
                                    what
                                            + " has "
                                            + (want + 1)
                                            + " rows, so its last row is"
                                            + " the pad row, but that row is not zero (column "
                                            + c
                                            + " holds "
                                            + x
                                            + ")");
                        }
                    }
                }
                d = Arrays.copyOf(d, (int) want * w);
                shape = new long[] {want, w};
            }
        }
        if (perm != null) {
            String space = role.rows() == ImportFamily.Rows.USERS ? "users" : "items";
            long rows = shape.length == 0 ? 1 : shape[0];
            if (shape.length != 2 || rows != perm.length) {
                throw new ModelException(
                        what
                                + " has shape "
                                + Arrays.toString(shape)
                                + " as mapped, so "
                                + rows
                                + " rows, but the data has "
                                + perm.length
                                + " "
                                + space
                                + (role.padRow()
                                        ? " (or "
                                                + (perm.length + 1)
                                                + " rows with a zero pad"
                                                + " row)"
                                        : ""));
            }
            int w = (int) shape[1];
            float[] out = new float[d.length];
            for (int k = 0; k < perm.length; k++) {
                System.arraycopy(d, perm[k] * w, out, k * w, w);
            }
            d = out;
        }
        return new NamedArray(name, shape, d == src.data() ? d.clone() : d);
    }

    /**
     * For each dense id of the data, the source row holding it: the identity without an id file;
     * with one, the line (0-based) that lists the raw id.
     */
    static int[] sourceRows(Optional<Path> idFile, IdMap ids, String what) {
        int n = ids.size();
        int[] row = new int[n];
        if (idFile.isEmpty()) {
            for (int k = 0; k < n; k++) {
                row[k] = k;
            }
            return row;
        }
        Path f = idFile.get();
        Arrays.fill(row, -1);
        int r = 0;
        for (int[] entry : VariableMapping.readIdMap(f, what)) {
            int ln = entry[0] - 1;
            int raw = entry[1];
            int lineNo = ln + 1;
            int dense =
                    ids.index(raw)
                            .orElseThrow(
                                    () ->
                                            new DataException(
                                                    f
                                                            + " line "
                                                            + lineNo
                                                            + ": raw id "
                                                            + raw
                                                            + " is not among the data's "
                                                            + n
                                                            + " "
                                                            + what));
            if (row[dense] >= 0) {
                throw new DataException(
                        f + " line " + (ln + 1) + ": raw id " + raw + " listed twice");
            }
            row[dense] = r++;
        }
        if (r != n) {
            throw new DataException(
                    "id map " + f + " lists " + r + " " + what + ", the data has " + n);
        }
        return row;
    }

    private static long[] resolve(long[] reshape, int size, String what, long[] original) {
        long known = 1;
        int unknown = -1;
        for (int k = 0; k < reshape.length; k++) {
            if (reshape[k] == -1) {
                unknown = k;
            } else {
                known *= reshape[k];
            }
        }
        boolean fits = unknown >= 0 ? known != 0 && size % known == 0 : known == size;
        if (!fits) {
            throw new ModelException(
                    what
                            + " has shape "
                            + Arrays.toString(original)
                            + " ("
                            + size
                            + " values), which cannot be viewed as "
                            + Arrays.toString(reshape));
        }
        long[] s = reshape.clone();
        if (unknown >= 0) {
            s[unknown] = size / known;
        }
        return s;
    }
}
