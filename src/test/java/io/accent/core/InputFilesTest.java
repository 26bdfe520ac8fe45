package io.accent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading untrusted input files: strict UTF-8 with line numbers, regular files of bounded size. */
class InputFilesTest {

    @TempDir Path tmp;

    private static String readAll(byte[] b, int maxLine) throws Exception {
        StringWriter w = new StringWriter();
        try (Reader r =
                InputFiles.utf8Reader(new ByteArrayInputStream(b), Path.of("f.csv"), maxLine)) {
            r.transferTo(w);
        }
        return w.toString();
    }

    @Test
    void theStreamingReaderDecodesAcrossBuffersAndNamesTheLineOfABadByte() throws Exception {
        // multi-byte characters split across the 64 KiB buffer boundary, behind a byte order mark
        StringBuilder s = new StringBuilder("x");
        for (int k = 0; k < 70_000; k++) {
            s.append(k % 100 == 99 ? "\n" : k % 2 == 0 ? "é" : "€");
        }
        byte[] utf8 = ("\uFEFF" + s).getBytes(StandardCharsets.UTF_8);
        assertEquals(s.toString(), readAll(utf8, 1000));
        // a bad byte after 20,000 lines
        byte[] lines = "12345\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(lines, lines.length + 2);
        bad[lines.length] = '7';
        bad[lines.length + 1] = (byte) 0xc3;
        DataException e = assertThrows(DataException.class, () -> readAll(bad, 1000));
        assertEquals("f.csv is not UTF-8 text (line 20001)", e.getMessage());
        DataException whole =
                assertThrows(
                        DataException.class,
                        () -> InputFiles.decode(bad, Path.of("f.csv"), DataException::new));
        assertEquals("f.csv is not UTF-8 text (line 20001)", whole.getMessage());
        DataException longLine =
                assertThrows(DataException.class, () -> readAll(new byte[5000], 1000));
        assertTrue(longLine.getMessage().startsWith("f.csv line 1: longer than 1000 characters"));
    }

    @Test
    void onlyRegularFilesOfBoundedSizeAreRead() throws Exception {
        Path f = Files.writeString(tmp.resolve("a.txt"), "\uFEFFhello\n");
        assertEquals("hello\n", InputFiles.readText(f, 100, "list", DataException::new));
        DataException big =
                assertThrows(
                        DataException.class,
                        () -> InputFiles.readText(f, 3, "list", DataException::new));
        assertTrue(big.getMessage().contains("is larger than"), big.getMessage());
        DataException dir =
                assertThrows(
                        DataException.class,
                        () -> InputFiles.readText(tmp, 100, "list", DataException::new));
        assertTrue(dir.getMessage().endsWith("is a directory, not a file"), dir.getMessage());
        DataException missing =
                assertThrows(
                        DataException.class,
                        () ->
                                InputFiles.readText(
                                        tmp.resolve("none"), 100, "list", DataException::new));
        assertTrue(missing.getMessage().endsWith("does not exist"), missing.getMessage());
        for (String special : new String[] {"/dev/null", "/proc/self/status", "/sys/kernel/mm"}) {
            if (Files.exists(Path.of(special))) {
                RuntimeException e =
                        assertThrows(
                                RuntimeException.class,
                                () ->
                                        InputFiles.readText(
                                                Path.of(special), 100, "list", DataException::new));
                assertTrue(
                        e.getMessage().contains("is not a regular file")
                                || e.getMessage().contains("is a directory"),
                        e.getMessage());
            }
        }
    }
}
