package io.accent.data;

import java.nio.file.Path;

/** What {@link SyntheticGenerator#generate} wrote. */
public record SyntheticSummary(
        Path directory,
        int users,
        int items,
        int ratings,
        int itemsWithAttributes,
        int relationalRows) {}
