package io.accent.rcf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.data.ItemAttributes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribute kinds of an RCF model (docs/SPEC.md §11.2), in relation-type order (type t is
 * {@code names[t − 1]}), as {@code model.json} records them in its configuration under {@value
 * #KEY}. They come from the data the model was trained on; a model directory written before kinds
 * were recorded has the three kinds of the RCF release ({@link #RELEASE}).
 *
 * @param names the kind names, at least one, without repeats
 */
public record RcfKinds(List<String> names) {

    /** The configuration key in {@code model.json}. */
    public static final String KEY = "kinds";

    /** The kinds of MovieLens 100K with the RCF release: genre, director, actor. */
    public static final RcfKinds RELEASE = new RcfKinds(ItemAttributes.RELEASE_KINDS);

    public RcfKinds {
        names = List.copyOf(names);
        if (names.isEmpty() || names.stream().distinct().count() != names.size()) {
            throw new ConfigException(
                    "RCF attribute kinds must be at least one, without repeats, got " + names);
        }
    }

    /** K. */
    public int count() {
        return names.size();
    }

    /** The kinds recorded in a model configuration; {@link #RELEASE} when none are. */
    public static RcfKinds of(Map<String, ?> config) {
        Object v = config.get(KEY);
        if (v == null) {
            return RELEASE;
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException("RCF '" + KEY + "' must be a list of names, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isBlank()) {
                throw new ConfigException("RCF '" + KEY + "' must be a list of names, got " + v);
            }
            out.add(s);
        }
        return new RcfKinds(out);
    }

    /** {@code config} with these kinds recorded (a copy, insertion order kept, kinds last). */
    public Map<String, Object> recordIn(Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>(config);
        m.put(KEY, names);
        return m;
    }

    /** Refuses data whose kinds differ from these (a model directory with foreign data). */
    public void requireData(Path modelDir, List<String> dataKinds) {
        if (!names.equals(dataKinds)) {
            throw new ModelException(
                    "model "
                            + modelDir
                            + " was trained with the attribute kinds "
                            + names
                            + " but its data has "
                            + dataKinds);
        }
    }
}
