package io.accent.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import io.accent.core.InputFiles;
import io.accent.core.Json;
import io.accent.model.ModelFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sidecar {@value #FILE_NAME} beside result files ({@code {algo}_{k}.csv}, which keep the
 * reference format): the fingerprint of the model that wrote them and the influence settings they
 * were computed with ({@link io.accent.influence.InfluenceSetup#settings()}, e.g. {@code
 * --scope=full}; empty for the family's defaults, and for manifests written before settings were
 * recorded). A run resumes or verifies the files only with that same model and settings.
 */
public final class ExplanationManifest {

    public static final String FILE_NAME = "explanations.json";
    private static final int FORMAT = 1;

    private ExplanationManifest() {}

    /** The fingerprint recorded in {@code dir}, if a manifest is there. */
    public static Optional<String> read(Path dir) {
        Path f = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        JsonNode o = Json.readTree(f, InputFiles.MAX_JSON_BYTES, "manifest", DataException::new);
        String fp = o.path("model_fingerprint").asText("");
        if (fp.isEmpty()) {
            throw new DataException(f + " names no model_fingerprint");
        }
        return Optional.of(fp);
    }

    /** The influence settings recorded in {@code dir}'s manifest ("" for the defaults or none). */
    public static String settings(Path dir) {
        Path f = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(f)) {
            return "";
        }
        JsonNode o = Json.readTree(f, InputFiles.MAX_JSON_BYTES, "manifest", DataException::new);
        return o.path("influence_settings").asText("");
    }

    /**
     * Checks that result files in {@code dir} may receive rows of the model {@code fingerprint} and
     * records it: refuses files of another model (naming both fingerprints), and result files
     * without a manifest (their model cannot be told).
     */
    public static void claim(Path dir, String fingerprint) {
        claim(dir, fingerprint, "");
    }

    /**
     * As {@link #claim(Path, String)}, and refuses files computed with other influence settings
     * than {@code settings} (naming both), recording {@code settings} in a new manifest.
     */
    public static void claim(Path dir, String fingerprint, String settings) {
        Optional<String> recorded = read(dir);
        if (recorded.isPresent()) {
            requireSame(dir, recorded.get(), fingerprint);
            String were = settings(dir);
            if (!were.equals(settings)) {
                throw new DataException(
                        "the result files in "
                                + dir
                                + " were computed with influence settings ["
                                + (were.isEmpty() ? "the defaults" : were)
                                + "], not ["
                                + (settings.isEmpty() ? "the defaults" : settings)
                                + "]; give the same options or another directory");
            }
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            Optional<Path> orphan =
                    s.filter(p -> p.getFileName().toString().matches("[a-z_-]+_\\d+\\.csv"))
                            .findFirst();
            if (orphan.isPresent()) {
                throw new DataException(
                        dir
                                + " holds result files ("
                                + orphan.get().getFileName()
                                + ") without "
                                + FILE_NAME
                                + ", so the model that wrote them is unknown; choose another --out");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + AtomicFiles.reason(e), e);
        }
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("format", FORMAT).put("model_fingerprint", fingerprint);
        if (!settings.isEmpty()) {
            o.put("influence_settings", settings);
        }
        try {
            AtomicFiles.writeString(dir.resolve(FILE_NAME), Json.mapper().writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses when the files in {@code dir} were written by another model than {@code fingerprint}.
     */
    public static void requireSame(Path dir, String recorded, String fingerprint) {
        if (!recorded.equals(fingerprint)) {
            throw new DataException(
                    "the result files in "
                            + dir
                            + " were written by model "
                            + ModelFingerprint.shortForm(recorded)
                            + ", not by this model "
                            + ModelFingerprint.shortForm(fingerprint)
                            + "; use the model that wrote them or another directory");
        }
    }
}
