package io.accent.modelio;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.accent.core.ModelException;
import io.accent.tf.NamedArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Reads float32 tensors by name from a TensorFlow V2 checkpoint ({@code PREFIX.index} plus {@code
 * PREFIX.data-*}) with TensorFlow's own RestoreV2 op. A SavedModel's variables are such a
 * checkpoint, with prefix {@code DIR/variables/variables}. Owns a graph and a session; close it.
 */
final class CheckpointTensors implements AutoCloseable {

    private final Path prefix;
    private final String label;
    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final Session session = new Session(graph);
    private final CheckpointIndex index;

    /**
     * Reads the checkpoint's index (its damage is reported here, before any tensor is restored).
     *
     * @param prefix checkpoint prefix (the path of the {@code .index} file without {@code .index})
     * @param label how errors name the source, e.g. "checkpoint /x/model-119999"
     */
    CheckpointTensors(Path prefix, String label) {
        this.prefix = prefix;
        this.label = label;
        try {
            requireIndex(prefix, label);
            this.index = CheckpointIndex.read(indexOf(prefix));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Every stored tensor's dtype and shape, by name (sorted). */
    java.util.Map<String, CheckpointIndex.Entry> entries() {
        return index.entries();
    }

    /** The checkpoint's index file. */
    static Path indexOf(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".index");
    }

    /** Fails with one line when the checkpoint's index file is missing. */
    static void requireIndex(Path prefix, String label) {
        if (!Files.isRegularFile(indexOf(prefix))) {
            throw new ModelException(label + ": no checkpoint index " + indexOf(prefix));
        }
    }

    /**
     * The tensor {@code name}, or empty when the checkpoint has no such tensor. A checkpoint that
     * cannot be read, or a tensor that is not float32, is a {@link ModelException}.
     */
    Optional<NamedArray> find(String name) {
        CheckpointIndex.Entry entry = index.entries().get(name);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.dtype() != DataType.DT_FLOAT) {
            throw new ModelException(
                    label
                            + ": tensor '"
                            + name
                            + "' is "
                            + entry.dtype()
                            + "; import reads float32 tensors");
        }
        Restore r =
                tf.train.restore(
                        tf.constant(prefix.toString()),
                        tf.constant(UTF_8, new String[] {name}),
                        tf.constant(UTF_8, new String[] {""}),
                        List.of(TFloat32.class));
        try (Tensor t = session.runner().fetch(r.tensors().get(0)).run().get(0)) {
            return Optional.of(NamedArray.copyOf(name, (TFloat32) t));
        } catch (RuntimeException e) {
            String m = firstLine(e.getMessage());
            if (m.contains("not found in checkpoint")) {
                return Optional.empty();
            }
            if (m.contains("sstable")) {
                throw new ModelException(
                        label
                                + ": the checkpoint index "
                                + indexOf(prefix)
                                + " is corrupt ("
                                + m
                                + ")",
                        e);
            }
            throw new ModelException(
                    label + ": cannot read tensor '" + name + "': " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The tensor {@code name}; a missing tensor is a {@link ModelException} naming it and {@code
     * role}.
     */
    NamedArray get(String name, String role) {
        return find(name)
                .orElseThrow(
                        () ->
                                new ModelException(
                                        label
                                                + " has no tensor '"
                                                + name
                                                + "' (mapped to "
                                                + role
                                                + ")"
                                                + nearest(name)));
    }

    /**
     * "; nearest names: a, b, c" — the stored names sharing the longest prefix with {@code name}.
     */
    private String nearest(String name) {
        List<String> names = List.copyOf(index.entries().keySet());
        if (names.isEmpty()) {
            return "; the checkpoint holds no tensors";
        }
        int best = -1;
        List<String> out = new java.util.ArrayList<>();
        for (String n : names) {
            int k = 0;
            while (k < n.length() && k < name.length() && n.charAt(k) == name.charAt(k)) {
                k++;
            }
            if (k > best) {
                best = k;
                out.clear();
            }
            if (k == best && out.size() < 3) {
                out.add(n);
            }
        }
        return "; it has " + names.size() + " tensors, the nearest: " + String.join(", ", out);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

    /** The first line of an exception message, stripped ("unreadable" when there is none). */
    static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
