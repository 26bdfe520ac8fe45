package io.accent.rcf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.TestModels;
import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.data.Digests;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user with no training positives: training notes it, score and recommend refuse it by raw id.
 */
class RcfNoPositivesTest {

    @Test
    void userWithoutPositivesIsCountedByTrainAndRefusedByScore(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        try (Stream<Path> files = Files.list(TestModels.smallData())) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(f.getFileName()));
            }
        }
        // drop every training triple of the first user (its raw id is the first column)
        Path train = data.resolve("rcf-train.csv");
        List<String> lines = Files.readAllLines(train);
        String raw = lines.get(1).split(",")[0];
        String before = Digests.sha256(train);
        Files.write(
                train,
                lines.stream().filter(l -> !l.startsWith(raw + ",")).collect(Collectors.toList()));
        Path descriptor = data.resolve("dataset.json");
        Files.writeString(
                descriptor, Files.readString(descriptor).replace(before, Digests.sha256(train)));

        Path out = tmp.resolve("m");
        RcfTraining.Report report =
                RcfTraining.run(data, out, RcfTrainerTest.small(1, 3), 1, Progress.NONE);
        assertEquals(1, report.usersWithoutPositives());
        try (TrainedModel m = ModelStore.load(out)) {
            int user = m.users().index(Integer.parseInt(raw)).orElseThrow();
            int other = (user + 1) % m.users().size();
            assertTrue(Float.isFinite(m.score(new int[] {other}, new int[] {0})[0]));
            DataException e =
                    assertThrows(
                            DataException.class,
                            () -> m.score(new int[] {other, user}, new int[] {0, 0}));
            assertTrue(
                    e.getMessage()
                            .startsWith("user " + raw + " (pair 2) has no training positives"),
                    e.getMessage());
        }
    }
}
