package io.accent.modelio;

import io.accent.core.AtomicFiles;
import io.accent.core.Json;
import io.accent.core.OutputTarget;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a {@link ParameterSet} as NumPy files plus a {@code manifest.json}. */
public final class WeightExport {

    private WeightExport() {}

    /** File name of an array: its name plus {@code .npy}. */
    public static String fileName(String arrayName) {
        return arrayName + ".npy";
    }

    /** Writes every array to {@code dir} (atomically) and returns how many were written. */
    public static int write(ParameterSet params, Path dir) {
        return write(params, OutputTarget.of(dir, KIND));
    }

    /** What export-weights writes, for {@link OutputTarget}. */
    public static final String KIND = "weights";

    /** Writes every array under the rules of {@code out} and returns how many were written. */
    public static int write(ParameterSet params, OutputTarget target) {
        AtomicFiles.writeDirectory(
                target,
                tmp -> {
                    List<Map<String, Object>> manifest = new ArrayList<>();
                    for (NamedArray a : params.arrays()) {
                        String f = fileName(a.name());
                        try (OutputStream out = Files.newOutputStream(tmp.resolve(f))) {
                            Npy.write(a, out);
                        }
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("name", a.name());
                        e.put("file", f);
                        e.put("dtype", "float32");
                        e.put("shape", a.shape());
                        manifest.add(e);
                    }
                    Files.writeString(
                            tmp.resolve("manifest.json"),
                            Json.mapper().writeValueAsString(manifest));
                });
        return params.arrays().size();
    }
}
