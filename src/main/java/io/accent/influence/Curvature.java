package io.accent.influence;

import io.accent.core.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The curvature matrix whose inverse the full-scope influence applies: the exact Hessian of the
 * training objective, or its Gauss-Newton part (for a squared loss, 2 Σ ∇ŷ∇ŷᵀ, the Hessian with the
 * residual-times-second-derivative terms left out), which is positive semidefinite and so keeps
 * conjugate gradients well defined where the exact Hessian of a trained ReLU network is indefinite.
 */
public enum Curvature {
    EXACT,
    GAUSS_NEWTON;

    /** The name on the command line ({@code exact}, {@code gauss-newton}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The curvature named {@code name}; an unknown name lists the valid ones. */
    public static Curvature byName(String name) {
        for (Curvature c : values()) {
            if (c.label().equals(name)) {
                return c;
            }
        }
        throw new ConfigException(
                "unknown curvature '"
                        + name
                        + "', valid: "
                        + String.join(
                                ", ", Arrays.stream(values()).map(Curvature::label).toList()));
    }
}
