package io.accent.explain;

import io.accent.core.ConfigException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of {@link Explainer}s by name, written out in code. */
public final class Explainers {

    private static final Map<String, Supplier<Explainer>> REGISTRY;

    static {
        Map<String, Supplier<Explainer>> m = new LinkedHashMap<>();
        m.put(AccentExplainer.NAME, AccentExplainer::new);
        m.put(FiaExplainer.NAME, FiaExplainer::new);
        m.put(PureFiaExplainer.NAME, PureFiaExplainer::new);
        m.put(AccentOneVsAllExplainer.NAME, AccentOneVsAllExplainer::new);
        m.put(AttentionExplainer.PURE, AttentionExplainer::pure);
        m.put(AttentionExplainer.GREEDY, AttentionExplainer::greedy);
        REGISTRY = Collections.unmodifiableMap(m);
    }

    private Explainers() {}

    /**
     * The explainer registered under {@code name}: {@code accent} (§6.4), {@code fia} (§6.2),
     * {@code pure-fia} (§6.1), {@code accent-ova} (§6.5), or the RCF attention baselines {@code
     * pure-att} and {@code attention} (§6.3).
     *
     * @throws ConfigException if the name is unknown; the message lists the valid names
     */
    public static Explainer byName(String name) {
        Supplier<Explainer> s = REGISTRY.get(name);
        if (s == null) {
            throw new ConfigException(
                    "unknown explainer '" + name + "'; valid names: " + String.join(", ", names()));
        }
        return s.get();
    }

    /** The registered names, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }
}
