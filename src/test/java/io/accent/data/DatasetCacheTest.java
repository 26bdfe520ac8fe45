package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.accent.core.DataException;
import io.accent.core.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetCache} against a local HTTP server serving archives built here. */
class DatasetCacheTest {

    @TempDir Path tmp;
    Path root;
    HttpServer server;
    final AtomicReference<byte[]> served = new AtomicReference<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void start() throws IOException {
        root = tmp.resolve("data");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/ml-100k.zip",
                exchange -> {
                    requests.incrementAndGet();
                    byte[] body = served.get();
                    exchange.sendResponseHeaders(status.get(), body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ml-100k.zip";
    }

    private DatasetDescriptor descriptor(byte[] archive) throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
        return new DatasetDescriptor(
                "ml-100k", "test", url(), md5, "research use only", "Harper & Konstan 2015");
    }

    private static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int k = 0; k < namesAndContents.length; k += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[k]));
                if (namesAndContents[k + 1] != null) {
                    zip.write(namesAndContents[k + 1].getBytes(StandardCharsets.UTF_8));
                }
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] goodArchive() throws IOException {
        return zip(
                "ml-100k/",
                null,
                "ml-100k/u.data",
                "196\t242\t3\t881250949\n",
                "ml-100k/u.item",
                "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n",
                "ml-100k/README",
                "terms\n");
    }

    private List<Path> contents(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }

    /** Counts progress in bytes. */
    static final class CountingProgress implements Progress {
        final AtomicLong total = new AtomicLong(-2);
        final AtomicLong done = new AtomicLong();

        @Override
        public void start(String task, long total) {
            this.total.set(total);
        }

        @Override
        public void step(long units) {
            done.addAndGet(units);
        }
    }

    @Test
    void goodArchiveIsVerifiedExtractedAndNotFetchedTwice() throws Exception {
        byte[] archive = goodArchive();
        served.set(archive);
        DatasetDescriptor d = descriptor(archive);
        CountingProgress progress = new CountingProgress();
        FetchResult first = new DatasetCache(root).fetch(d, progress);
        assertTrue(first.downloaded());
        assertEquals(List.of("ml-100k/README", "ml-100k/u.data", "ml-100k/u.item"), first.files());
        assertEquals("196\t242\t3\t881250949\n", Files.readString(root.resolve("ml-100k/u.data")));
        assertEquals(archive.length, progress.total.get());
        assertEquals(archive.length, progress.done.get());
        // only the data set folder and the marker: no temporary files left
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(
                    List.of(".ml-100k.fetched.json", "ml-100k"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }

        FetchResult second = new DatasetCache(root).fetch(d, Progress.NONE);
        assertFalse(second.downloaded());
        assertEquals(first.files(), second.files());
        assertEquals(1, requests.get(), "second fetch must not download");

        // a changed file is noticed and fetched again
        Files.writeString(root.resolve("ml-100k/u.data"), "tampered\n");
        FetchResult third = new DatasetCache(root).fetch(d, Progress.NONE);
        assertTrue(third.downloaded());
        assertEquals(2, requests.get());
        assertEquals("196\t242\t3\t881250949\n", Files.readString(root.resolve("ml-100k/u.data")));
    }

    @Test
    void corruptedArchiveFailsTheChecksumAndLeavesNothing() throws Exception {
        byte[] archive = goodArchive();
        DatasetDescriptor d = descriptor(archive);
        byte[] corrupted = archive.clone();
        corrupted[corrupted.length / 2] ^= 0x5a;
        served.set(corrupted);
        String actual =
                HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(corrupted));
        DataException e =
                assertThrows(
                        DataException.class, () -> new DatasetCache(root).fetch(d, Progress.NONE));
        assertEquals(
                "checksum mismatch for ml-100k.zip downloaded from "
                        + url()
                        + ": expected MD5 "
                        + d.md5()
                        + ", actual MD5 "
                        + actual,
                e.getMessage());
        assertEquals(List.of(), contents(root), "nothing extracted, no temporary files");
    }

    @Test
    void entryEscapingTheDirectoryIsRejectedBeforeExtraction() throws Exception {
        byte[] archive = zip("ml-100k/u.data", "1\t2\t3\t4\n", "../evil", "gotcha\n");
        served.set(archive);
        DatasetDescriptor d = descriptor(archive);
        DataException e =
                assertThrows(
                        DataException.class, () -> new DatasetCache(root).fetch(d, Progress.NONE));
        assertTrue(e.getMessage().contains("'../evil'"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was extracted"), e.getMessage());
        assertEquals(List.of(), contents(root));
        assertEquals(
                List.of(),
                contents(tmp),
                "nothing written beside the directory, and the directory the fetch created"
                        + " removed again");
    }

    @Test
    void absoluteAndNestedEscapesAreRejected() {
        DatasetDescriptor d = DatasetDescriptor.MOVIELENS_100K;
        Path base = tmp.resolve("base").toAbsolutePath();
        for (String bad : List.of("/etc/passwd", "a/../../x", "..\\x", "C:/x", "a/b/../../../x")) {
            assertThrows(DataException.class, () -> DatasetCache.checkEntry(d, bad, base), bad);
        }
        DatasetCache.checkEntry(d, "ml-100k/u.data", base);
        DatasetCache.checkEntry(d, "ml-100k/", base);
    }

    @Test
    void httpErrorIsReported() throws Exception {
        served.set(new byte[] {1, 2, 3});
        status.set(404);
        DatasetDescriptor d = descriptor(goodArchive());
        DataException e =
                assertThrows(
                        DataException.class, () -> new DatasetCache(root).fetch(d, Progress.NONE));
        assertEquals("cannot download " + url() + ": HTTP status 404", e.getMessage());
        assertEquals(List.of(), contents(root));
    }

    @Test
    void movieLensDescriptorCarriesTermsAndCitation() {
        DatasetDescriptor d = DatasetDescriptor.MOVIELENS_100K;
        assertEquals("0e33842e24a9c977be4e0107933c0723", d.md5());
        assertEquals("ml-100k.zip", d.fileName());
        assertTrue(d.license().contains("research"));
        assertTrue(d.license().contains("redistributed"));
        assertTrue(d.license().contains("endorsement"));
        assertTrue(d.citation().contains("Harper") && d.citation().contains("Konstan"));
        assertArrayEquals(
                d.md5().getBytes(),
                d.withUrl("https://mirror.example/ml-100k.zip").md5().getBytes());
    }
}
