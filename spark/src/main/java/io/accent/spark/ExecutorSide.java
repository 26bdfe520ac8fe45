package io.accent.spark;

import io.accent.tf.TfSessions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/** What a task does in its executor before its work: GPUs, the model's local copy, test hooks. */
final class ExecutorSide {

    private ExecutorSide() {}

    /** Remote models copied into this executor, by URI: each is copied once per process. */
    private static final Map<String, Path> STAGED = new ConcurrentHashMap<>();

    /** Values of {@code accent.spark.test.failOnce} whose task has failed in this process. */
    private static final java.util.Set<String> FAILED = ConcurrentHashMap.newKeySet();

    /**
     * Pins this process's TensorFlow sessions to the GPUs Spark assigned the task ({@code
     * spark.task.resource.gpu.amount}); nothing when it assigned none.
     */
    static void pinGpus(TaskContext context) {
        scala.Option<ResourceInformation> gpu = context.resources().get("gpu");
        if (gpu.isDefined() && gpu.get().addresses().length > 0) {
            TfSessions.pinGpus(String.join(",", gpu.get().addresses()));
        }
    }

    /**
     * The local directory of the model {@code source}: the path itself, or for a URI with a scheme
     * ({@code hdfs://}, {@code s3a://}, {@code file://}) a copy in a temporary directory, made once
     * per executor process.
     */
    static Path modelDir(String source) {
        if (!RemotePaths.isRemote(source)) {
            return Path.of(source);
        }
        return STAGED.computeIfAbsent(
                source, s -> RemotePaths.download(s, RemotePaths.executorConfiguration()));
    }

    /**
     * Test hook: with the system property {@code accent.spark.test.failOnce} set to a token, the
     * first task of the process to get here throws, once per token; Spark retries it when {@code
     * spark.task.maxFailures} allows (master {@code local[N,2]}).
     */
    static void maybeFailOnce() {
        String token = System.getProperty("accent.spark.test.failOnce");
        if (token != null && FAILED.add(token)) {
            throw new IllegalStateException(
                    "accent.spark.test.failOnce=" + token + ": this task fails once");
        }
    }

    /** Whether the hook has failed a task for {@code token} in this process. */
    static boolean failedOnce(String token) {
        return FAILED.contains(token);
    }

    /**
     * What tasks opened (a model with its influence engine or retraining), kept for the next task
     * of this process with the same key, as {@code accent} keeps one for all its users or chunks;
     * each is used by one task at a time.
     */
    private static final Map<String, java.util.Deque<AutoCloseable>> IDLE =
            new ConcurrentHashMap<>();

    /**
     * Runs {@code body} on an idle resource of {@code key}, or on a new one from {@code open}, and
     * keeps it for the next task; a resource whose task failed is closed instead.
     */
    static <T extends AutoCloseable, R> R withOpened(
            String key,
            java.util.function.Supplier<T> open,
            java.util.function.Function<T, R> body) {
        java.util.Deque<AutoCloseable> idle =
                IDLE.computeIfAbsent(key, k -> new java.util.concurrent.ConcurrentLinkedDeque<>());
        @SuppressWarnings("unchecked")
        T r = (T) idle.pollFirst();
        if (r == null) {
            r = open.get();
        }
        boolean ok = false;
        try {
            R out = body.apply(r);
            ok = true;
            return out;
        } finally {
            if (ok) {
                idle.addFirst(r);
            } else {
                closeQuietly(r);
            }
        }
    }

    /** Closes every kept resource (the driver's in-process executor, when the job ends). */
    static void closeAll() {
        for (java.util.Deque<AutoCloseable> idle : IDLE.values()) {
            for (AutoCloseable r = idle.pollFirst(); r != null; r = idle.pollFirst()) {
                closeQuietly(r);
            }
        }
        IDLE.clear();
    }

    private static void closeQuietly(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception e) {
            // closing native memory after a failure: nothing more to report
        }
    }
}
