package io.accent.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
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
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
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
     * Fills a temporary sibling directory and then renames it to {@code target}, after checking the
     * rules of {@link OutputTarget}. An existing directory is replaced only once the new content is
     * complete; the result carries the {@link OutputTarget#MARKER} of its kind. The temporary
     * directory gets that marker first, locked while it is written, so that the next run for the
     * same target can tell a temporary left by a killed run from one still being written, and
     * removes the former.
     */
    public static void writeDirectory(OutputTarget target, Writer<Path> body) {
        target.check();
        Path abs = target.dir().toAbsolutePath();
        Path tmp = null;
        FileChannel claim = null;
        try {
            Files.createDirectories(abs.getParent());
            removeAbandoned(abs, target.kind());
            tmp = Files.createTempDirectory(abs.getParent(), tempPrefix(abs));
            claim = target.claim(tmp);
            body.write(tmp);
            if (!Files.isRegularFile(tmp.resolve(OutputTarget.MARKER), LinkOption.NOFOLLOW_LINKS)) {
                target.mark(tmp);
            }
            target.check();
            if (Files.exists(abs)) {
                Path old =
                        Files.createTempDirectory(
                                abs.getParent(), "." + abs.getFileName() + ".old-");
                Files.delete(old);
                Files.move(abs, old);
                move(tmp, abs);
                deleteRecursively(old);
            } else {
                move(tmp, abs);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target.dir() + ": " + reason(e), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        } finally {
            if (claim != null) {
                try {
                    claim.close(); // releases the lock
                } catch (IOException ignored) {
                    // the directory is written or deleted already
                }
            }
        }
    }

    /** Prefix of the temporary siblings {@link #writeDirectory} fills: {@code .NAME.tmp-}. */
    private static String tempPrefix(Path abs) {
        return "." + abs.getFileName() + ".tmp-";
    }

    /**
     * Removes the temporary siblings of {@code abs} that an earlier {@link #writeDirectory} of the
     * same kind left when it was killed (kill -9, power loss): only directories named exactly
     * {@code .NAME.tmp-DIGITS} (the names {@code writeDirectory} creates), that hold the marker of
     * {@code kind} (written, and locked, before anything else goes in), and whose marker no live
     * process holds locked (a run still writing keeps its lock until it renames or deletes the
     * directory). Anything else, and anything that cannot be checked, is left alone.
     */
    private static void removeAbandoned(Path abs, String kind) {
        Pattern ours = Pattern.compile(Pattern.quote(tempPrefix(abs)) + "[0-9]+");
        List<Path> abandoned = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(abs.getParent())) {
            for (Path p : siblings) {
                if (ours.matcher(p.getFileName().toString()).matches()
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(
                                p.resolve(OutputTarget.MARKER), LinkOption.NOFOLLOW_LINKS)
                        && OutputTarget.writtenBy(p, kind)
                        && !OutputTarget.inUse(p)) {
                    abandoned.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // best effort: nothing is removed that was not checked
        }
        abandoned.forEach(AtomicFiles::deleteQuietly);
    }

    /**
     * Says why an I/O operation failed, in words, instead of the bare path that many {@link
     * java.nio.file.FileSystemException}s carry as their message.
     */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            if (f.getFile() != null && Files.isRegularFile(Path.of(f.getFile()))) {
                return f.getFile() + " exists and is a file, not a directory";
            }
            return (f.getFile() == null ? "it" : f.getFile()) + " already exists";
        }
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof java.nio.file.NotDirectoryException f) {
            return f.getFile() + " is not a directory";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException f) {
            return f.getFile() + " is a directory that is not empty";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            String r = f.getReason();
            if (f.getFile() != null
                    && Files.exists(Path.of(f.getFile()))
                    && !Files.isDirectory(Path.of(f.getFile()))
                    && r != null
                    && r.contains("Not a directory")) {
                return f.getFile() + " exists and is a file, not a directory";
            }
            return (f.getFile() == null ? "" : f.getFile() + ": ")
                    + (r == null ? e.getClass().getSimpleName() : r);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
        if (p == null) {
            return;
        }
        try {
            deleteRecursively(p);
        } catch (IOException ignored) {
            // best effort clean-up of a temporary
        }
    }
}
