package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.accent.core.DataException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @TempDir Path tmp;

    private static BufferedImage read(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        assertArrayEquals(magic, java.util.Arrays.copyOf(bytes, 8), png + " lacks the PNG signature");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " is not a readable image");
        return img;
    }

    private void assertOnlyFiles(String... names) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(
                    List.of(names),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "temporary files left behind");
        }
    }

    @Test
    void scatterIsAPngOfTheRequestedSize() throws IOException {
        Path png = tmp.resolve("scatter.png");
        Charts.scatter(png, "NCF: predicted vs actual gap",
                List.of(new double[] {-0.2, -0.1}, new double[] {0.3, 0.5}, new double[] {-1, -2}));
        BufferedImage img = read(png);
        assertEquals(Charts.SCATTER_SIZE, img.getWidth());
        assertEquals(Charts.SCATTER_SIZE, img.getHeight());

        // overwriting, another size, no points
        Charts.scatter(png, "empty", List.of(), 320, 200);
        BufferedImage again = read(png);
        assertEquals(320, again.getWidth());
        assertEquals(200, again.getHeight());
        assertOnlyFiles("scatter.png");
    }

    @Test
    void badPointsAreRejectedWithoutWritingAFile() throws IOException {
        Path png = tmp.resolve("bad.png");
        assertThrows(DataException.class,
                () -> Charts.scatter(png, "t", List.of(new double[] {1, Double.NaN})));
        assertThrows(DataException.class,
                () -> Charts.scatter(png, "t", List.of(new double[] {1, 2, 3})));
        assertThrows(IllegalArgumentException.class,
                () -> Charts.scatter(png, "t", List.of(), 0, 10));
        assertOnlyFiles();
    }

    @Test
    void tableIsAPngOfTheRequestedSize() throws IOException {
        Map<String, Map<Integer, OutcomeStats>> results = new LinkedHashMap<>();
        results.put("Pure FIA", Map.of(
                5, new OutcomeStats(452, 400, 400, 245, 54.20, 9.08),
                10, new OutcomeStats(452, 400, 400, 254, 56.19, 9.46)));
        results.put("ACCENT", Map.of(
                5, new OutcomeStats(452, 420, 420, 259, 57.30, 4.73),
                10, new OutcomeStats(452, 420, 420, 261, 57.74, 4.69),
                20, new OutcomeStats(452, 420, 420, 0, 0.0, Double.NaN)));
        Path png = tmp.resolve("table1.png");
        Charts.table(png, results);
        BufferedImage img = read(png);
        assertEquals(Charts.TABLE_WIDTH, img.getWidth());
        assertEquals(Charts.TABLE_HEIGHT, img.getHeight());
        Path small = tmp.resolve("small.png");
        Charts.table(small, results, 400, 300);
        assertEquals(400, read(small).getWidth());
        assertEquals(300, read(small).getHeight());
        assertOnlyFiles("small.png", "table1.png");
    }
}
