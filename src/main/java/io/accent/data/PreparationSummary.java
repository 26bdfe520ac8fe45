package io.accent.data;

import java.nio.file.Path;

/**
 * What {@link DatasetPreparation#prepare} wrote: the layout read, row counts, whether RCF's files
 * were written ({@code rcf}; without them the RCF counts are 0), the NCF training fingerprint, the
 * attribute kinds of the RCF files (docs/SPEC.md §11.2; empty without them), whether their
 * relational rows were generated (rather than the RCF release's), and why RCF's files were left out
 * (empty when they were written).
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
        String fingerprint,
        java.util.List<String> kinds,
        boolean relationalGenerated,
        String rcfSkippedReason) {

    public PreparationSummary {
        kinds = java.util.List.copyOf(kinds);
    }
}
