package io.accent.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Table 1 chart draws the values it is given: bar heights measured in the PNG are proportional
 * to the CF percentages (upper panel) and mean sizes (lower panel), a NaN mean size leaves a gap,
 * and sizes are checked at their boundaries.
 */
class ChartValuesTest {

    @TempDir Path tmp;

    static final Color K5 = new Color(31, 119, 180); // first palette colour: the only k here

    /** A vertical run of one colour in one column. */
    record Run(int x, int top, int bottom) {
        int height() {
            return bottom - top + 1;
        }
    }

    /**
     * Bars of colour {@code c}, as the heights of groups of adjacent columns that share a baseline,
     * grouped by baseline (top to bottom panel) and ordered left to right.
     */
    static Map<Integer, List<Integer>> barHeights(BufferedImage img, Color c) {
        List<Run> runs = new ArrayList<>();
        for (int x = 0; x < img.getWidth(); x++) {
            int y = 0;
            while (y < img.getHeight()) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
                    int top = y;
                    while (y < img.getHeight()
                            && (img.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
                        y++;
                    }
                    if (y - top >= 3) {
                        runs.add(new Run(x, top, y - 1));
                    }
                } else {
                    y++;
                }
            }
        }
        Map<Integer, List<Integer>> byBaseline = new TreeMap<>();
        Map<Integer, Integer> lastX = new TreeMap<>();
        for (Run r : runs) {
            Integer base =
                    byBaseline.keySet().stream()
                            .filter(b -> Math.abs(b - r.bottom()) <= 1)
                            .findFirst()
                            .orElse(r.bottom());
            List<Integer> bars = byBaseline.computeIfAbsent(base, b -> new ArrayList<>());
            Integer prev = lastX.get(base);
            if (prev == null || r.x() > prev + 1) {
                bars.add(r.height());
            } else {
                bars.set(bars.size() - 1, Math.max(bars.get(bars.size() - 1), r.height()));
            }
            lastX.put(base, r.x());
        }
        // legend swatches are short; keep the panels' bars only
        byBaseline.values().removeIf(l -> l.stream().allMatch(h -> h < 20));
        return byBaseline;
    }

    static OutcomeStats stats(double pct, double meanSize) {
        return new OutcomeStats(100, 100, 100, (int) Math.round(pct), pct, meanSize);
    }

    @Test
    void barHeightsAreProportionalToTheValues() {
        Map<String, Map<Integer, OutcomeStats>> results = new LinkedHashMap<>();
        results.put("A", Map.of(5, stats(50, 4)));
        results.put("B", Map.of(5, stats(25, 2)));
        results.put("C", Map.of(5, stats(40, Double.NaN)));
        Path png = tmp.resolve("t.png");
        Charts.table(png, results);
        Map<Integer, List<Integer>> bars = barHeights(ChartPixels.read(png), K5);
        assertEquals(2, bars.size(), "two panels: " + bars);
        List<List<Integer>> panels = new ArrayList<>(bars.values());
        List<Integer> pct = panels.get(0);
        List<Integer> size = panels.get(1);
        assertEquals(3, pct.size(), "CF% bars " + pct);
        assertEquals(2, size.size(), "mean size bars (C has none) " + size);
        assertEquals(2.0, (double) pct.get(0) / pct.get(1), 0.04, "50% against 25%: " + pct);
        assertEquals(1.25, (double) pct.get(0) / pct.get(2), 0.03, "50% against 40%: " + pct);
        assertEquals(2.0, (double) size.get(0) / size.get(1), 0.04, "size 4 against 2: " + size);
    }

    @Test
    void aMissingKLeavesAGapInBothPanels() {
        Map<String, Map<Integer, OutcomeStats>> results = new LinkedHashMap<>();
        results.put("A", Map.of(5, stats(30, 3), 10, stats(60, 6)));
        results.put("B", Map.of(10, stats(20, 2)));
        Path png = tmp.resolve("gap.png");
        Charts.table(png, results);
        BufferedImage img = ChartPixels.read(png);
        List<List<Integer>> k5 = new ArrayList<>(barHeights(img, K5).values());
        List<List<Integer>> k10 =
                new ArrayList<>(barHeights(img, new Color(255, 127, 14)).values());
        assertEquals(
                List.of(1, 1), k5.stream().map(List::size).toList(), "k = 5 only for A: " + k5);
        assertEquals(
                List.of(2, 2), k10.stream().map(List::size).toList(), "k = 10 for A and B: " + k10);
        // one axis per panel: 60 / 30 = 2 and 60 / 20 = 3 within a panel
        assertEquals(2.0, (double) k10.get(0).get(0) / k5.get(0).get(0), 0.04);
        assertEquals(3.0, (double) k10.get(0).get(0) / k10.get(0).get(1), 0.06);
        assertEquals(3.0, (double) k10.get(1).get(0) / k10.get(1).get(1), 0.06);
    }

    @Test
    void sizesMustBePositiveAndOnePixelIsEnough() throws Exception {
        Map<String, Map<Integer, OutcomeStats>> results = Map.of("A", Map.of(5, stats(50, 4)));
        List<double[]> points = List.of(new double[] {1, 2});
        int[][] bad = {{0, 10}, {10, 0}, {-1, 10}, {10, -1}};
        for (int[] s : bad) {
            Path p = tmp.resolve("bad.png");
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Charts.table(p, results, s[0], s[1]));
            assertEquals("chart size must be positive, got " + s[0] + " × " + s[1], e.getMessage());
            IllegalArgumentException f =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Charts.scatter(p, "t", points, s[0], s[1]));
            assertEquals(e.getMessage(), f.getMessage());
            assertFalse(Files.exists(p));
        }
        Path one = tmp.resolve("one.png");
        Charts.table(one, results, 1, 1);
        assertEquals(1, ChartPixels.read(one).getWidth());
        Charts.scatter(one, "t", points, 1, 1);
        assertEquals(1, ChartPixels.read(one).getHeight());
        // an existing file is replaced
        Charts.scatter(one, "t", points, 30, 20);
        assertEquals(30, ChartPixels.read(one).getWidth());
        assertTrue(Files.size(one) > 0);
    }
}
