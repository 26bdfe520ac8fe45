package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Content checks of rendered charts: what is drawn, not only that a PNG exists. */
public final class ChartPixels {

    private ChartPixels() {}

    public static BufferedImage read(Path png) {
        try {
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, png + " is not a readable image");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pixels of the central region (the middle 60% in each direction, where the plot is) that are
     * not white.
     */
    public static int inkInPlotArea(BufferedImage img) {
        int n = 0;
        for (int y = img.getHeight() / 5; y < img.getHeight() * 4 / 5; y++) {
            for (int x = img.getWidth() / 5; x < img.getWidth() * 4 / 5; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels of exactly this colour (alpha ignored) anywhere in the image. */
    public static int pixelsOf(BufferedImage img, Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * The largest number of separate horizontal runs (at least 3 pixels wide) of the given bar
     * colours met on one row of the image: with bars that start from a common baseline, the number
     * of bars drawn in the panel.
     */
    public static int barsOnOneRow(BufferedImage img, Color... colours) {
        int best = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            int runs = 0;
            int len = 0;
            int prev = -1;
            for (int x = 0; x <= img.getWidth(); x++) {
                int rgb = x < img.getWidth() ? img.getRGB(x, y) & 0xFFFFFF : -1;
                int idx = -1;
                for (int k = 0; k < colours.length; k++) {
                    if (rgb == (colours[k].getRGB() & 0xFFFFFF)) {
                        idx = k;
                    }
                }
                if (idx >= 0 && idx == prev) {
                    len++;
                } else {
                    if (prev >= 0 && len >= 3) {
                        runs++;
                    }
                    len = idx >= 0 ? 1 : 0;
                }
                prev = idx;
            }
            best = Math.max(best, runs);
        }
        return best;
    }

    /** Fails unless the chart has drawn content in its plot area. */
    public static void assertDrawn(Path png) {
        int ink = inkInPlotArea(read(png));
        assertTrue(ink > 500, png + " has only " + ink + " non-white pixels in its plot area");
    }
}
