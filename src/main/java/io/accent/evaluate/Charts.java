package io.accent.evaluate;

import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts of evaluation results, rendered off-screen with JFreeChart. Each PNG is written to a
 * temporary sibling and renamed into place, so a reader never sees a partial image.
 */
public final class Charts {

    /** Default width and height of {@link #scatter(Path, String, List)}, in pixels. */
    public static final int SCATTER_SIZE = 800;

    /** Default width of {@link #table(Path, Map)}, in pixels. */
    public static final int TABLE_WIDTH = 1000;

    /** Default height of {@link #table(Path, Map)}, in pixels. */
    public static final int TABLE_HEIGHT = 800;

    /** Matplotlib's first "tab10" colours. */
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75)
    };

    private Charts() {}

    /** {@link #scatter(Path, String, List, int, int)} at {@link #SCATTER_SIZE} square. */
    public static void scatter(Path png, String title, List<double[]> points) {
        scatter(png, title, points, SCATTER_SIZE, SCATTER_SIZE);
    }

    /**
     * Predicted against actual score gaps ({@link GapAgreement#points()}), one dot per row, with
     * the line y = x. Both axes share one range so that the line is the diagonal.
     *
     * @param points {@code {predicted, actual}} pairs; may be empty (an empty plot)
     * @throws DataException if a point does not have two finite coordinates
     * @throws IllegalArgumentException if a size is not positive
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void scatter(
            Path png, String title, List<double[]> points, int width, int height) {
        scatter(
                png,
                title,
                "predicted gap  pred[0] − pred[repl]",
                "actual gap  avg[0] − avg[repl]",
                points,
                width,
                height);
    }

    /** Predicted against actual values with the line y = x, under the given axis labels. */
    public static void scatter(
            Path png,
            String title,
            String xLabel,
            String yLabel,
            List<double[]> points,
            int width,
            int height) {
        checkSize(width, height);
        XYSeries rows = new XYSeries("rows", false, true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                throw new DataException(
                        "chart "
                                + png
                                + ": point "
                                + i
                                + " is "
                                + java.util.Arrays.toString(p)
                                + ", expected two finite numbers");
            }
            rows.add(p[0], p[1]);
            lo = Math.min(lo, Math.min(p[0], p[1]));
            hi = Math.max(hi, Math.max(p[0], p[1]));
        }
        if (points.isEmpty()) {
            lo = 0;
            hi = 1;
        }
        double pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
        lo -= pad;
        hi += pad;
        XYSeries diagonal = new XYSeries("y = x", false, true);
        diagonal.add(lo, lo);
        diagonal.add(hi, hi);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(rows);
        data.addSeries(diagonal);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesPaint(0, new Color(31, 119, 180, 160));
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesPaint(1, Color.DARK_GRAY);
        renderer.setSeriesStroke(
                1,
                new BasicStroke(
                        1.5f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER,
                        10f,
                        new float[] {6f, 4f},
                        0f));
        NumberAxis x = new NumberAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        x.setRange(lo, hi);
        y.setRange(lo, hi);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        write(png, chart, width, height);
    }

    /** {@link #table(Path, Map, int, int)} at {@link #TABLE_WIDTH} × {@link #TABLE_HEIGHT}. */
    public static void table(Path png, Map<String, Map<Integer, OutcomeStats>> results) {
        table(png, results, TABLE_WIDTH, TABLE_HEIGHT);
    }

    /**
     * Table 1 as two bar-chart panels sharing the algorithm axis: the CF percentage on top and the
     * mean CF size (over successful rows) below, one bar per k. Algorithms appear in the map's
     * iteration order and k in increasing order; a missing k or a NaN mean size leaves a gap.
     *
     * @param results algorithm name → k → statistics
     * @throws IllegalArgumentException if a size is not positive
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void table(
            Path png, Map<String, Map<Integer, OutcomeStats>> results, int width, int height) {
        checkSize(width, height);
        Set<Integer> ks = new TreeSet<>();
        results.values().forEach(m -> ks.addAll(m.keySet()));
        DefaultCategoryDataset pct = new DefaultCategoryDataset();
        DefaultCategoryDataset size = new DefaultCategoryDataset();
        for (Map.Entry<String, Map<Integer, OutcomeStats>> e : results.entrySet()) {
            for (int k : ks) {
                OutcomeStats s = e.getValue().get(k);
                String series = "k = " + k;
                pct.addValue(s == null ? null : finiteOrNull(s.cfPercentage()), series, e.getKey());
                size.addValue(s == null ? null : finiteOrNull(s.meanSize()), series, e.getKey());
            }
        }
        CombinedDomainCategoryPlot plot =
                new CombinedDomainCategoryPlot(new CategoryAxis("explainer"));
        plot.setGap(12);
        CategoryPlot top = panel(pct, "CF percentage (%)");
        plot.add(top, 1);
        plot.add(panel(size, "mean CF size (successful rows)"), 1);
        // both panels colour k alike; one legend entry per k
        plot.setFixedLegendItems(top.getLegendItems());
        plot.setOrientation(PlotOrientation.VERTICAL);
        JFreeChart chart =
                new JFreeChart(
                        "Counterfactual percentage and mean set size",
                        JFreeChart.DEFAULT_TITLE_FONT,
                        plot,
                        true);
        chart.setBackgroundPaint(Color.WHITE);
        write(png, chart, width, height);
    }

    private static CategoryPlot panel(DefaultCategoryDataset data, String label) {
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        for (int i = 0; i < data.getRowCount(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(true);
        CategoryPlot p = new CategoryPlot(data, null, axis, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "chart size must be positive, got " + width + " × " + height);
        }
    }

    private static void write(Path png, JFreeChart chart, int width, int height) {
        // off-screen rendering only; respect an explicit setting by the application
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }
}
