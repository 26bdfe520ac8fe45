package io.accent.model;

import io.accent.core.ConfigException;
import java.util.List;
import java.util.Map;

/**
 * What {@link ModelImport} needs to know about a model family: its roles (the variables a mapping
 * must name, and which of them have one row per user or per item), its optimizer state, the shape
 * rules, and how to score with an assembled state. Adding a family to {@code accent import} means one
 * implementation and one line in {@link #of(String)}.
 */
interface ImportFamily {

    /** Which id space a role's rows follow (rows are reordered by the mapping's id maps). */
    enum Rows {
        USERS,
        ITEMS,
        NONE
    }

    /** One variable of the family, as a mapping names it. */
    record Role(String name, Rows rows) {}

    /** Family name as in model.json ({@code ncf}). */
    String name();

    /** Every role, in the order the model stores its variables. */
    List<Role> roles();

    /**
     * Per-variable optimizer fields of a mapping, each with the suffix of the stored slot name (NCF:
     * {@code adam_m -> ".adam_m"}).
     */
    Map<String, String> slotFields();

    /** Scalar optimizer fields of a mapping, each with the stored name (NCF: {@code beta1_power -> "adam.beta1_power"}). */
    Map<String, String> scalarFields();

    /** The fresh optimizer state for these weights (what training starts from). */
    List<NamedArray> freshOptimizerState(List<NamedArray> weights);

    /**
     * Checks the assembled weights (rows already in the data's order) against the family's shapes for
     * {@code users} and {@code items}; a mismatch is a {@link io.accent.core.ModelException} naming
     * the source tensor ({@code tensorOf} maps a role to its source tensor name).
     */
    void checkShapes(Map<String, NamedArray> weights, int users, int items, Map<String, String> tensorOf);

    /**
     * The full hyperparameter map of model.json: the reference values, sizes read off the (checked)
     * weights, and the mapping's {@code overrides}.
     */
    Map<String, Object> config(Map<String, Object> overrides, Map<String, NamedArray> weights);

    /** Scores of the pairs (users[b], items[b]) under {@code state} (float32, as the model serves them). */
    float[] score(ParameterSet state, Map<String, Object> config, int numUsers, int numItems, int[] users, int[] items);

    /** The importable families. */
    static ImportFamily of(String name) {
        return switch (name) {
            case "ncf" -> NcfImportFamily.INSTANCE;
            default -> throw new ConfigException("model family '" + name + "' cannot be imported (importable: ncf)");
        };
    }
}
