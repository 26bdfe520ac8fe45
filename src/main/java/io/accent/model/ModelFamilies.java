package io.accent.model;

import io.accent.core.ModelException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The registry of model families: every {@link ModelFamily} registered as a service ({@code
 * META-INF/services/io.accent.model.ModelFamily}, one line per family), by name, in the order of
 * that file.
 */
public final class ModelFamilies {

    private static final Map<String, ModelFamily> BY_NAME = load();

    private ModelFamilies() {}

    private static Map<String, ModelFamily> load() {
        Map<String, ModelFamily> m = new LinkedHashMap<>();
        for (ModelFamily f :
                ServiceLoader.load(ModelFamily.class, ModelFamily.class.getClassLoader())) {
            if (m.putIfAbsent(f.name(), f) != null) {
                throw new IllegalStateException("two model families are named " + f.name());
            }
        }
        return m;
    }

    /** Every family, in registry order. */
    public static List<ModelFamily> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The names of all families, in registry order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The family with this name, if any. */
    public static Optional<ModelFamily> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The family with this name; an unknown name is a model error listing the known ones. */
    public static ModelFamily get(String name) {
        return find(name)
                .orElseThrow(
                        () ->
                                new ModelException(
                                        "unknown model family '"
                                                + name
                                                + "' (known: "
                                                + String.join(", ", names())
                                                + ")"));
    }
}
