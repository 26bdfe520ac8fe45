package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.Json;
import io.accent.core.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data prepare} writes {@code attributes.tsv} when the layout has item attributes (MovieLens
 * genres of 1M to 32M, HetRec's three kinds) and records it in {@code dataset.json}.
 */
class PrepareAttributesTest {

    @TempDir Path tmp;

    private static PreparationSummary prepare(Path in, Path out) {
        return DatasetPreparation.prepare(
                new PrepareConfig(
                        RatingSource.movielens(in),
                        Optional.empty(),
                        out,
                        "attrs-test",
                        SplitRule.REFERENCE,
                        false),
                Progress.NONE);
    }

    @Test
    void movieLensGenresAreWrittenAndRecorded() throws IOException {
        Path in = PrepareParametersTest.writeCsvLayout(tmp.resolve("ml-csv"), 3);
        Path out = tmp.resolve("prepared");
        prepare(in, out);
        ItemAttributes a = ItemAttributes.read(out.resolve(ItemAttributes.FILE_NAME));
        assertEquals(List.of("genre"), a.kinds());
        assertEquals(60, a.size());
        assertArrayEquals(new int[] {0}, a.values(17, 0));
        assertEquals("Drama", a.valueName(0, 0));
        JsonNode json = Json.mapper().readTree(out.resolve(PreparedDataset.DESCRIPTOR).toFile());
        assertEquals(
                Digests.sha256(out.resolve(ItemAttributes.FILE_NAME)),
                json.path("files").path(ItemAttributes.FILE_NAME).asText());
        assertEquals(1, json.path("attributes").path("kinds").path("genre").asInt());
        assertEquals(60, json.path("attributes").path("rows").asInt());
        PreparedDataset.load(out);
    }

    /** A HetRec-style directory: 30 users rating 40 of 60 movies, with or without attributes. */
    private Path writeHetrec(Path dir, boolean attributes) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(5);
        StringBuilder r = new StringBuilder("userID\tmovieID\trating\ttimestamp\n");
        for (int u = 1; u <= 30; u++) {
            List<Integer> items = new java.util.ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                items.add(i);
            }
            java.util.Collections.shuffle(items, rnd);
            for (int k = 0; k < 40; k++) {
                int stars = k % 2 == 0 ? 3 + rnd.nextInt(3) : 1 + rnd.nextInt(2);
                r.append(u).append('\t').append(items.get(k)).append('\t').append(stars);
                r.append('\t').append(1_000_000_000L + rnd.nextInt(500_000)).append('\n');
            }
        }
        Files.writeString(dir.resolve("user_ratedmovies-timestamps.dat"), r);
        StringBuilder m = new StringBuilder("id\ttitle\timdbID\n");
        StringBuilder g = new StringBuilder("movieID\tgenre\n");
        StringBuilder d = new StringBuilder("movieID\tdirectorID\tdirectorName\n");
        StringBuilder a = new StringBuilder("movieID\tactorID\tactorName\tranking\n");
        for (int i = 1; i <= 60; i++) {
            m.append(i).append("\tMovie ").append(i).append('\t').append(100 + i).append('\n');
            g.append(i).append(i % 2 == 0 ? "\tDrama\n" : "\tComedy\n");
            d.append(i).append("\td").append(i % 7).append("\tD ").append(i % 7).append('\n');
            a.append(i).append("\ta").append(i % 11).append("\tA\t1\n");
            a.append(i).append("\ta").append(11 + i % 5).append("\tB\t2\n");
        }
        Files.writeString(dir.resolve("movies.dat"), m);
        if (attributes) {
            Files.writeString(dir.resolve("movie_genres.dat"), g);
            Files.writeString(dir.resolve("movie_directors.dat"), d);
            Files.writeString(dir.resolve("movie_actors.dat"), a);
        }
        return dir;
    }

    @Test
    void hetrecAttributesAreWrittenWhenTheirFilesAreThere() throws IOException {
        Path out = tmp.resolve("prepared");
        prepare(writeHetrec(tmp.resolve("hetrec"), true), out);
        ItemAttributes a = ItemAttributes.read(out.resolve(ItemAttributes.FILE_NAME));
        assertEquals(List.of("genre", "director", "actor"), a.kinds());
        assertEquals(60, a.size());
        assertEquals(2, a.vocabularySize(0));
        assertEquals(7, a.vocabularySize(1));
        assertEquals(16, a.vocabularySize(2));
        assertEquals(2, a.values(12, 2).length);
        JsonNode json = Json.mapper().readTree(out.resolve(PreparedDataset.DESCRIPTOR).toFile());
        assertTrue(json.path("files").has(ItemAttributes.FILE_NAME));
        assertTrue(json.path("sources").has("movie_actors.dat"));
        assertEquals(16, json.path("attributes").path("kinds").path("actor").asInt());

        Path bare = tmp.resolve("bare");
        prepare(writeHetrec(tmp.resolve("hetrec-bare"), false), bare);
        assertFalse(Files.exists(bare.resolve(ItemAttributes.FILE_NAME)));
        JsonNode bj = Json.mapper().readTree(bare.resolve(PreparedDataset.DESCRIPTOR).toFile());
        assertFalse(bj.has("attributes"));
        assertFalse(bj.path("files").has(ItemAttributes.FILE_NAME));
    }
}
