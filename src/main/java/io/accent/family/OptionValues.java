package io.accent.family;

import io.accent.core.ConfigException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values given for a family's options ({@link FamilyOption}), by option name, as text; an
 * option that was not given is absent. A family parses them into its own typed settings; a bad
 * value is a {@link ConfigException} naming the option.
 */
public record OptionValues(Map<String, String> given) implements java.io.Serializable {

    /** No option given: every family's defaults. */
    public static final OptionValues NONE = new OptionValues(Map.of());

    public OptionValues {
        given = Map.copyOf(new TreeMap<>(given));
    }

    /** True if {@code name} was given. */
    public boolean has(String name) {
        return given.containsKey(name);
    }

    /** A flag: true if given (with no value, or with {@code true}). */
    public boolean flag(String name) {
        String v = given.get(name);
        return v != null && !v.equalsIgnoreCase("false");
    }

    /** The text of {@code name}, or {@code otherwise}. */
    public String text(String name, String otherwise) {
        return given.getOrDefault(name, otherwise);
    }

    /** An integer in {@code min..max}, or {@code otherwise} when not given. */
    public int integer(String name, int otherwise, int min, int max) {
        long v = longValue(name, otherwise, min);
        if (v > max) {
            throw new ConfigException(name + " must be in " + min + ".." + max + ", got " + v);
        }
        return (int) v;
    }

    /** A long of at least {@code min}, or {@code otherwise} when not given. */
    public long longValue(String name, long otherwise, long min) {
        String v = given.get(name);
        if (v == null) {
            return otherwise;
        }
        long x;
        try {
            x = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be an integer, got '" + v + "'");
        }
        if (x < min) {
            throw new ConfigException(name + " must be at least " + min + ", got " + x);
        }
        return x;
    }

    /** A comma-separated list of longs, empty when not given. */
    public long[] longs(String name) {
        String v = given.get(name);
        if (v == null || v.isBlank()) {
            return new long[0];
        }
        try {
            return Arrays.stream(v.split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    name + " must be integers separated by commas, got '" + v + "'");
        }
    }
}
