package io.accent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary directories of {@link AtomicFiles#writeDirectory}: which ones a later run removes. */
class AtomicFilesTest {

    @TempDir Path tmp;

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Path fake(Path parent, String name, String kind) throws Exception {
        Path d = Files.createDirectories(parent.resolve(name));
        Files.writeString(d.resolve("payload"), "x");
        if (kind != null) {
            Files.writeString(d.resolve(OutputTarget.MARKER), kind + "\n");
        }
        return d;
    }

    @Test
    void aTemporaryLeftByAKilledRunIsRemovedByTheNextRunForTheSameTarget() throws Exception {
        Path out = tmp.resolve("out");
        OutputTarget target = OutputTarget.of(out, "weights");
        // a run that dies inside its body without any clean-up, as kill -9 does
        assertThrows(
                Error.class,
                () ->
                        AtomicFiles.writeDirectory(
                                target,
                                d -> {
                                    Files.writeString(d.resolve("half"), "x");
                                    throw new Error("killed");
                                }));
        List<String> left = names(tmp);
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).matches("\\.out\\.tmp-[0-9]+"), left.toString());
        assertTrue(OutputTarget.writtenBy(tmp.resolve(left.get(0)), "weights"));

        AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("a"), "1"));
        assertEquals(List.of("out"), names(tmp));
        assertEquals(List.of(OutputTarget.MARKER, "a"), names(out));
    }

    @Test
    void onlyItsOwnAbandonedTemporariesAreRemoved() throws Exception {
        Path out = tmp.resolve("out");
        fake(tmp, ".out.tmp-123", "weights"); // abandoned, ours: removed
        fake(tmp, ".out.tmp-456", null); // no marker: not known to be ours
        fake(tmp, ".out.tmp-789", "model"); // another kind of output
        fake(tmp, ".out.tmp-12x", "weights"); // not a name writeDirectory makes
        fake(tmp, ".outx.tmp-1", "weights"); // another target
        fake(tmp, ".other.tmp-1", "weights");
        fake(tmp, "out.tmp-1", "weights");
        Path live = fake(tmp, ".out.tmp-999", "weights"); // still being written
        Files.createSymbolicLink(tmp.resolve(".out.tmp-555"), tmp.resolve(".out.tmp-123"));
        try (FileChannel ch =
                        FileChannel.open(
                                live.resolve(OutputTarget.MARKER),
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE);
                FileLock lock = ch.lock()) {
            AtomicFiles.writeDirectory(
                    OutputTarget.of(out, "weights"), d -> Files.writeString(d.resolve("a"), "1"));
        }
        assertEquals(
                List.of(
                        ".other.tmp-1",
                        ".out.tmp-12x",
                        ".out.tmp-456",
                        ".out.tmp-555",
                        ".out.tmp-789",
                        ".out.tmp-999",
                        ".outx.tmp-1",
                        "out",
                        "out.tmp-1"),
                names(tmp));
        assertFalse(Files.exists(tmp.resolve(".out.tmp-555")));
        assertTrue(Files.isSymbolicLink(tmp.resolve(".out.tmp-555")), "the link itself stays");
        assertTrue(Files.exists(live.resolve("payload")));
    }
}
