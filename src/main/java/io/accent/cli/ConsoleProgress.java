package io.accent.cli;

import io.accent.core.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A {@link Progress} drawn as a one-line bar with rate and ETA, redrawn in place with {@code \r} at
 * most four times a second. Only used on a terminal (or with {@code --progress}); see {@link
 * Options.Console#progress}.
 */
final class ConsoleProgress implements Progress {

    private static final long REDRAW_NANOS = 250_000_000L;
    private static final int BAR = 25;

    private final String unit;
    private final PrintStream out;
    private String task;
    private long total;
    private long current;
    private long startNanos;
    private long lastDraw;
    private String message = "";
    private boolean open;

    ConsoleProgress(String unit, PrintStream out) {
        this.unit = unit;
        this.out = out;
    }

    @Override
    public void start(String task, long total) {
        close();
        this.task = task;
        this.total = Math.max(0, total);
        this.current = 0;
        this.startNanos = System.nanoTime();
        this.lastDraw = 0;
        this.message = "";
        this.open = true;
        draw(startNanos);
    }

    @Override
    public void step(long units) {
        if (!open) {
            return;
        }
        current += units;
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            draw(now);
        }
    }

    @Override
    public void message(String text) {
        message = text;
    }

    @Override
    public void close() {
        if (open) {
            draw(System.nanoTime());
            out.print('\n');
            out.flush();
            open = false;
        }
    }

    private void draw(long now) {
        lastDraw = now;
        out.print('\r' + render(task, current, total, (now - startNanos) / 1e9, unit, message));
        out.flush();
    }

    /**
     * One line of the bar: task, percentage, bar, count, rate and ETA (or elapsed time when done).
     */
    static String render(
            String task, long current, long total, double seconds, String unit, String message) {
        long shown = total > 0 ? Math.min(current, total) : current;
        int percent = total > 0 ? (int) (100 * shown / total) : 0;
        int filled = total > 0 ? (int) (BAR * shown / total) : 0;
        StringBuilder bar = new StringBuilder(BAR);
        for (int i = 0; i < BAR; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        if (filled >= BAR) {
            bar.setLength(BAR);
        }
        double rate = seconds > 0 ? shown / seconds : 0;
        String time =
                total > 0 && shown >= total
                        ? "in " + clock(seconds)
                        : rate > 0 && total > 0
                                ? "ETA " + clock((total - shown) / rate)
                                : "ETA --:--";
        return String.format(
                Locale.ROOT,
                "%s %3d%% [%s] %d/%d  %s %s/s  %s%s",
                task,
                percent,
                bar,
                shown,
                total,
                rate(rate),
                unit,
                time,
                message.isEmpty() ? "" : "  " + message);
    }

    /** A rate with a leading digit and sensible precision: 0.3, 12.5, 1234. */
    static String rate(double r) {
        return r >= 100
                ? String.format(Locale.ROOT, "%.0f", r)
                : String.format(Locale.ROOT, "%.1f", r);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
