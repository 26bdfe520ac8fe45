package io.accent.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files and directories so that a reader never sees a half-written result: content goes to a
 * temporary sibling which is then renamed over the target.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Body that writes into a stream or a directory. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T target) throws IOException;
    }

    /** Writes {@code target} through a temporary sibling file and an atomic rename. */
    public static void write(Path target, Writer<OutputStream> body) {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.createDirectories(abs.getParent());
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            move(tmp, abs);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Writes a UTF-8 string to {@code target} atomically. */
    public static void writeString(Path target, String content) {
        write(target, out -> out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Fills a temporary sibling directory and then renames it to {@code target}. An existing
     * {@code target} is replaced only once the new content is complete.
     */
    public static void writeDirectory(Path target, Writer<Path> body) {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        Path old = abs.resolveSibling("." + abs.getFileName() + ".old");
        try {
            Files.createDirectories(abs.getParent());
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            body.write(tmp);
            if (Files.exists(abs)) {
                deleteRecursively(old);
                Files.move(abs, old);
                move(tmp, abs);
                deleteRecursively(old);
            } else {
                move(tmp, abs);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or directory tree if it exists. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteRecursively(p);
        } catch (IOException ignored) {
            // best effort clean-up of a temporary
        }
    }
}
