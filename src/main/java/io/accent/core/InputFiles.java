package io.accent.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.function.Function;

/**
 * Reading files a user hands to accent (mapping files, id lists, pair lists) without trusting them:
 * only regular files on an ordinary file system, of a bounded size, strictly UTF-8. Errors name the
 * file and, for text, the line; they never contain the file's content.
 */
public final class InputFiles {

    /** Largest id list (one raw id per line) read: 64 MiB. */
    public static final long MAX_ID_FILE_BYTES = 64L << 20;

    /** Largest JSON file (e.g. a variable mapping) read: 16 MiB. */
    public static final long MAX_JSON_BYTES = 16L << 20;

    /** Longest line of a streamed text file, in characters: 1 Mi. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    /** File systems whose files only look like files (kernel interfaces, devices). */
    private static final Set<String> SPECIAL_FILE_SYSTEMS =
            Set.of(
                    "proc",
                    "sysfs",
                    "devtmpfs",
                    "devpts",
                    "debugfs",
                    "tracefs",
                    "securityfs",
                    "cgroup",
                    "cgroup2",
                    "configfs",
                    "pstore",
                    "bpf",
                    "efivarfs",
                    "fusectl",
                    "mqueue");

    private InputFiles() {}

    /**
     * Checks that {@code file} is a regular file of at most {@code maxBytes} bytes on an ordinary
     * file system (not a device, FIFO, directory or a {@code /proc} or {@code /sys} file) and
     * returns its real path. Problems are thrown by {@code fail}.
     *
     * @param what what the file is, for messages ("id map", "mapping")
     */
    public static Path checkRegular(
            Path file, long maxBytes, String what, Function<String, RuntimeException> fail) {
        Path real;
        BasicFileAttributes a;
        try {
            real = file.toRealPath();
            a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw fail.apply(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw fail.apply("cannot read " + what + " " + file + ": " + AtomicFiles.reason(e));
        }
        if (a.isDirectory()) {
            throw fail.apply(what + " " + file + " is a directory, not a file");
        }
        if (!a.isRegularFile() || special(real)) {
            throw fail.apply(
                    what + " " + file + " is not a regular file (a device, pipe or system file)");
        }
        if (a.size() > maxBytes) {
            throw fail.apply(
                    what
                            + " "
                            + file
                            + " is larger than "
                            + (maxBytes >> 20)
                            + " MiB ("
                            + a.size()
                            + " bytes)");
        }
        return real;
    }

    /** Whether {@code real} lies on a kernel or device file system. */
    private static boolean special(Path real) {
        String s = real.toString();
        if (s.equals("/proc")
                || s.startsWith("/proc/")
                || s.startsWith("/sys/")
                || s.startsWith("/dev/")) {
            return true;
        }
        try {
            return SPECIAL_FILE_SYSTEMS.contains(Files.getFileStore(real).type());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * The content of a checked ({@link #checkRegular}) file as strict UTF-8 text, without a leading
     * byte order mark; at most {@code maxBytes} bytes are read even if the file grows meanwhile.
     */
    public static String readText(
            Path file, long maxBytes, String what, Function<String, RuntimeException> fail) {
        Path real = checkRegular(file, maxBytes, what, fail);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw fail.apply("cannot read " + what + " " + file + ": " + AtomicFiles.reason(e));
        }
        if (bytes.length > maxBytes) {
            throw fail.apply(what + " " + file + " is larger than " + (maxBytes >> 20) + " MiB");
        }
        return decode(bytes, file, fail);
    }

    /**
     * {@code bytes} decoded as strict UTF-8, a leading byte order mark dropped; invalid bytes are
     * "FILE is not UTF-8 text (line N)".
     */
    public static String decode(byte[] bytes, Path file, Function<String, RuntimeException> fail) {
        CharsetDecoder d =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int line = 1;
            for (int k = 0; k < in.position(); k++) {
                if (bytes[k] == '\n') {
                    line++;
                }
            }
            throw fail.apply(notUtf8(file, line));
        }
        out.flip();
        String s = out.toString();
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** The message for a file that is not UTF-8 text at {@code line}. */
    public static String notUtf8(Path file, long line) {
        return file + " is not UTF-8 text (line " + line + ")";
    }

    /**
     * A reader of strict UTF-8 text from {@code in} (named {@code file} in messages) that drops a
     * leading byte order mark and throws a {@link DataException} naming the line at the first
     * invalid byte or at a line longer than {@code maxLineChars} (e.g. a binary or endless file).
     */
    public static Reader utf8Reader(InputStream in, Path file, int maxLineChars) {
        return new Utf8Reader(in, file, maxLineChars);
    }

    private static final class Utf8Reader extends Reader {
        private final InputStream in;
        private final Path file;
        private final int maxLineChars;
        private final CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
        private boolean eof;
        private boolean flushed;
        private boolean start = true;
        private long line = 1;
        private long lineChars;

        Utf8Reader(InputStream in, Path file, int maxLineChars) {
            this.in = in;
            this.file = file;
            this.maxLineChars = maxLineChars;
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (flushed) {
                return -1;
            }
            CharBuffer out = CharBuffer.wrap(cbuf, off, len);
            while (true) {
                CoderResult r = decoder.decode(bytes, out, eof);
                int n = out.position() - off;
                if (r.isError()) {
                    if (n > 0) {
                        return delivered(cbuf, off, n);
                    }
                    throw new DataException(notUtf8(file, line));
                }
                if (r.isOverflow() || n > 0) {
                    return delivered(cbuf, off, n);
                }
                if (eof) {
                    if (!flushed) {
                        flushed = true;
                        decoder.flush(out);
                        n = out.position() - off;
                        if (n > 0) {
                            return delivered(cbuf, off, n);
                        }
                    }
                    return -1;
                }
                bytes.compact();
                int got = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (got < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + got);
                }
                bytes.flip();
            }
        }

        /** Counts lines in the {@code n} chars decoded into {@code cbuf}, dropping a first BOM. */
        private int delivered(char[] cbuf, int off, int n) throws IOException {
            if (start) {
                start = false;
                if (cbuf[off] == '\uFEFF') {
                    System.arraycopy(cbuf, off + 1, cbuf, off, n - 1);
                    n--;
                    if (n == 0) {
                        return read(cbuf, off, 1);
                    }
                }
            }
            for (int k = off; k < off + n; k++) {
                if (cbuf[k] == '\n') {
                    line++;
                    lineChars = 0;
                } else if (++lineChars > maxLineChars) {
                    throw new DataException(
                            file
                                    + " line "
                                    + line
                                    + ": longer than "
                                    + maxLineChars
                                    + " characters (not a text file?)");
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
