package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.accent.core.ConfigException;
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
                "/",
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
        return url("ml-100k.zip");
    }

    private String url(String file) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + file;
    }

    static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    private DatasetDescriptor descriptor(byte[] archive) throws Exception {
        return descriptor("ml-100k", url(), Checksum.md5(hex("MD5", archive)));
    }

    private static DatasetDescriptor descriptor(String name, String url, Checksum checksum) {
        return new DatasetDescriptor(
                name,
                "test",
                url,
                java.util.Optional.ofNullable(checksum),
                "research use only",
                "Harper & Konstan 2015");
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
        assertEquals(root.resolve("ml-100k"), first.directory());
        assertEquals(List.of("README", "u.data", "u.item"), first.files());
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
        String actual = hex("MD5", corrupted);
        DataException e =
                assertThrows(
                        DataException.class, () -> new DatasetCache(root).fetch(d, Progress.NONE));
        assertEquals(
                "checksum mismatch for ml-100k.zip downloaded from "
                        + url()
                        + ": expected MD5 "
                        + d.checksum().get().hex()
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
        DatasetDescriptor d = Datasets.MOVIELENS_100K;
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
        DatasetDescriptor d = Datasets.MOVIELENS_100K;
        assertEquals("md5:0e33842e24a9c977be4e0107933c0723", d.checksum().get().toString());
        assertEquals("ml-100k.zip", d.fileName());
        assertEquals("https://files.grouplens.org/datasets/movielens/ml-100k.zip", d.url());
        assertTrue(d.license().contains("research"));
        assertTrue(d.license().contains("redistributed"));
        assertTrue(d.license().contains("endorsement"));
        assertTrue(d.citation().contains("Harper") && d.citation().contains("Konstan"));
        assertEquals(d.checksum(), d.withUrl("https://mirror.example/ml-100k.zip").checksum());
    }

    @Test
    void anArchiveFolderOfAnotherNameLandsInTheDataSetsDirectory() throws Exception {
        // ml-10m.zip holds ml-10M100K/; the files belong in DIR/ml-10m
        byte[] archive =
                zip(
                        "ml-10M100K/",
                        null,
                        "ml-10M100K/ratings.dat",
                        "1::122::5::838985046\n",
                        "ml-10M100K/movies.dat",
                        "122::Boomerang (1992)::Comedy|Romance\n");
        served.set(archive);
        DatasetDescriptor d =
                descriptor("ml-10m", url("ml-10m.zip"), Checksum.md5(hex("MD5", archive)));
        FetchResult r = new DatasetCache(root).fetch(d, Progress.NONE);
        assertEquals(root.resolve("ml-10m"), r.directory());
        assertEquals(List.of("movies.dat", "ratings.dat"), r.files());
        assertEquals(
                "1::122::5::838985046\n", Files.readString(root.resolve("ml-10m/ratings.dat")));
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(
                    List.of(".ml-10m.fetched.json", "ml-10m"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        FetchResult again = new DatasetCache(root).fetch(d, Progress.NONE);
        assertFalse(again.downloaded());
        assertEquals(r.files(), again.files());
        assertEquals(1, requests.get());
    }

    @Test
    void anArchiveWithoutAFolderIsExtractedIntoOneAndCheckedWithSha256() throws Exception {
        // hetrec2011-movielens-2k-v2.zip holds its .dat files at the top
        byte[] archive =
                zip(
                        "movies.dat",
                        "id\ttitle\n1\tToy story\n",
                        "user_ratedmovies.dat",
                        "userID\tmovieID\trating\n75\t3\t1\n",
                        "readme.txt",
                        "notes\n");
        served.set(archive);
        DatasetDescriptor d =
                descriptor(
                        "hetrec-2k",
                        url("hetrec2011-movielens-2k-v2.zip"),
                        Checksum.sha256(hex("SHA-256", archive)));
        FetchResult r = new DatasetCache(root).fetch(d, Progress.NONE);
        assertEquals(root.resolve("hetrec-2k"), r.directory());
        assertEquals(List.of("movies.dat", "readme.txt", "user_ratedmovies.dat"), r.files());
        assertTrue(Files.isRegularFile(root.resolve("hetrec-2k/user_ratedmovies.dat")));
        assertFalse(new DatasetCache(root).fetch(d, Progress.NONE).downloaded());

        // another expected digest is another archive: fetched again (and refused here)
        DatasetDescriptor other = d.withChecksum(Checksum.sha256("0".repeat(64)));
        DataException e =
                assertThrows(
                        DataException.class,
                        () -> new DatasetCache(root).fetch(other, Progress.NONE));
        assertTrue(e.getMessage().contains("expected SHA-256 " + "0".repeat(64)), e.getMessage());
        assertTrue(
                e.getMessage().contains("actual SHA-256 " + hex("SHA-256", archive)),
                e.getMessage());
        assertEquals(2, requests.get());
        assertTrue(Files.isRegularFile(root.resolve("hetrec-2k/movies.dat")), "earlier files kept");
    }

    @Test
    void aDescriptorWithoutChecksumIsRefusedBeforeDownloading() throws Exception {
        served.set(goodArchive());
        DatasetDescriptor d = descriptor("hetrec-2k", url("h.zip"), null);
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> new DatasetCache(root).fetch(d, Progress.NONE));
        assertEquals(
                "no checksum is known for hetrec-2k (h.zip): refusing to download it unverified",
                e.getMessage());
        assertEquals(0, requests.get());
        assertFalse(Files.exists(root));
    }

    @Test
    void aMarkerOfTheFirstVersionStillCounts() throws Exception {
        byte[] archive = goodArchive();
        served.set(archive);
        DatasetDescriptor d = descriptor(archive);
        new DatasetCache(root).fetch(d, Progress.NONE);
        Path marker = root.resolve(".ml-100k.fetched.json");
        com.fasterxml.jackson.databind.ObjectMapper mapper =
                new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode json =
                (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(marker.toFile());
        assertEquals(d.checksum().get().toString(), json.path("checksum").asText());
        // the first version wrote "md5": HEX instead of "checksum": "md5:HEX"
        json.remove("checksum");
        json.put("md5", d.checksum().get().hex());
        mapper.writeValue(marker.toFile(), json);
        assertFalse(new DatasetCache(root).fetch(d, Progress.NONE).downloaded());
        assertEquals(1, requests.get());
    }
}
