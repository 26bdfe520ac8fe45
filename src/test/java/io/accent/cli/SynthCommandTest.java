package io.accent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accent data synth} with --shape and --ratings: how the options combine. */
class SynthCommandTest {

    @TempDir Path tmp;

    static DataCommandTest.Run run(String... args) {
        return DataCommandTest.run(args);
    }

    @Test
    void shapeWithFewerUsersKeepsItsRatingsPerUserAndLayout() throws IOException {
        Path out = tmp.resolve("ml1m");
        DataCommandTest.Run r =
                run(
                        "data",
                        "synth",
                        "--shape",
                        "ml-1m",
                        "--users",
                        "60",
                        "--items",
                        "400",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        // 1,000,209 ratings per 6,040 users, for 60 users
        assertTrue(r.out().contains("60 users, 400 movies, 9936 ratings"), r.out());
        List<String> rows =
                Files.readAllLines(out.resolve("ratings.dat"), StandardCharsets.ISO_8859_1);
        assertEquals(9936, rows.size());
        assertTrue(rows.get(0).matches("1::\\d+::[1-5]::\\d+"), rows.get(0));
        assertTrue(Files.isRegularFile(out.resolve("movies.dat")));
        assertFalse(Files.exists(out.resolve("u.data")));
    }

    @Test
    void ratingsWithoutAShapeUseTheCsvLayout() throws IOException {
        Path out = tmp.resolve("csv");
        DataCommandTest.Run r =
                run(
                        "data",
                        "synth",
                        "--ratings",
                        "3000",
                        "--users",
                        "50",
                        "--items",
                        "150",
                        "--seed",
                        "3",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(out.resolve("ratings.csv"));
        assertEquals("userId,movieId,rating,timestamp", rows.get(0));
        assertEquals(3001, rows.size());
        assertEquals("movieId,title,genres", Files.readAllLines(out.resolve("movies.csv")).get(0));
    }

    @Test
    void badShapesAreUsageErrors() {
        Path out = tmp.resolve("bad");
        DataCommandTest.Run name =
                run("data", "synth", "--shape", "ml-5m", "--out", out.toString());
        assertEquals(2, name.code());
        assertTrue(name.err().contains("one of ml-1m, ml-20m"), name.err());
        DataCommandTest.Run few =
                run("data", "synth", "--ratings", "100", "--users", "30", "--out", out.toString());
        assertEquals(2, few.code());
        assertTrue(few.err().contains("--ratings 100 is out of range 600.."), few.err());
        assertFalse(Files.exists(out));
    }
}
