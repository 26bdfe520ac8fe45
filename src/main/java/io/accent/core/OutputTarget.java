package io.accent.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory a command writes, with the inputs it must never touch and the user's permission to
 * replace what is there. The one rule for every command that writes a directory:
 *
 * <ul>
 *   <li>an existing non-directory is never replaced;
 *   <li>the directory may not be, contain or lie inside an input (not even with {@code
 *       --overwrite});
 *   <li>an existing non-empty directory is replaced only if accent wrote it for the same kind of
 *       output (it holds a {@value #MARKER} file naming {@code kind}), or with {@code overwrite}.
 * </ul>
 *
 * @param dir the directory to write
 * @param kind what is written there ("model", "weights", "prepared", "synthetic", ...)
 * @param inputs files and directories the command reads
 * @param overwrite whether the user allowed replacing a directory accent did not write
 */
public record OutputTarget(Path dir, String kind, List<Path> inputs, boolean overwrite) {

    /** File that marks a directory as written by accent; its content is the kind of output. */
    public static final String MARKER = ".accent-output";

    public OutputTarget {
        inputs = List.copyOf(inputs);
        if (!kind.matches("[a-z-]+")) {
            throw new IllegalArgumentException("bad output kind " + kind);
        }
    }

    /** A target that may replace only what accent wrote for {@code kind}. */
    public static OutputTarget of(Path dir, String kind, Path... inputs) {
        return new OutputTarget(dir, kind, List.of(inputs), false);
    }

    /** The same target with the user's {@code --overwrite} choice. */
    public OutputTarget withOverwrite(boolean allow) {
        return new OutputTarget(dir, kind, inputs, allow);
    }

    /** Checks every rule; throws {@link ConfigException} (exit 2) naming the reason. */
    public void check() {
        checkPlacement(dir, inputs);
        if (Files.isDirectory(dir) && !isEmpty(dir) && !overwrite && !writtenBy(dir, kind)) {
            throw new ConfigException(
                    dir
                            + " exists and was not written by accent as a "
                            + kind
                            + " directory;"
                            + " give --overwrite to replace it");
        }
    }

    /**
     * Checks only where {@code out} lies: not an existing non-directory, not equal to, inside or
     * containing any of {@code inputs}. For outputs that are added to rather than replaced.
     */
    public static void checkPlacement(Path out, List<Path> inputs) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigException(out + " exists and is not a directory");
        }
        Path o = canonical(out);
        for (Path in : inputs) {
            Path i = canonical(in);
            if (o.equals(i)) {
                throw new ConfigException(
                        out + " is the input " + in + "; choose another output directory");
            }
            if (o.startsWith(i)) {
                throw new ConfigException(
                        out + " lies inside the input " + in + "; choose another output directory");
            }
            if (i.startsWith(o)) {
                throw new ConfigException(
                        out + " contains the input " + in + "; choose another output directory");
            }
        }
    }

    /** Whether {@code dir} holds the marker of {@code kind}. */
    public static boolean writtenBy(Path dir, String kind) {
        Path m = dir.resolve(MARKER);
        try {
            return Files.isRegularFile(m)
                    && Files.readString(m, StandardCharsets.UTF_8).trim().equals(kind);
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the marker of this target's kind into {@code dir}. */
    void mark(Path dir) throws IOException {
        Files.writeString(dir.resolve(MARKER), kind + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Writes the marker of this target's kind into the new, empty {@code dir} and locks it for as
     * long as the returned channel stays open (where the file system has no locks, the marker is
     * written unlocked, and {@link #inUse} then never calls the directory abandoned).
     */
    FileChannel claim(Path dir) throws IOException {
        FileChannel ch =
                FileChannel.open(
                        dir.resolve(MARKER),
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        try {
            try {
                ch.lock();
            } catch (IOException unsupported) {
                // no locks here: the marker still says what the directory is
            }
            ByteBuffer b = ByteBuffer.wrap((kind + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Whether a process may still be writing {@code dir}: its marker is locked, or whether it is
     * cannot be told (no lock support, no access). False only for a marker nobody holds.
     */
    static boolean inUse(Path dir) {
        try (FileChannel ch =
                FileChannel.open(
                        dir.resolve(MARKER), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException | OverlappingFileLockException e) {
            return true;
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + AtomicFiles.reason(e), e);
        }
    }

    /** The real path of {@code p}, or of its nearest existing ancestor followed by the rest. */
    static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }
}
