package io.accent.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * Paths given as URIs ({@code hdfs://}, {@code s3a://}, {@code file://}) through Hadoop's
 * FileSystem: before the command runs, each is copied into a local temporary directory (the model,
 * pairs, existing result files and caches) and the command sees the local copy; after a successful
 * run, the outputs ({@code --out}, {@code --explanations}, {@code --cache}) are copied back.
 * Executors copy the model themselves ({@link ExecutorSide#modelDir}).
 */
final class RemotePaths implements AutoCloseable {

    private static final Pattern URI_LIKE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

    /** Options whose value is a path that may be a URI. */
    private static final Set<String> PATH_OPTIONS =
            Set.of("--model", "--out", "--explanations", "--pairs", "--cache");

    /** Of those, the ones written by the command (copied back after it). */
    private static final Set<String> OUTPUTS = Set.of("--out", "--explanations", "--cache");

    private final String[] localArgs;
    private final Map<String, String> localToRemote;
    private final Map<String, String> published;
    private final List<Path> temporary;

    private RemotePaths(
            String[] localArgs,
            Map<String, String> localToRemote,
            Map<String, String> published,
            List<Path> temporary) {
        this.localArgs = localArgs;
        this.localToRemote = localToRemote;
        this.published = published;
        this.temporary = temporary;
    }

    /** An input URI that does not exist, with the exit code the core gives such a path. */
    static final class Missing extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        Missing(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    static boolean isRemote(String path) {
        return URI_LIKE.matcher(path).matches();
    }

    /** Copies the URIs among {@code args}' path options to local temporary directories. */
    static RemotePaths stage(String[] args) {
        String[] out = args.clone();
        Map<String, String> localToRemote = new LinkedHashMap<>();
        Map<String, String> published = new LinkedHashMap<>();
        List<Path> temporary = new ArrayList<>();
        Configuration conf = null;
        for (int i = 0; i < out.length; i++) {
            String option = out[i];
            String value;
            boolean joined = false;
            int eq = option.indexOf('=');
            if (eq > 0 && PATH_OPTIONS.contains(option.substring(0, eq))) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
                joined = true;
            } else if (PATH_OPTIONS.contains(option) && i + 1 < out.length) {
                value = out[i + 1];
            } else {
                continue;
            }
            if (!isRemote(value)) {
                continue;
            }
            if (conf == null) {
                conf = SparkHadoopUtil.get().newConfiguration(new SparkConf());
            }
            boolean exists = exists(value, conf);
            if (!exists && option.equals("--model")) {
                throw new Missing("model directory " + value + " does not exist", 4);
            }
            if (!exists && !option.equals("--out") && !option.equals("--cache")) {
                throw new Missing("no such file or directory: " + value, 3);
            }
            Path local = exists ? download(value, conf) : emptyTemp();
            temporary.add(local.getParent());
            localToRemote.put(local.toString(), value);
            if (OUTPUTS.contains(option)) {
                published.put(local.toString(), value);
            }
            if (joined) {
                out[i] = option + "=" + local;
            } else {
                out[i + 1] = local.toString();
                i++;
            }
        }
        return new RemotePaths(out, localToRemote, published, temporary);
    }

    /** The arguments with local copies in place of the URIs. */
    String[] localArgs() {
        return localArgs.clone();
    }

    /** Where executors find {@code local} (a path this object made, or any local path). */
    String source(Path local) {
        String remote = localToRemote.get(local.toString());
        return remote != null ? remote : local.toAbsolutePath().normalize().toString();
    }

    /** Copies the outputs back to their URIs. */
    void publish() {
        if (published.isEmpty()) {
            return;
        }
        Configuration conf = SparkHadoopUtil.get().newConfiguration(new SparkConf());
        for (Map.Entry<String, String> e : published.entrySet()) {
            Path local = Path.of(e.getKey());
            if (!Files.exists(local)) {
                continue;
            }
            try {
                org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(e.getValue());
                FileSystem fs = dst.getFileSystem(conf);
                if (fs instanceof org.apache.hadoop.fs.LocalFileSystem lfs) {
                    fs = lfs.getRaw(); // no .crc files beside the outputs
                }
                if (Files.isDirectory(local)) {
                    try (Stream<Path> files = Files.list(local)) {
                        fs.mkdirs(dst);
                        for (Path f : files.toList()) {
                            fs.copyFromLocalFile(
                                    false,
                                    true,
                                    new org.apache.hadoop.fs.Path(f.toUri()),
                                    new org.apache.hadoop.fs.Path(dst, f.getFileName().toString()));
                        }
                    }
                } else {
                    fs.copyFromLocalFile(
                            false, true, new org.apache.hadoop.fs.Path(local.toUri()), dst);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot copy " + local + " to " + e.getValue(), ex);
            }
        }
    }

    @Override
    public void close() {
        for (Path t : temporary) {
            delete(t);
        }
    }

    /** The Hadoop settings of an executor (Spark's {@code spark.hadoop.*} included). */
    static Configuration executorConfiguration() {
        SparkEnv env = SparkEnv.get();
        return SparkHadoopUtil.get().newConfiguration(env == null ? new SparkConf() : env.conf());
    }

    private static boolean exists(String uri, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(uri));
            return p.getFileSystem(conf).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + uri, e);
        }
    }

    /** Copies {@code uri} (a file or a directory tree) into a new temporary directory. */
    static Path download(String uri, Configuration conf) {
        try {
            Path dir = Files.createTempDirectory("accent-spark-");
            org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(URI.create(uri));
            Path local = dir.resolve(src.getName().isEmpty() ? "root" : src.getName());
            src.getFileSystem(conf)
                    .copyToLocalFile(
                            false, src, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + uri + " to a local directory", e);
        }
    }

    private static Path emptyTemp() {
        try {
            return Files.createTempDirectory("accent-spark-").resolve("out");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
