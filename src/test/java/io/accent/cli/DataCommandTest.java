package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test of {@code accent data ...} through {@link Main#execute}. */
class DataCommandTest {

    @TempDir Path tmp;

    /** Exit code, stdout and stderr of one run. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void synthThenPrepare() {
        Path raw = tmp.resolve("raw");
        Run synth =
                run(
                        "data",
                        "synth",
                        "--out",
                        raw.toString(),
                        "--users",
                        "30",
                        "--items",
                        "120",
                        "--seed",
                        "5");
        assertEquals(0, synth.code(), synth.err());
        assertTrue(synth.out().contains("30 users"), synth.out());
        assertTrue(Files.isRegularFile(raw.resolve("u.data")));

        Path out = tmp.resolve("prepared");
        Run prepare =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        raw.toString(),
                        "--rcf",
                        raw.toString(),
                        "--out",
                        out.toString(),
                        "--name",
                        "smoke");
        assertEquals(0, prepare.code(), prepare.err());
        assertTrue(prepare.out().contains("prepared smoke"), prepare.out());
        assertTrue(Files.isRegularFile(out.resolve("dataset.json")));
    }

    @Test
    void errorsAreOneLineWithExitCodes() {
        Path missing = tmp.resolve("missing");
        Run r =
                run(
                        "data",
                        "prepare",
                        "--movielens",
                        missing.toString(),
                        "--rcf",
                        missing.toString(),
                        "--out",
                        tmp.resolve("o").toString());
        assertEquals(3, r.code());
        assertTrue(
                r.err().startsWith("error: " + missing.resolve("u.data") + ": file not found"),
                r.err());

        Run bad = run("data", "synth", "--out", tmp.resolve("s").toString(), "--users", "2");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("error: --users 2 is out of range"), bad.err());

        Run usage = run("data", "synth", "--users", "many");
        assertEquals(2, usage.code());
    }

    @Test
    void helpMentionsTheEnvironmentVariable() {
        Run r = run("data", "prepare", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("$ACCENT_DATA/ml-100k"), r.out());
        Run data = run("data", "--help");
        assertTrue(data.out().contains("ACCENT_DATA") && data.out().contains("fetch"), data.out());
    }

    @Test
    void fetchPrintsTheTermsAndRejectsAWrongChecksum() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/ml-100k.zip",
                exchange -> {
                    byte[] body = "not the real archive".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream o = exchange.getResponseBody()) {
                        o.write(body);
                    }
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/ml-100k.zip";
            Path dir = tmp.resolve("data");
            Run r = run("data", "fetch", "--dir", dir.toString(), "--url", url);
            assertEquals(3, r.code(), r.err());
            assertTrue(r.out().contains("Harper"), r.out());
            assertTrue(r.out().contains("redistributed"), r.out());
            assertTrue(r.err().contains("error: checksum mismatch for ml-100k.zip"), r.err());
            assertTrue(r.err().contains("expected MD5 0e33842e24a9c977be4e0107933c0723"), r.err());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusedConnectionIsOneCleanLineAndLeavesNoNewDirectory() throws IOException {
        int port;
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again below: nothing listens there
        }
        String url = "http://127.0.0.1:" + port + "/x.zip";
        Path dir = tmp.resolve("new").resolve("data");
        Run r = run("data", "fetch", "--dir", dir.toString(), "--url", url);
        assertEquals(3, r.code(), r.err());
        assertEquals(
                java.util.List.of("error: cannot download " + url + ": connection refused"),
                r.err().trim().lines().toList());
        assertFalse(Files.exists(tmp.resolve("new")), "left the directories it created");

        // a directory that was there before stays, empty or not
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        r = run("data", "fetch", "--dir", mine.toString(), "--url", url);
        assertEquals(3, r.code(), r.err());
        assertTrue(Files.isDirectory(mine));
    }

    /** A local server answering every path with {@code body}, counting the requests. */
    record Served(HttpServer server, java.util.concurrent.atomic.AtomicInteger requests)
            implements AutoCloseable {
        static Served of(byte[] body) throws IOException {
            HttpServer server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            java.util.concurrent.atomic.AtomicInteger requests =
                    new java.util.concurrent.atomic.AtomicInteger();
            server.createContext(
                    "/",
                    exchange -> {
                        requests.incrementAndGet();
                        exchange.sendResponseHeaders(200, body.length);
                        try (OutputStream o = exchange.getResponseBody()) {
                            o.write(body);
                        }
                    });
            server.start();
            return new Served(server, requests);
        }

        String url(String file) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + file;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static byte[] zip(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (int k = 0; k < namesAndContents.length; k += 2) {
                zip.putNextEntry(new java.util.zip.ZipEntry(namesAndContents[k]));
                zip.write(namesAndContents[k + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void fetchOfAnotherDataSetLandsInItsOwnDirectory() throws Exception {
        byte[] archive =
                zip(
                        "ml-10M100K/ratings.dat", "1::122::5::838985046\n",
                        "ml-10M100K/movies.dat", "122::Boomerang (1992)::Comedy|Romance\n");
        try (Served s = Served.of(archive)) {
            Path dir = tmp.resolve("data");
            String[] args = {
                "data",
                "fetch",
                "--dataset",
                "ml-10m",
                "--dir",
                dir.toString(),
                "--url",
                s.url("ml-10m.zip"),
                "--checksum",
                "sha256:" + sha256(archive)
            };
            Run r = run(args);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("MovieLens 10M"), r.out());
            assertTrue(r.out().contains("ml-10m-README.html"), r.out());
            assertTrue(
                    r.out().contains("2 files in " + dir.resolve("ml-10m"))
                            && r.out().contains("downloaded, SHA-256 verified"),
                    r.out());
            assertTrue(Files.isRegularFile(dir.resolve("ml-10m/ratings.dat")));
            Run again = run(args);
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("already present and verified"), again.out());
            assertEquals(1, s.requests().get());
        }
    }

    @Test
    void aChecksumMismatchIsOneLineAndExtractsNothing() throws Exception {
        byte[] archive = zip("ml-1m/ratings.dat", "1::1193::5::978300760\n");
        try (Served s = Served.of(archive)) {
            Path dir = tmp.resolve("data");
            Files.createDirectories(dir);
            String wrong = "sha256:" + "0".repeat(64);
            Run r =
                    run(
                            "data",
                            "fetch",
                            "--dataset",
                            "ml-1m",
                            "--dir",
                            dir.toString(),
                            "--url",
                            s.url("ml-1m.zip"),
                            "--checksum",
                            wrong);
            assertEquals(3, r.code(), r.err());
            assertEquals(
                    java.util.List.of(
                            "error: checksum mismatch for ml-1m.zip downloaded from "
                                    + s.url("ml-1m.zip")
                                    + ": expected SHA-256 "
                                    + "0".repeat(64)
                                    + ", actual SHA-256 "
                                    + sha256(archive)),
                    r.err().trim().lines().toList());
            try (java.util.stream.Stream<Path> left = Files.list(dir)) {
                assertEquals(0, left.count(), "nothing extracted, no temporary files");
            }
        }
    }

    @Test
    void anUnknownDataSetIsAUsageErrorListingTheValidNames() {
        Run r = run("data", "fetch", "--dataset", "ml-2m", "--dir", tmp.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(
                r.err()
                        .contains(
                                "unknown data set 'ml-2m'; valid: ml-100k, ml-1m, ml-10m, ml-20m,"
                                        + " ml-25m, ml-32m, hetrec-2k"),
                r.err());
        assertEquals(java.util.List.of(), java.util.Arrays.asList(tmp.toFile().list()));
    }

    @Test
    void hetrecWithoutAChecksumIsRefusedAndWithOneIsFetched() throws Exception {
        byte[] archive = zip("movies.dat", "id\ttitle\n", "user_ratedmovies.dat", "75\t3\t1\n");
        try (Served s = Served.of(archive)) {
            Path dir = tmp.resolve("data");
            String url = s.url("hetrec2011-movielens-2k-v2.zip");
            Run r = run("data", "fetch", "--dataset", "hetrec-2k", "--dir", dir.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.err()
                            .contains(
                                    "error: no checksum is published for hetrec-2k"
                                            + " (hetrec2011-movielens-2k-v2.zip): give the digest"
                                            + " you trust with --checksum md5:HEX or sha256:HEX"),
                    r.err());
            assertEquals(0, s.requests().get());
            assertFalse(Files.exists(dir));

            Run bad =
                    run(
                            "data",
                            "fetch",
                            "--dataset",
                            "hetrec-2k",
                            "--dir",
                            dir.toString(),
                            "--checksum",
                            "sha1:abc");
            assertEquals(2, bad.code(), bad.err());
            assertTrue(bad.err().contains("must be md5:HEX"), bad.err());

            Run ok =
                    run(
                            "data",
                            "fetch",
                            "--dataset",
                            "hetrec-2k",
                            "--dir",
                            dir.toString(),
                            "--url",
                            url,
                            "--checksum",
                            "sha256:" + sha256(archive));
            assertEquals(0, ok.code(), ok.err());
            assertTrue(ok.out().contains("Cantador"), ok.out());
            assertTrue(ok.out().contains("Rotten Tomatoes"), ok.out());
            assertTrue(Files.isRegularFile(dir.resolve("hetrec-2k/user_ratedmovies.dat")));
        }
    }
}
