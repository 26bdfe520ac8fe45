package io.accent.data;

import java.nio.file.Path;

/**
 * What {@link DatasetPreparation#prepare} wrote: the layout read, row counts, whether RCF's files
 * were written ({@code rcf}; without them the RCF counts are 0) and the NCF training fingerprint.
 */
public record PreparationSummary(
        Path directory,
        String name,
        RatingLayout layout,
        int ratingRows,
        int users,
        int ncfItems,
        int ncfTrainRows,
        int ncfTestRows,
        int rcfItems,
        int rcfTrainTriples,
        int rcfTestPairs,
        int relationalRows,
        boolean rcf,
        String fingerprint) {}
