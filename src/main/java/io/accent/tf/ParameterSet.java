package io.accent.tf;

import io.accent.core.ModelException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered, immutable set of named arrays: a model's variables, optionally with its optimizer
 * state (named as in {@link OptimizerSlots}: names ending in {@code .adam_m}, {@code .adam_v}, and
 * the scalars {@code adam.beta1_power}, {@code adam.beta2_power}; or {@code .adagrad}).
 */
public record ParameterSet(List<NamedArray> arrays) {

    public ParameterSet {
        arrays = List.copyOf(arrays);
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (NamedArray a : arrays) {
            if (seen.put(a.name(), Boolean.TRUE) != null) {
                throw new IllegalArgumentException("duplicate array name " + a.name());
            }
        }
    }

    /** The array with this name, if present. */
    public Optional<NamedArray> find(String name) {
        for (NamedArray a : arrays) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The array with this name; a missing name is a model error. */
    public NamedArray get(String name) {
        return find(name)
                .orElseThrow(
                        () -> new ModelException("model has no variable named '" + name + "'"));
    }

    /** Only the arrays whose names are in {@code names}, in that order. */
    public ParameterSet select(List<String> names) {
        List<NamedArray> out = new ArrayList<>();
        for (String n : names) {
            out.add(get(n));
        }
        return new ParameterSet(out);
    }

    /** Total number of scalars. */
    public long size() {
        long n = 0;
        for (NamedArray a : arrays) {
            n += a.data().length;
        }
        return n;
    }
}
