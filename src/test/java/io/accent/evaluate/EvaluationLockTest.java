package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.DataException;
import io.accent.core.FileLocks;
import io.accent.core.Progress;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An evaluation holds its lock on the result files for the whole run, against other processes too:
 * checked from a second JVM while a run is paused in its retraining (on POSIX systems a lock is
 * lost when the process closes any other descriptor of the file, e.g. by reading it).
 */
class EvaluationLockTest {

    @TempDir Path root;

    /** Tries the lock a writing evaluate takes and prints {@code locked} or {@code busy}. */
    public static void main(String[] args) {
        try (FileLocks.Held h =
                FileLocks.lockAll(List.of(Path.of(args[0])), 0, Long.MAX_VALUE, f -> "busy")) {
            System.out.println("locked");
        } catch (DataException e) {
            System.out.println(e.getMessage());
        }
    }

    static String tryFromAnotherProcess(Path file) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                EvaluationLockTest.class.getName(),
                                file.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void aRunningEvaluationKeepsOtherProcessesOut() throws Exception {
        try (TrainedModel m = ModelStore.load(ShardedEvaluationTest.MODEL)) {
            Path file = ShardedEvaluationTest.writeFile(m, root.resolve("expl"));
            assertEquals("locked", tryFromAnotherProcess(file), "nothing holds the file yet");
            CountDownLatch retraining = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            Progress pause =
                    new Progress() {
                        @Override
                        public void start(String task, long total) {
                            retraining.countDown();
                            try {
                                resume.await(120, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }

                        @Override
                        public void step(long units) {}
                    };
            EvaluationJob config =
                    EvaluationJob.ncf(
                            List.of(file),
                            1,
                            5,
                            new long[0],
                            Optional.empty(),
                            4,
                            1,
                            root.resolve("cache"));
            CompletableFuture<EvaluationRun.Summary> run =
                    CompletableFuture.supplyAsync(() -> (config).run(m, pause));
            try {
                assertTrue(retraining.await(120, TimeUnit.SECONDS), "the run reached retraining");
                // the run has read the files by now; its lock must still keep others out
                assertEquals("busy", tryFromAnotherProcess(file));
            } finally {
                resume.countDown();
            }
            assertEquals(7, run.get(120, TimeUnit.SECONDS).distinctSets());
            assertEquals("locked", tryFromAnotherProcess(file), "released after the run");
        }
    }
}
