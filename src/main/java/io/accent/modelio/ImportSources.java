package io.accent.modelio;

import io.accent.core.ModelException;
import io.accent.data.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The source of an import ({@link ModelImport}) as files: where its V2 checkpoint lies (the given
 * prefix, or a SavedModel's {@code variables/variables}) and the SHA-256 of each of its files,
 * which the imported model's provenance records.
 */
final class ImportSources {

    private ImportSources() {}

    /** The checkpoint prefix of the source, whose index must exist. */
    static Path checkpointPrefix(ModelImport.SourceFormat format, Path source, String label) {
        Path prefix;
        if (format == ModelImport.SourceFormat.SAVED_MODEL) {
            if (!Files.isRegularFile(source.resolve("saved_model.pb"))) {
                throw new ModelException(label + ": no SavedModel here (saved_model.pb missing)");
            }
            prefix = source.resolve("variables").resolve("variables");
        } else {
            prefix = source;
        }
        CheckpointTensors.requireIndex(prefix, label);
        return prefix;
    }

    /** SHA-256 of every file of the source, by path relative to the source. */
    static Map<String, String> fileDigests(
            ModelImport.SourceFormat format, Path source, Path prefix) {
        Map<String, String> out = new TreeMap<>();
        try {
            if (format == ModelImport.SourceFormat.SAVED_MODEL) {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                        out.put(
                                source.relativize(p).toString().replace('\\', '/'),
                                Digests.sha256(p));
                    }
                }
            } else {
                Path dir = prefix.toAbsolutePath().getParent();
                String base = prefix.getFileName().toString();
                try (Stream<Path> list = Files.list(dir)) {
                    for (Path p : list.sorted().toList()) {
                        String f = p.getFileName().toString();
                        if (f.equals(base + ".index") || f.startsWith(base + ".data-")) {
                            out.put(f, Digests.sha256(p));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelException(
                    "cannot list the files of " + source + ": " + e.getMessage(), e);
        }
        return out;
    }
}
