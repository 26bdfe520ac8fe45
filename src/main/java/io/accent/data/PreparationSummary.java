package io.accent.data;

import java.nio.file.Path;

/** What {@link DatasetPreparation#prepare} wrote: row counts and the NCF training fingerprint. */
public record PreparationSummary(
        Path directory,
        String name,
        int users,
        int ncfItems,
        int ncfTrainRows,
        int ncfTestRows,
        int rcfItems,
        int rcfTrainTriples,
        int rcfTestPairs,
        int relationalRows,
        String fingerprint) {}
