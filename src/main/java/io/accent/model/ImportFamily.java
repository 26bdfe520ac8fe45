package io.accent.model;

import io.accent.core.ConfigException;
import io.accent.data.IdMap;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link ModelImport} needs to know about a model family: its roles (the variables a mapping
 * must name, which of them have one row per user, item or attribute value, and which have a zero
 * pad row), its optimizer state, and, bound to a prepared data set ({@link Target}), the shape
 * rules and how to score with an assembled state. A family offers this through {@link
 * ModelFamily#importer()}; adding a family to {@code accent import} means one implementation
 * returned there.
 */
public interface ImportFamily {

    /**
     * Which id space a role's rows follow (user and item rows are reordered by the mapping's id
     * maps).
     */
    enum Rows {
        USERS,
        ITEMS,
        /** Rows fixed by the data but not reordered (RCF attribute tables: raw attribute ids). */
        FIXED,
        NONE
    }

    /**
     * One variable of the family, as a mapping names it.
     *
     * @param name the variable's name in the model (and the mapping's key)
     * @param rows which id space its rows follow
     * @param padRow the model appends a zero pad row to this table in the graph; a source may store
     *     the table with that row (it must then be zero) or without it
     */
    record Role(String name, Rows rows, boolean padRow) {
        public Role(String name, Rows rows) {
            this(name, rows, false);
        }
    }

    /** Family name as in model.json ({@code ncf}, {@code rcf}). */
    String name();

    /**
     * Every role, in the order the model stores its variables, for the family's usual shape (RCF:
     * the three attribute kinds of the RCF release).
     */
    List<Role> roles();

    /**
     * Every role for the data of {@code target}, in the order the model stores its variables; the
     * data-independent {@link #roles()} unless a family's variables depend on its data (RCF: one
     * value table and one item attention per attribute kind of the data).
     */
    default List<Role> roles(Target target) {
        return roles();
    }

    /**
     * Per-variable optimizer fields of a mapping, each with the suffix of the stored slot name
     * (NCF: {@code adam_m -> ".adam_m"}; RCF: {@code adagrad -> ".adagrad"}).
     */
    Map<String, String> slotFields();

    /**
     * Scalar optimizer fields of a mapping, each with the stored name (NCF: {@code beta1_power ->
     * "adam.beta1_power"}; RCF: none).
     */
    Map<String, String> scalarFields();

    /** The family's view of the prepared data in {@code dataDir} (its id spaces and sizes). */
    Target target(Path dataDir);

    /**
     * Mappings this family ships, by name, as JSON text in the format of a mapping file (for
     * checkpoints of well-known programs, e.g. the reference implementation's); none by default.
     */
    default Map<String, String> builtinMappings() {
        return Map.of();
    }

    /** An import's data, in the family's id spaces, with the rules that depend on it. */
    interface Target {

        /** Data set name (provenance). */
        String dataName();

        /** Fingerprint of the family's data files (provenance and model identity). */
        String dataFingerprint();

        /** The family's user id space. */
        IdMap users();

        /** The family's item id space (RCF's differs from NCF's). */
        IdMap items();

        /** Rows a {@link Rows#FIXED} role must have (without its pad row). */
        int fixedRows(Role role);

        /**
         * Checks the assembled weights (rows already in the data's order, pad rows dropped) against
         * the family's shapes; a mismatch is a {@link io.accent.core.ModelException} naming the
         * source tensor ({@code tensorOf} maps a role to its source tensor name).
         */
        void checkShapes(Map<String, NamedArray> weights, Map<String, String> tensorOf);

        /**
         * The full hyperparameter map of model.json: the reference values, sizes read off the
         * (checked) weights, and the mapping's {@code overrides}.
         */
        Map<String, Object> config(Map<String, Object> overrides, Map<String, NamedArray> weights);

        /** The fresh optimizer state for these weights (what training starts from). */
        List<NamedArray> freshOptimizerState(List<NamedArray> weights, Map<String, Object> config);

        /**
         * Scores of the pairs (users[b], items[b]) under {@code state} (float32, as the model
         * serves them).
         */
        float[] score(ParameterSet state, Map<String, Object> config, int[] users, int[] items);

        /** How well {@code state} fits the data, in the family's own measures. */
        Fit fit(ParameterSet state, Map<String, Object> config);
    }

    /**
     * Fit of an imported model; NaN where the family has no such measure.
     *
     * @param trainingMse mean squared error on the training ratings (NCF)
     * @param heldOutMse the same on the held-out ratings (NCF)
     * @param rankingSanity share of test triples whose positive scores above the negative (RCF,
     *     §1.5)
     */
    record Fit(double trainingMse, double heldOutMse, double rankingSanity) {}

    /** The import side of the family registered under {@code name} in {@link ModelFamilies}. */
    static ImportFamily of(String name) {
        ModelFamily f =
                ModelFamilies.find(name)
                        .orElseThrow(
                                () ->
                                        new ConfigException(
                                                "unknown model family '"
                                                        + name
                                                        + "' in the mapping (known: "
                                                        + String.join(", ", ModelFamilies.names())
                                                        + ")"));
        return f.importer()
                .orElseThrow(
                        () ->
                                new ConfigException(
                                        "model family '"
                                                + name
                                                + "' cannot be imported (importable: "
                                                + String.join(
                                                        ", ",
                                                        ModelFamilies.names().stream()
                                                                .filter(
                                                                        n ->
                                                                                ModelFamilies.get(n)
                                                                                        .importer()
                                                                                        .isPresent())
                                                                .toList())
                                                + ")"));
    }
}
