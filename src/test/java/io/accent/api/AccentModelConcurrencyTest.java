package io.accent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two threads explaining different users through one handle get what one thread gets explaining
 * them in turn.
 */
class AccentModelConcurrencyTest {

    @Test
    void ncfThreadsAgreeWithOneThread() throws Exception {
        int[] all = usersOf("saved-models/ncf-synthetic");
        check(
                "saved-models/ncf-synthetic",
                Arrays.copyOfRange(all, 0, 6),
                new LinkedHashSet<>(List.of("accent", "fia")),
                5,
                10,
                20);
    }

    @Test
    void rcfThreadsAgreeWithOneThread() throws Exception {
        int[] all = usersOf("saved-models/rcf-synthetic");
        check(
                "saved-models/rcf-synthetic",
                new int[] {2, all[0], all[all.length - 1]},
                new LinkedHashSet<>(List.of("accent", "pure-fia")),
                5,
                10);
    }

    private static int[] usersOf(String dir) {
        try (AccentModel m = Accent.open(Path.of(dir))) {
            return m.users();
        }
    }

    private static void check(String dir, int[] users, Set<String> algos, int... ks)
            throws Exception {
        try (AccentModel model = Accent.open(Path.of(dir))) {
            Map<Integer, UserExplanations> sequential = new LinkedHashMap<>();
            for (int u : users) {
                sequential.put(u, model.explain(u, algos, ks));
            }
            // two threads, each explaining every other user, started together
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Map<Integer, UserExplanations>>> parts = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int first = t;
                    parts.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        Map<Integer, UserExplanations> out = new LinkedHashMap<>();
                                        for (int i = first; i < users.length; i += 2) {
                                            out.put(users[i], model.explain(users[i], algos, ks));
                                        }
                                        return out;
                                    }));
                }
                start.countDown();
                Map<Integer, UserExplanations> concurrent = new LinkedHashMap<>();
                for (Future<Map<Integer, UserExplanations>> f : parts) {
                    concurrent.putAll(f.get());
                }
                for (int u : users) {
                    assertEquals(sequential.get(u), concurrent.get(u), "user " + u);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
