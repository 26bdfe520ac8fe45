package io.accent.core;

/**
 * Receives progress of a long-running task. Implementations must be cheap to call; the library
 * calls {@link #step} from hot loops. {@link #NONE} ignores everything.
 */
public interface Progress extends AutoCloseable {

    /** Starts (or restarts) a task with a known number of units. */
    void start(String task, long total);

    /** Advances by {@code units}. */
    void step(long units);

    /** Sets a short status text shown beside the bar (e.g. the current loss). */
    default void message(String text) {}

    /** Ends the current task. */
    @Override
    default void close() {}

    /** A progress sink that does nothing. */
    Progress NONE =
            new Progress() {
                @Override
                public void start(String task, long total) {}

                @Override
                public void step(long units) {}
            };
}
