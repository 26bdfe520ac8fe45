package io.accent.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The process's stderr as TensorFlow's native code sees it. TensorFlow and absl write their log
 * lines straight to file descriptor 2, and read {@code TF_CPP_MIN_LOG_LEVEL} only from the
 * environment, which a running JVM cannot change (and which does not cover absl's lines anyway). So
 * unless {@code --verbose} is given, {@link #silenceNative} points descriptor 2 at {@code
 * /dev/null} and gives Java's {@code System.err} a duplicate of the original descriptor: native log
 * lines vanish, everything the tool itself prints still arrives.
 */
final class NativeConsole {

    /** The few libc functions needed (through JNA, which ships its own JNI stub). */
    interface LibC extends Library {
        int isatty(int fd);

        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        long write(int fd, byte[] buffer, long count);
    }

    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;

    private static volatile LibC libc;
    private static volatile boolean stderrTerminal;
    private static volatile boolean known;

    private NativeConsole() {}

    private static LibC libc() {
        if (libc == null) {
            try {
                useBundledDispatch();
                libc = Native.load("c", LibC.class);
            } catch (Throwable t) {
                return null;
            }
        }
        return libc;
    }

    /**
     * Points JNA at the copy of its native stub that the build unpacks beside the tool's classes or
     * jar ({@code lib/jna-native/com/sun/jna/PLATFORM/}), when there is one. Otherwise JNA extracts
     * the stub to a new temporary file on every run, which fails under a file-size limit ({@code
     * ulimit -f}), a full disk or a read-only home, and TensorFlow's native lines would then reach
     * the console. Must run before JNA's {@code Native} class is first used.
     */
    static void useBundledDispatch() {
        if (System.getProperty("jna.boot.library.path") != null) {
            return; // the user's choice
        }
        try {
            java.security.CodeSource cs = NativeConsole.class.getProtectionDomain().getCodeSource();
            if (cs == null) {
                return;
            }
            Path dir = bundledDispatchDir(Path.of(cs.getLocation().toURI()));
            if (dir != null) {
                System.setProperty("jna.boot.library.path", dir.toString());
            }
        } catch (Exception | LinkageError e) {
            // no bundled stub: JNA extracts its own
        }
    }

    /**
     * The directory of the bundled JNA stub for this platform, next to {@code codeSource} (the
     * tool's jar or classes directory), or null if it is not there.
     */
    static Path bundledDispatchDir(Path codeSource) {
        Path parent = codeSource.toAbsolutePath().getParent();
        if (parent == null) {
            return null;
        }
        Path dir =
                parent.resolve("lib")
                        .resolve("jna-native")
                        .resolve("com")
                        .resolve("sun")
                        .resolve("jna")
                        .resolve(com.sun.jna.Platform.RESOURCE_PREFIX);
        return Files.isRegularFile(dir.resolve(System.mapLibraryName("jnidispatch"))) ? dir : null;
    }

    /** Whether stderr (as the user started the process) is a terminal. */
    static boolean stderrIsTerminal() {
        if (known) {
            return stderrTerminal;
        }
        LibC c = libc();
        return c == null ? System.console() != null : c.isatty(STDERR) == 1;
    }

    /**
     * Sends native writes to descriptor 2 to {@code /dev/null} and Java's {@code System.err} to a
     * duplicate of the original descriptor. Returns false (and changes nothing) where that is not
     * possible.
     */
    static boolean silenceNative() {
        LibC c = libc();
        if (c == null) {
            return false;
        }
        try {
            stderrTerminal = c.isatty(STDERR) == 1;
            known = true;
            int saved = c.dup(STDERR);
            int nul = c.open("/dev/null", O_WRONLY);
            if (saved < 0 || nul < 0) {
                return false;
            }
            System.err.flush();
            if (c.dup2(nul, STDERR) < 0) {
                return false;
            }
            System.setErr(new PrintStream(new FdStream(c, saved), true));
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Writes to a file descriptor through libc. */
    private static final class FdStream extends OutputStream {
        private final LibC c;
        private final int fd;

        FdStream(LibC c, int fd) {
            this.c = c;
            this.fd = fd;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            byte[] rest = off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
            while (rest.length > 0) {
                long n = c.write(fd, rest, rest.length);
                if (n <= 0) {
                    return;
                }
                rest = Arrays.copyOfRange(rest, (int) n, rest.length);
            }
        }
    }
}
