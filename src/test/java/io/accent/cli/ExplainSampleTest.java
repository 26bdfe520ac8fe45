package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.SeededSample;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code explain --sample N}: a seeded sample of the model's users, the same on every run. */
class ExplainSampleTest {

    static final String MODEL = "saved-models/ncf-synthetic";

    private static int[] usersOf(DataCommandTest.Run r) {
        return r.out()
                .lines()
                .skip(1)
                .filter(l -> l.matches("\\d+,.*"))
                .mapToInt(l -> Integer.parseInt(l.substring(0, l.indexOf(','))))
                .distinct()
                .sorted()
                .toArray();
    }

    @Test
    void aSampleIsSeededAndDrawnFromTheModelsUsers() {
        String[] args = {
            "explain",
            "--model",
            MODEL,
            "--sample",
            "4",
            "--sample-seed",
            "7",
            "--k",
            "5",
            "--format",
            "csv"
        };
        DataCommandTest.Run a = DataCommandTest.run(args);
        assertEquals(0, a.code(), a.err());
        int[] users = usersOf(a);
        int[] all;
        try (TrainedModel m = ModelStore.load(Path.of(MODEL))) {
            all = m.users().rawIds();
        }
        assertArrayEquals(SeededSample.of(all, 4, 7), users);
        assertArrayEquals(users, usersOf(DataCommandTest.run(args)));
        int[] other =
                usersOf(
                        DataCommandTest.run(
                                "explain",
                                "--model",
                                MODEL,
                                "--sample",
                                "4",
                                "--sample-seed",
                                "8",
                                "--k",
                                "5",
                                "--format",
                                "csv"));
        assertEquals(4, other.length);
        assertTrue(!Arrays.equals(users, other), "another seed, another sample");
    }

    @Test
    void aSampleIsCheckedBeforeTheModelLoads() {
        String missing = "no-such-model";
        DataCommandTest.Run zero =
                DataCommandTest.run("explain", "--model", missing, "--sample", "0");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("--sample must be positive"), zero.err());
        DataCommandTest.Run both =
                DataCommandTest.run("explain", "--model", missing, "--users", "2", "--sample", "3");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("give --users or --sample, not both"), both.err());
    }
}
