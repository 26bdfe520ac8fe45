package io.accent.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Advisory locks on result files between accent runs: {@code explain --out} holds an exclusive lock
 * on each {@code {algo}_{k}.csv} it appends to, {@code evaluate} on each file it rewrites, and an
 * {@code evaluate --shard} run a lock on the one byte past the end of the data that stands for its
 * shard. A lock held by another process, or by another channel of this process, makes the second
 * run fail at once instead of waiting. The operating system drops a lock with its process, so a
 * killed run leaves nothing to clean up; it also drops it, on POSIX systems, when the process
 * closes any descriptor of the file, so a holder reads the file through its locked channel only
 * ({@link Held#readString}).
 */
public final class FileLocks {

    /** The first byte of the range that stands for shards ({@link #shardPosition}). */
    private static final long SHARD_BASE = 1L << 62;

    private FileLocks() {}

    /**
     * {@link FileChannel#tryLock(long, long, boolean)}, with a lock that overlaps one held by this
     * process also answered by null.
     *
     * @return the lock, or null when another process or another channel of this process holds an
     *     overlapping lock
     */
    public static FileLock tryLock(FileChannel ch, long position, long size, boolean shared)
            throws IOException {
        try {
            return ch.tryLock(position, size, shared);
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * The byte that stands for shard {@code index} of {@code count}: distinct for distinct shards,
     * beyond any file's data, and inside the whole-file range that an exclusive lock covers.
     */
    public static long shardPosition(int index, int count) {
        if (index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count);
        }
        return SHARD_BASE + (long) count * (count - 1) / 2 + (index - 1);
    }

    /** Locks held together, released by {@link #close}. */
    public static final class Held implements AutoCloseable {
        private final Map<Path, FileChannel> channels = new LinkedHashMap<>();

        private Held() {}

        /**
         * The content of a locked file, read through its locked channel. Read a locked file this
         * way only: on POSIX systems, closing any other descriptor of the file (as {@link
         * Files#readString} does) releases the process's lock on it.
         */
        public String readString(Path file) {
            FileChannel ch = channels.get(key(file));
            if (ch == null) {
                throw new IllegalArgumentException(file + " is not locked here");
            }
            try {
                long size = ch.size();
                if (size > Integer.MAX_VALUE - 16) {
                    throw new DataException(file + " is too large (" + size + " bytes)");
                }
                ByteBuffer buf = ByteBuffer.allocate((int) size);
                while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
                    // until full
                }
                buf.flip();
                return StandardCharsets.UTF_8.newDecoder().decode(buf).toString();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read " + file + ": " + AtomicFiles.reason(e), e);
            }
        }

        @Override
        public void close() {
            IOException first = null;
            for (FileChannel ch : channels.values()) {
                try {
                    ch.close(); // releases its lock
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            channels.clear();
            if (first != null) {
                throw new UncheckedIOException(
                        "cannot release a lock: " + first.getMessage(), first);
            }
        }
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /**
     * Locks the byte range {@code [position, position + size)} of each existing file (once, if it
     * is listed twice), all or none. The lock is exclusive where the file can be opened for
     * writing; a file that cannot is locked shared (it keeps out writers of the same range, not
     * other readers).
     *
     * @param busy the message of the {@link DataException} thrown for a file whose range is held
     * @throws DataException if a range is held by another run (nothing stays locked)
     * @throws UncheckedIOException if a file cannot be opened
     */
    public static Held lockAll(
            List<Path> files,
            long position,
            long size,
            java.util.function.Function<Path, String> busy) {
        Held held = new Held();
        try {
            for (Path f : files) {
                if (held.channels.containsKey(key(f))) {
                    continue; // listed twice: one lock
                }
                try {
                    FileChannel ch;
                    boolean shared = false;
                    try {
                        ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    } catch (AccessDeniedException e) {
                        ch = FileChannel.open(f, StandardOpenOption.READ);
                        shared = true;
                    }
                    held.channels.put(key(f), ch);
                    if (tryLock(ch, position, size, shared) == null) {
                        throw new DataException(busy.apply(f));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "cannot lock " + f + ": " + AtomicFiles.reason(e), e);
                }
            }
            return held;
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }
}
