package io.accent.influence;

import io.accent.core.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which parameters an influence estimate perturbs (docs/SPEC.md §3, §11.3): the rows that the
 * scored pair reads ({@link #EMBEDDINGS}, the paper's FIA) or every trained parameter under the
 * Hessian of the whole training objective ({@link #FULL}).
 */
public enum InfluenceScope {
    EMBEDDINGS,
    FULL;

    /** The name on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code name}; an unknown name lists the valid ones. */
    public static InfluenceScope byName(String name) {
        for (InfluenceScope s : values()) {
            if (s.label().equals(name)) {
                return s;
            }
        }
        throw new ConfigException(
                "unknown influence scope '"
                        + name
                        + "', valid: "
                        + String.join(
                                ", ", Arrays.stream(values()).map(InfluenceScope::label).toList()));
    }
}
