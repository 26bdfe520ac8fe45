package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded evaluation on the embedded model: shards partition the sets, and merged caches are
 * portable.
 */
public class ShardedEvaluationTest {

    static final Path MODEL = Path.of("saved-models/ncf-synthetic");

    @TempDir Path root;

    /** One row per user: top 5, a set of one or two rated items, the second item as replacement. */
    static Path writeFile(TrainedModel m, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder b =
                new StringBuilder("user,item,topk,counterfactual,predicted_scores,replacement\n");
        for (int u = 0; u < 7; u++) {
            List<ScoredItem> top = m.recommend(u, 5);
            List<Integer> raw =
                    top.stream()
                            .map(s -> ((io.accent.ncf.NcfModel) m).data().items().raw(s.item()))
                            .toList();
            int[] rows = ((io.accent.ncf.NcfModel) m).data().train().rowsOf(u);
            List<Integer> cf = new ArrayList<>();
            for (int k = 0; k <= u % 2; k++) {
                cf.add(
                        ((io.accent.ncf.NcfModel) m)
                                .data()
                                .items()
                                .raw(((io.accent.ncf.NcfModel) m).data().train().item(rows[k])));
            }
            String preds =
                    top.stream()
                            .map(s -> String.valueOf((double) s.score()))
                            .collect(Collectors.joining(", "));
            b.append(((io.accent.ncf.NcfModel) m).data().users().raw(u))
                    .append(',')
                    .append(raw.get(0))
                    .append(",\"")
                    .append(raw)
                    .append("\",\"{")
                    .append(cf.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append("}\",\"[")
                    .append(preds)
                    .append("]\",")
                    .append(raw.get(1))
                    .append('\n');
        }
        Path f = dir.resolve("accent_5.csv");
        Files.writeString(f, b.toString());
        return f;
    }

    static EvaluationJob config(Path file, int batch, Path cache) {
        return EvaluationJob.ncf(
                List.of(file), 2, 20, new long[] {6}, Optional.empty(), batch, 1, cache);
    }

    public static void copyInto(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!Files.exists(t)) {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void shardsPartitionTheSetsAndTheirMergedCachesGiveTheUnshardedFileByteForByte()
            throws IOException {
        try (TrainedModel m = ModelStore.load(MODEL)) {
            Path whole = writeFile(m, root.resolve("whole"));
            EvaluationRun.Summary all =
                    (config(whole, 4, root.resolve("whole-cache"))).run(m, Progress.NONE);
            assertEquals(7, all.distinctSets());
            assertEquals(14, all.retrainsDone());

            Path sharded = writeFile(m, root.resolve("sharded"));
            byte[] before = Files.readAllBytes(sharded);
            Path merged = root.resolve("merged");
            int sets = 0;
            for (int i = 1; i <= 3; i++) {
                Path cache = root.resolve("machine-" + i).resolve("cache");
                // another batch size than the unsharded run: results must not depend on the
                // batching
                EvaluationRun.Summary s =
                        (config(sharded, 3, cache)).run(m, new Shard(i, 3), Progress.NONE);
                assertTrue(s.files().isEmpty());
                assertEquals(2 * s.distinctSets(), s.retrainsDone());
                sets += s.distinctSets();
                assertArrayEquals(
                        before, Files.readAllBytes(sharded), "a shard must not write result files");
                copyInto(cache, merged);
            }
            assertEquals(7, sets);
            EvaluationRun.Summary fin = (config(sharded, 4, merged)).run(m, Progress.NONE);
            assertEquals(0, fin.retrainsDone());
            assertEquals(14, fin.retrainsCached());
            assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(sharded));

            // the cache moved elsewhere is still reused: nothing in it names its directory or
            // machine
            Files.createDirectories(root.resolve("elsewhere"));
            Path moved = Files.move(merged, root.resolve("elsewhere").resolve("retrains"));
            try (Stream<Path> s = Files.walk(moved)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(p);
                    assertFalse(text.contains(root.toString()), p + " names an absolute path");
                }
            }
            Path again = writeFile(m, root.resolve("again"));
            EvaluationRun.Summary reused = (config(again, 2, moved)).run(m, Progress.NONE);
            assertEquals(0, reused.retrainsDone());
            assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(again));
        }
    }

    @Test
    void shardSelectionIsAPartition() {
        List<Integer> sorted = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Set<Integer> seen = new HashSet<>();
        for (int i = 1; i <= 4; i++) {
            List<Integer> part = new Shard(i, 4).select(sorted);
            assertTrue(part.size() == 2 || part.size() == 3);
            for (int x : part) {
                assertTrue(seen.add(x), "element " + x + " in two shards");
            }
        }
        assertEquals(10, seen.size());
        assertEquals(new Shard(2, 5), Shard.parse(" 2/5"));
        assertThrows(ConfigException.class, () -> Shard.parse("0/3"));
        assertThrows(ConfigException.class, () -> Shard.parse("4/3"));
        assertThrows(ConfigException.class, () -> Shard.parse("two"));
    }
}
