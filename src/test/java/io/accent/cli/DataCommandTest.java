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
}
