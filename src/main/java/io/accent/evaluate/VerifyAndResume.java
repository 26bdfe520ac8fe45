package io.accent.evaluate;

import io.accent.core.DataException;
import io.accent.explain.AccentSearch;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * ACCENT+ verify and resume for one user and k (docs/SPEC.md §11.3): the set of ACCENT's stopped
 * search is retrained R times; while the replacement does not overtake the recommendation on
 * average (§7.4) and rounds remain, the search is continued ({@link AccentSearch#resume}) from the
 * mean retrained gap, and the longer set is retrained in turn.
 */
public final class VerifyAndResume {

    /** How the verification of a row ended. */
    public enum Outcome {
        /** ACCENT found no set: nothing was retrained. */
        NONE("none"),
        /** The last set made the replacement overtake the recommendation. */
        VERIFIED("verified"),
        /** Every round was used and the last set did not. */
        ROUND_LIMIT("round-limit"),
        /** The last set did not, and no action with δ ≥ 0 left could close the measured gap. */
        EXHAUSTED("exhausted");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** As written in the result files. */
        public String label() {
            return label;
        }

        /** The outcome written as {@code label}. */
        public static Outcome of(String label) {
            for (Outcome o : values()) {
                if (o.label.equals(label)) {
                    return o;
                }
            }
            throw new DataException("unknown verification outcome '" + label + "'");
        }
    }

    /** The retrained scores of the top-k items without a search's set, one list per retrain. */
    @FunctionalInterface
    public interface Retrained {
        List<List<Double>> scores(AccentSearch search);
    }

    /**
     * One round: the size of the set retrained and the mean retrained gap {@code avg[0] −
     * avg[replacement]} (negative when the replacement overtook).
     */
    public record Round(int size, double gap) {}

    /**
     * The verification of one row.
     *
     * @param search the last search whose set was retrained; empty when ACCENT found none
     * @param outcome how it ended
     * @param rounds the rounds, in order (none for {@link Outcome#NONE})
     * @param actualScores the last set's retrained scores of the top-k items, one list per retrain
     */
    public record Result(
            Optional<AccentSearch> search,
            Outcome outcome,
            List<Round> rounds,
            List<List<Double>> actualScores) {
        public Result {
            rounds = List.copyOf(rounds);
            actualScores = actualScores.stream().map(List::copyOf).toList();
        }

        /** Retrains the row needed: R per round, whether run or taken from the cache. */
        public int retrainsUsed() {
            return rounds.size() * actualScores.size();
        }

        /** The values of {@link #COLUMNS}. */
        public List<String> fields() {
            return List.of(
                    String.valueOf(rounds.size()),
                    String.valueOf(retrainsUsed()),
                    outcome.label(),
                    ExplanationFile.intList(rounds.stream().map(Round::size).toList()),
                    ExplanationFile.floatList(rounds.stream().map(Round::gap).toList()));
        }
    }

    /**
     * The columns a verified result file has after {@code actual_scores_avg}: the number of rounds,
     * the retrains used, the outcome, and per round the set size and the mean retrained gap.
     */
    public static final List<String> COLUMNS =
            List.of(
                    "verify_rounds",
                    "verify_retrains",
                    "verify_outcome",
                    "verify_sizes",
                    "verify_gaps");

    private VerifyAndResume() {}

    /**
     * Verifies {@code start} in at most {@code maxRounds} rounds.
     *
     * @throws DataException if a mean retrained score is not finite
     */
    public static Result run(Optional<AccentSearch> start, int maxRounds, Retrained retrained) {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("at least one round, got " + maxRounds);
        }
        if (start.isEmpty()) {
            return new Result(Optional.empty(), Outcome.NONE, List.of(), List.of());
        }
        AccentSearch s = start.get();
        List<Round> rounds = new ArrayList<>();
        while (true) {
            List<List<Double>> actual = retrained.scores(s);
            List<Double> avg = ExplanationFile.average(actual);
            int c = s.replacementRank();
            double gap = avg.get(0) - avg.get(c);
            if (!Double.isFinite(gap)) {
                throw new DataException(
                        "user "
                                + s.in().user()
                                + ": the mean retrained scores "
                                + avg
                                + " are not finite");
            }
            rounds.add(new Round(s.taken(), gap));
            if (RowOutcome.overtakes(avg, c)) {
                return new Result(Optional.of(s), Outcome.VERIFIED, rounds, actual);
            }
            if (rounds.size() == maxRounds) {
                return new Result(Optional.of(s), Outcome.ROUND_LIMIT, rounds, actual);
            }
            Optional<AccentSearch> next = s.resume(gap);
            if (next.isEmpty()) {
                return new Result(Optional.of(s), Outcome.EXHAUSTED, rounds, actual);
            }
            s = next.get();
        }
    }

    /**
     * Per verified result file: how many rows ended in each way, and the rounds and retrains used.
     *
     * @param rows all rows
     * @param found rows with a set
     * @param verified rows whose last set made the replacement overtake
     * @param roundLimit rows that used every round
     * @param exhausted rows whose search could not continue
     * @param rounds rounds over all rows
     * @param retrains retrains used over all rows
     */
    public record Stats(
            int rows,
            int found,
            int verified,
            int roundLimit,
            int exhausted,
            long rounds,
            long retrains) {

        /** Mean retrains used per row with a set (NaN without one). */
        public double retrainsPerFound() {
            return found == 0 ? Double.NaN : (double) retrains / found;
        }

        /** Mean rounds per row with a set (NaN without one). */
        public double roundsPerFound() {
            return found == 0 ? Double.NaN : (double) rounds / found;
        }

        /** {@code verified / rows · 100}. */
        public double verifiedPercentage() {
            return rows == 0 ? Double.NaN : 100.0 * verified / rows;
        }

        /**
         * The counts of a verified file's rows.
         *
         * @throws DataException if a row lacks the columns of {@link #COLUMNS} or holds a bad value
         */
        public static Stats of(List<ExplanationRow> rows) {
            int found = 0;
            int[] by = new int[Outcome.values().length];
            long rounds = 0;
            long retrains = 0;
            for (ExplanationRow r : rows) {
                if (!r.extra().keySet().containsAll(COLUMNS)) {
                    throw new DataException(
                            "the row of user "
                                    + r.user()
                                    + " has no columns "
                                    + COLUMNS
                                    + ": not a file of explain --verify");
                }
                Outcome o = Outcome.of(r.extra().get("verify_outcome"));
                by[o.ordinal()]++;
                found += r.hasCounterfactual() ? 1 : 0;
                try {
                    rounds += Long.parseLong(r.extra().get("verify_rounds"));
                    retrains += Long.parseLong(r.extra().get("verify_retrains"));
                } catch (NumberFormatException e) {
                    throw new DataException(
                            "the row of user "
                                    + r.user()
                                    + " has a verify_rounds or verify_retrains that is not a whole"
                                    + " number");
                }
            }
            return new Stats(
                    rows.size(),
                    found,
                    by[Outcome.VERIFIED.ordinal()],
                    by[Outcome.ROUND_LIMIT.ordinal()],
                    by[Outcome.EXHAUSTED.ordinal()],
                    rounds,
                    retrains);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d rows, %d with a set, %d verified, %d at the round limit, %d exhausted",
                    rows,
                    found,
                    verified,
                    roundLimit,
                    exhausted);
        }
    }
}
