package io.accent.evaluate;

import io.accent.core.DataException;
import java.util.List;
import java.util.Optional;

/**
 * Whether a result file's top list is the model's top list up to numeric noise, so that files made
 * with the same model on another device, thread count or with XLA verify, and files of another
 * model do not. The file's list is accepted when, at every position i, the model's score of the
 * file's item differs from the model's i-th highest score by at most {@value #RELATIVE_TOLERANCE}
 * relative (to max(1, |score|)). Position-wise agreement with the sorted scores means the list is a
 * correct top list under some perturbation of the scores of that size: the items can differ from
 * the model's only among near-ties (scores within the tolerance), and their order only among
 * near-ties. Distinct, unrated items are checked by the caller.
 */
public final class TopListCheck {

    /**
     * Relative tolerance on scores, well above float32 round-off of NCF scores (about 1e-7
     * relative).
     */
    public static final double RELATIVE_TOLERANCE = 1e-4;

    private TopListCheck() {}

    /**
     * @param fileItemScores the model's scores of the file's items, in the file's order
     * @param modelTopScores the model's highest scores, descending, at least as many
     * @return a description of the first position where the file's list is not a top list, if any
     */
    static Optional<String> mismatch(float[] fileItemScores, float[] modelTopScores) {
        if (fileItemScores.length > modelTopScores.length) {
            return Optional.of(
                    "the list has "
                            + fileItemScores.length
                            + " items, more than the "
                            + modelTopScores.length
                            + " compared");
        }
        for (int i = 0; i < fileItemScores.length; i++) {
            double want = modelTopScores[i];
            double got = fileItemScores[i];
            if (!(Math.abs(got - want) <= RELATIVE_TOLERANCE * Math.max(1.0, Math.abs(want)))) {
                return Optional.of(
                        String.format(
                                java.util.Locale.ROOT,
                                "position %d: the model scores the file's item %.7g, its %s highest score is %.7g",
                                i,
                                got,
                                ordinal(i + 1),
                                want));
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses a file row whose top list is not the model's up to {@link #RELATIVE_TOLERANCE}: the
     * one error of both families, prefixed by {@code where} (file, line or user).
     *
     * @throws DataException naming the first position that is off
     */
    public static void require(
            String where, List<Integer> topK, float[] fileItemScores, float[] modelTopScores) {
        Optional<String> off = mismatch(fileItemScores, modelTopScores);
        if (off.isPresent()) {
            throw new DataException(
                    where
                            + "the file's top list "
                            + topK
                            + " is not this model's ("
                            + off.get()
                            + "); the file comes from another model or data set");
        }
    }

    private static String ordinal(int n) {
        return n
                + (n % 100 >= 11 && n % 100 <= 13
                        ? "th"
                        : switch (n % 10) {
                            case 1 -> "st";
                            case 2 -> "nd";
                            case 3 -> "rd";
                            default -> "th";
                        });
    }
}
