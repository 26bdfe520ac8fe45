package io.accent.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What produced an artifact: software and platform versions, the data identity, the full
 * configuration, the seed, and the parent artifact (a retrained model points at its original).
 * Readers accept files that lack newer fields.
 */
public record Provenance(
        String producer,
        String projectVersion,
        String javaVersion,
        String javaVendor,
        String os,
        String arch,
        String tensorflowVersion,
        String device,
        String dataset,
        String datasetSha256,
        Map<String, Object> config,
        long seed,
        String parent,
        String createdUtc) {

    public static final String TENSORFLOW_JAVA_VERSION = "1.1.0";

    public Provenance {
        config =
                config == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        parent = parent == null ? "" : parent;
    }

    /**
     * Provenance of an artifact created now on this machine.
     *
     * @param device the kind of device the work ran on ({@code cpu} or {@code gpu})
     */
    public static Provenance now(
            String producer,
            String device,
            String dataset,
            String datasetSha256,
            Map<String, Object> config,
            long seed,
            String parent) {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return new Provenance(
                producer,
                v == null ? "dev" : v,
                System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"),
                TENSORFLOW_JAVA_VERSION,
                device,
                dataset,
                datasetSha256,
                config,
                seed,
                parent,
                Instant.now().toString());
    }
}
