package io.accent.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accent.core.AtomicFiles;
import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads data set archives into a local directory. The archive is streamed into a temporary file
 * while its digest (MD5 or SHA-256, as the descriptor's checksum says) is computed; only when the
 * digest matches are its entries checked (none may leave the directory) and extracted, through a
 * temporary directory that is then moved into place as {@code root/<name>}: an archive whose
 * entries all lie in one folder (ml-100k/, ml-10M100K/) gives that folder's contents, an archive
 * without a folder (HetRec) its files. A marker file records the SHA-256 of every extracted file,
 * so a second fetch of verified files does nothing.
 */
public final class DatasetCache {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetCache.class);
    private static final int BUFFER = 1 << 16;

    private final Path root;
    private final HttpClient client;

    /** A cache that extracts archives into {@code root}. */
    public DatasetCache(Path root) {
        this(
                root,
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(Duration.ofSeconds(30))
                        .proxy(ProxySelector.getDefault())
                        .build());
    }

    DatasetCache(Path root, HttpClient client) {
        this.root = root;
        this.client = client;
    }

    /** The directory archives are extracted into. */
    public Path root() {
        return root;
    }

    /**
     * Makes the files of {@code descriptor}'s archive available in {@code root/<name>}, downloading
     * and extracting it unless a previous fetch left them there unchanged. Reports download
     * progress in bytes. A descriptor without a checksum is refused before anything is downloaded.
     */
    public FetchResult fetch(DatasetDescriptor descriptor, Progress progress) {
        Path marker = markerFile(descriptor);
        Path directory = root.resolve(descriptor.name());
        List<String> present = verifiedFiles(descriptor, marker);
        if (!present.isEmpty()) {
            LOG.info("{} {} already present in {}", descriptor.name(), descriptor.version(), root);
            return new FetchResult(directory, relativeTo(descriptor, present), false);
        }
        Checksum expected =
                descriptor
                        .checksum()
                        .orElseThrow(
                                () ->
                                        new ConfigException(
                                                "no checksum is known for "
                                                        + descriptor.name()
                                                        + " ("
                                                        + descriptor.fileName()
                                                        + "): refusing to download it"
                                                        + " unverified"));
        Path archive = null;
        Path staging = null;
        Path existing = nearestExisting(root);
        boolean fetched = false;
        try {
            Files.createDirectories(root);
            archive = Files.createTempFile(root, "." + descriptor.fileName() + ".", ".part");
            String actual = download(descriptor, expected.algorithm(), archive, progress);
            if (!actual.equals(expected.hex())) {
                throw new DataException(
                        "checksum mismatch for "
                                + descriptor.fileName()
                                + " downloaded from "
                                + descriptor.url()
                                + ": expected "
                                + expected.algorithm()
                                + " "
                                + expected.hex()
                                + ", actual "
                                + expected.algorithm()
                                + " "
                                + actual);
            }
            staging = Files.createTempDirectory(root, "." + descriptor.name() + ".extract-");
            extract(descriptor, archive, staging);
            Path contents = contentRoot(staging);
            Files.deleteIfExists(marker);
            AtomicFiles.deleteRecursively(directory);
            Files.move(contents, directory);
            List<String> files = filesUnder(directory);
            writeMarker(descriptor, expected, marker, files);
            LOG.info(
                    "fetched {} {} into {} ({} files)",
                    descriptor.name(),
                    descriptor.version(),
                    directory,
                    files.size());
            fetched = true;
            return new FetchResult(directory, files, true);
        } catch (IOException e) {
            throw new DataException(
                    "cannot fetch " + descriptor.name() + " into " + root + ": " + reason(e), e);
        } finally {
            deleteQuietly(archive);
            deleteQuietly(staging);
            if (!fetched) {
                removeCreated(root, existing);
            }
        }
    }

    /**
     * What becomes {@code root/<name>}: the one folder that holds every extracted entry, or the
     * extraction directory itself when the archive has files at its top or several folders.
     */
    private static Path contentRoot(Path staging) throws IOException {
        try (Stream<Path> top = Files.list(staging)) {
            List<Path> children = top.toList();
            if (children.size() == 1 && Files.isDirectory(children.get(0))) {
                return children.get(0);
            }
            return staging;
        }
    }

    /** The regular files below {@code dir}, relative, '/'-separated and sorted. */
    private static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    /** Marker paths (relative to the root) as paths relative to {@code root/<name>}. */
    private static List<String> relativeTo(DatasetDescriptor descriptor, List<String> files) {
        String prefix = descriptor.name() + "/";
        return files.stream().map(f -> f.substring(prefix.length())).toList();
    }

    /** {@code p} or its nearest ancestor that exists now (null if none does). */
    private static Path nearestExisting(Path p) {
        Path q = p.toAbsolutePath().normalize();
        while (q != null && !Files.exists(q)) {
            q = q.getParent();
        }
        return q;
    }

    /**
     * After a failed fetch, removes the directories this fetch created on the way to {@code dir}
     * (those below {@code existing}, the nearest one that was there before), each only while it is
     * still empty: a failed download leaves no empty directory behind, and nothing that was there
     * before, or that holds anything, is touched.
     */
    private static void removeCreated(Path dir, Path existing) {
        Path q = dir.toAbsolutePath().normalize();
        while (q != null && !q.equals(existing) && (existing == null || q.startsWith(existing))) {
            try {
                Files.deleteIfExists(q); // fails on a non-empty directory, which stays
            } catch (IOException e) {
                return;
            }
            q = q.getParent();
        }
    }

    /**
     * Why a download failed, in words: the JDK's HTTP client throws exceptions whose message is
     * null or a bare class name (a refused connection is a {@code ConnectException} without one).
     */
    static String reason(IOException e) {
        if (e instanceof java.net.ConnectException
                || e.getCause() instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "connection timed out";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof java.net.UnknownHostException
                || e.getCause() instanceof java.net.UnknownHostException) {
            String host = e instanceof java.net.UnknownHostException ? e.getMessage() : null;
            return "unknown host" + (host == null || host.isBlank() ? "" : " " + host);
        }
        if (e instanceof java.io.EOFException) {
            return "the connection closed early";
        }
        return AtomicFiles.reason(e);
    }

    /** Streams the archive into {@code target}, returning its digest under {@code algorithm}. */
    private String download(
            DatasetDescriptor descriptor, String algorithm, Path target, Progress progress)
            throws IOException {
        URI uri = URI.create(descriptor.url());
        HttpRequest request =
                HttpRequest.newBuilder(uri).GET().timeout(Duration.ofMinutes(2)).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("download of " + descriptor.url() + " was interrupted", e);
        } catch (IOException e) {
            throw new DataException("cannot download " + descriptor.url() + ": " + reason(e), e);
        }
        MessageDigest md = Digests.newDigest(algorithm);
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new DataException(
                        "cannot download "
                                + descriptor.url()
                                + ": HTTP status "
                                + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
            progress.start("download " + descriptor.fileName(), total);
            byte[] buf = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(target)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                    progress.step(n);
                }
            }
        } catch (IOException e) {
            throw new DataException("download of " + descriptor.url() + " failed: " + reason(e), e);
        } finally {
            progress.close();
        }
        return Digests.hex(md.digest());
    }

    /**
     * Extracts every entry of {@code archive} under {@code into} after checking that none would
     * land outside it.
     */
    private static void extract(DatasetDescriptor descriptor, Path archive, Path into)
            throws IOException {
        Path base = into.toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            for (ZipEntry e : entries) {
                checkEntry(descriptor, e.getName(), base);
            }
            for (ZipEntry e : entries) {
                Path target = base.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, target);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new DataException(
                    descriptor.fileName()
                            + " from "
                            + descriptor.url()
                            + " is not a valid zip archive: "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Rejects absolute entry names, names with a '..' segment and anything resolving outside {@code
     * base}.
     */
    static void checkEntry(DatasetDescriptor descriptor, String name, Path base) {
        String unified = name.replace('\\', '/');
        boolean bad =
                unified.isEmpty()
                        || unified.startsWith("/")
                        || unified.matches("^[A-Za-z]:.*")
                        || unified.indexOf('\0') >= 0;
        for (String segment : unified.split("/")) {
            if (segment.equals("..")) {
                bad = true;
            }
        }
        if (!bad) {
            Path target = base.resolve(unified).normalize();
            bad = !target.startsWith(base) || target.equals(base);
        }
        if (bad) {
            throw new DataException(
                    "archive "
                            + descriptor.fileName()
                            + " from "
                            + descriptor.url()
                            + " has an entry that would be extracted outside "
                            + base.getParent()
                            + ": '"
                            + name
                            + "'; nothing was extracted");
        }
    }

    private Path markerFile(DatasetDescriptor descriptor) {
        return root.resolve("." + descriptor.name() + ".fetched.json");
    }

    /**
     * Records the fetch beside the data set folder: the checksum the archive matched and the
     * SHA-256 of every extracted file, by its path relative to the root ({@code <name>/...}).
     */
    private static void writeMarker(
            DatasetDescriptor descriptor, Checksum checksum, Path marker, List<String> files) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", descriptor.name());
        json.put("version", descriptor.version());
        json.put("url", descriptor.url());
        json.put("checksum", checksum.toString());
        Map<String, String> digests = new LinkedHashMap<>();
        for (String f : files) {
            String path = descriptor.name() + "/" + f;
            digests.put(path, Digests.sha256(marker.resolveSibling(path)));
        }
        json.put("files", digests);
        DatasetPreparation.writeJson(marker, json);
    }

    /**
     * The files recorded by a previous fetch of the same archive when all are present in {@code
     * root/<name>} with their recorded SHA-256; otherwise an empty list. The recorded checksum must
     * be the descriptor's (a marker of this project's first version records an MD5 as "md5"); a
     * descriptor without a checksum accepts the one recorded.
     */
    private List<String> verifiedFiles(DatasetDescriptor descriptor, Path marker) {
        if (!Files.isRegularFile(marker)) {
            return List.of();
        }
        try {
            JsonNode json =
                    new ObjectMapper().readTree(Files.readString(marker, StandardCharsets.UTF_8));
            String recorded =
                    json.has("checksum")
                            ? json.path("checksum").asText()
                            : "md5:" + json.path("md5").asText();
            if (descriptor.checksum().isPresent()
                    && !descriptor.checksum().get().toString().equals(recorded)) {
                return List.of();
            }
            Path base = root.resolve(descriptor.name()).normalize();
            List<String> files = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = json.path("files").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                Path f = root.resolve(e.getKey()).normalize();
                if (!f.startsWith(base)
                        || !Files.isRegularFile(f)
                        || !Digests.sha256(f).equals(e.getValue().asText())) {
                    LOG.info("{} changed since the last fetch; fetching again", f);
                    return List.of();
                }
                files.add(e.getKey());
            }
            return files;
        } catch (IOException | RuntimeException e) {
            LOG.info("ignoring unreadable {}: {}", marker, e.getMessage());
            return List.of();
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            AtomicFiles.deleteRecursively(p);
        } catch (IOException e) {
            LOG.warn("cannot delete temporary {}: {}", p, e.getMessage());
        }
    }
}
