package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertArrayEquals(
                magic, java.util.Arrays.copyOf(bytes, 8), png + " lacks the PNG signature");
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
        Charts.scatter(
                png,
                "NCF: predicted vs actual gap",
                List.of(new double[] {-0.2, -0.1}, new double[] {0.3, 0.5}, new double[] {-1, -2}));
        BufferedImage img = read(png);
        assertEquals(Charts.SCATTER_SIZE, img.getWidth());
        assertEquals(Charts.SCATTER_SIZE, img.getHeight());
        // content: the points (translucent blue over white) and the dashed diagonal are drawn
        int ink = ChartPixels.inkInPlotArea(img);
        assertTrue(ink > 500, "plot area nearly blank: " + ink);
        assertTrue(
                ChartPixels.pixelsOf(img, java.awt.Color.DARK_GRAY) > 50,
                "the y = x diagonal is missing");
        assertTrue(bluish(img) > 49 + 3 * 20, "the points are missing: " + bluish(img));

        // overwriting, another size, no points: no point colour at all
        Charts.scatter(png, "empty", List.of(), 320, 200);
        BufferedImage again = read(png);
        assertTrue(bluish(again) <= 49, "only the legend marker: " + bluish(again));
        assertEquals(320, again.getWidth());
        assertEquals(200, again.getHeight());
        assertOnlyFiles("scatter.png");
    }

    /**
     * Pixels where the translucent point colour (31, 119, 180, alpha 160) was blended over white.
     */
    private static int bluish(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (b > 150 && r < 140 && g < 180 && b - r > 60) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void badPointsAreRejectedWithoutWritingAFile() throws IOException {
        Path png = tmp.resolve("bad.png");
        assertThrows(
                DataException.class,
                () -> Charts.scatter(png, "t", List.of(new double[] {1, Double.NaN})));
        assertThrows(
                DataException.class,
                () -> Charts.scatter(png, "t", List.of(new double[] {1, 2, 3})));
        assertThrows(
                IllegalArgumentException.class, () -> Charts.scatter(png, "t", List.of(), 0, 10));
        assertOnlyFiles();
    }

    @Test
    void tableIsAPngOfTheRequestedSize() throws IOException {
        Map<String, Map<Integer, OutcomeStats>> results = new LinkedHashMap<>();
        results.put(
                "Pure FIA",
                Map.of(
                        5, new OutcomeStats(452, 400, 400, 245, 54.20, 9.08),
                        10, new OutcomeStats(452, 400, 400, 254, 56.19, 9.46)));
        results.put(
                "ACCENT",
                Map.of(
                        5, new OutcomeStats(452, 420, 420, 259, 57.30, 4.73),
                        10, new OutcomeStats(452, 420, 420, 261, 57.74, 4.69),
                        20, new OutcomeStats(452, 420, 420, 0, 0.0, Double.NaN)));
        Path png = tmp.resolve("table1.png");
        Charts.table(png, results);
        BufferedImage img = read(png);
        assertEquals(Charts.TABLE_WIDTH, img.getWidth());
        assertEquals(Charts.TABLE_HEIGHT, img.getHeight());
        // content: per panel, one bar per (explainer, k) with a finite, nonzero value: Pure FIA
        // k=5, 10 and
        // ACCENT k=5, 10 (ACCENT k=20 has 0% and no size)
        java.awt.Color[] bars = {
            new java.awt.Color(31, 119, 180),
            new java.awt.Color(255, 127, 14),
            new java.awt.Color(44, 160, 44)
        };
        assertEquals(4, ChartPixels.barsOnOneRow(img, bars));
        assertTrue(
                ChartPixels.pixelsOf(img, bars[0]) > 200
                        && ChartPixels.pixelsOf(img, bars[1]) > 200);
        Path small = tmp.resolve("small.png");
        Charts.table(small, results, 400, 300);
        assertEquals(400, read(small).getWidth());
        assertEquals(300, read(small).getHeight());
        assertOnlyFiles("small.png", "table1.png");
    }
}
