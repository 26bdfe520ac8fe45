package io.accent.cli;

import io.accent.core.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A {@link Progress} drawn as a terminal progress bar (on stderr) with rate and ETA. */
final class ConsoleProgress implements Progress {

    private final String unit;
    private ProgressBar bar;

    ConsoleProgress(String unit) {
        this.unit = unit;
    }

    @Override
    public void start(String task, long total) {
        close();
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }

    @Override
    public void step(long units) {
        if (bar != null) {
            bar.stepBy(units);
        }
    }

    @Override
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(" " + text);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
