package io.accent.evaluate;

import io.accent.core.DataException;
import io.accent.explain.ExplanationFile;
import io.accent.explain.ExplanationManifest;
import io.accent.explain.ExplanationRow;
import io.accent.model.ModelFingerprint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference's {@code compare.py} for two result files of the same k over the same users
 * (docs/SPEC.md §7.5). Rows are paired by user.
 *
 * @param k the length of the top lists in both files
 * @param contingency successes of the first file against the second
 * @param mcNemarHalfP the exact McNemar p-value on the discordant counts, halved
 * @param sizeTest a paired t-test on the set sizes of the first file against the second over the
 *     rows where both succeed (first − second, so a negative statistic means the first file's sets
 *     are smaller), p-value halved
 * @param first the first file's statistics over all its rows
 * @param second the second file's statistics over all its rows
 * @param firstJointMeanSize the first file's mean set size over the rows where both succeed (NaN if
 *     there are none)
 * @param secondJointMeanSize the second file's mean set size over the rows where both succeed
 */
public record Comparison(
        int k,
        Contingency contingency,
        double mcNemarHalfP,
        SignificanceTests.PairedTTest sizeTest,
        OutcomeStats first,
        OutcomeStats second,
        double firstJointMeanSize,
        double secondJointMeanSize) {

    /**
     * The 2×2 table {@code C[a][b]} of compare.py, with index 0 = success and index 1 = failure; a
     * is the first file's outcome and b the second's.
     *
     * @param c00 both succeed
     * @param c01 the first succeeds, the second fails
     * @param c10 the first fails, the second succeeds
     * @param c11 both fail
     */
    public record Contingency(int c00, int c01, int c10, int c11) {
        public Contingency {
            if (c00 < 0 || c01 < 0 || c10 < 0 || c11 < 0) {
                throw new IllegalArgumentException(
                        "negative count in [["
                                + c00
                                + ", "
                                + c01
                                + "], ["
                                + c10
                                + ", "
                                + c11
                                + "]]");
            }
        }

        /** {@code C[a][b]}, a and b in {0, 1}. */
        public int get(int a, int b) {
            if ((a | b) >>> 1 != 0) {
                throw new IndexOutOfBoundsException("C[" + a + "][" + b + "]");
            }
            return a == 0 ? (b == 0 ? c00 : c01) : (b == 0 ? c10 : c11);
        }

        /** The number of pairs. */
        public int total() {
            return c00 + c01 + c10 + c11;
        }
    }

    public Comparison {
        if (contingency.total() != first.rows() || first.rows() != second.rows()) {
            throw new IllegalArgumentException(
                    "contingency table of "
                            + contingency.total()
                            + " pairs for files of "
                            + first.rows()
                            + " and "
                            + second.rows()
                            + " rows");
        }
    }

    /** The number of paired users. */
    public int users() {
        return contingency.total();
    }

    /**
     * Reads and compares two result files.
     *
     * @throws DataException if a file cannot be parsed, or the files differ in k or in their users
     *     (the message names both files and the difference)
     */
    /**
     * Refuses a file that was never evaluated: it has counterfactual sets but not one of them
     * carries retrained scores, so every row would count as a failure.
     */
    private static void requireVerified(String name, Map<Integer, RowOutcome> rows) {
        long found = rows.values().stream().filter(RowOutcome::hasCounterfactual).count();
        long verified =
                rows.values().stream().filter(o -> o.hasCounterfactual() && o.verified()).count();
        if (found > 0 && verified == 0) {
            throw new DataException(
                    name
                            + " was never evaluated: none of its "
                            + found
                            + " counterfactual sets"
                            + " carries retrained scores (actual_scores); run 'accent evaluate' on it first");
        }
    }

    public static Comparison of(Path first, Path second) {
        requireSameOrigin(first, second);
        return of(first.toString(), read(first), second.toString(), read(second));
    }

    /**
     * Refuses two result files of different models or evaluated under different protocols. A file's
     * model is the fingerprint in the {@code explanations.json} beside it, else the one in its
     * recorded {@link EvaluationProtocol}; its protocol is the recorded one. What is not recorded
     * for either file (files written before these records existed) is not checked.
     *
     * @throws DataException naming both files and both fingerprints or protocols
     */
    public static void requireSameOrigin(Path first, Path second) {
        Optional<EvaluationProtocol> pa = EvaluationProtocol.recorded(first);
        Optional<EvaluationProtocol> pb = EvaluationProtocol.recorded(second);
        Optional<String> ma = model(first, pa);
        Optional<String> mb = model(second, pb);
        if (ma.isPresent() && mb.isPresent() && !ma.get().equals(mb.get())) {
            throw new DataException(
                    "cannot compare "
                            + first
                            + " (model "
                            + ModelFingerprint.shortForm(ma.get())
                            + ") with "
                            + second
                            + " (model "
                            + ModelFingerprint.shortForm(mb.get())
                            + "): the files come from different models");
        }
        if (pa.isPresent() && pb.isPresent() && !pa.get().equals(pb.get())) {
            throw new DataException(
                    "cannot compare "
                            + first
                            + " (evaluated with "
                            + pa.get().describe()
                            + ") with "
                            + second
                            + " (evaluated with "
                            + pb.get().describe()
                            + "): different evaluation protocols");
        }
    }

    private static Optional<String> model(Path file, Optional<EvaluationProtocol> protocol) {
        Optional<String> m = ExplanationManifest.read(file.toAbsolutePath().getParent());
        return m.isPresent() ? m : protocol.map(EvaluationProtocol::modelFingerprint);
    }

    /**
     * Relative tolerance of {@link #read}'s check of {@code actual_scores_avg}: evaluate writes the
     * mean with every digit of the double, a file of the reference may hold a float32 mean.
     */
    static final double AVERAGE_TOLERANCE = 1e-6;

    /**
     * Reads a result file for comparison and checks every evaluated row: {@code actual_scores_avg},
     * which decides success, must be the mean of {@code actual_scores_0..R−1} within {@link
     * #AVERAGE_TOLERANCE} relative (to max(1, |mean|)), and a row has either both or neither.
     *
     * @throws DataException naming the file and line of the first row that fails, or as {@link
     *     ExplanationFile#read}
     */
    public static List<ExplanationRow> read(Path file) {
        List<ExplanationRow> rows = ExplanationFile.read(file);
        for (int i = 0; i < rows.size(); i++) {
            // rows hold no line breaks: row i is on line i + 2 (the header is line 1)
            requireConsistentAverage(file, i + 2, rows.get(i));
        }
        return rows;
    }

    private static void requireConsistentAverage(Path file, int line, ExplanationRow r) {
        String where = "result file " + file + " line " + line + " (user " + r.user() + "): ";
        List<Double> avg = r.actualScoresAvg();
        List<List<Double>> actual = r.actualScores();
        boolean anyActual = actual.stream().anyMatch(a -> !a.isEmpty());
        if (avg.isEmpty()) {
            if (anyActual) {
                throw new DataException(
                        where + "actual_scores_0.. are filled but actual_scores_avg is empty");
            }
            return;
        }
        for (int s = 0; s < actual.size(); s++) {
            if (actual.get(s).size() != avg.size()) {
                throw new DataException(
                        where
                                + "actual_scores_"
                                + s
                                + " has "
                                + actual.get(s).size()
                                + " scores, actual_scores_avg "
                                + avg.size());
            }
        }
        if (actual.isEmpty()) {
            throw new DataException(
                    where + "actual_scores_avg without actual_scores_0.. columns to average");
        }
        for (int j = 0; j < avg.size(); j++) {
            double sum = 0;
            for (List<Double> a : actual) {
                sum += a.get(j);
            }
            double mean = sum / actual.size();
            if (!(Math.abs(avg.get(j) - mean) <= AVERAGE_TOLERANCE * Math.max(1, Math.abs(mean)))) {
                throw new DataException(
                        where
                                + "actual_scores_avg["
                                + j
                                + "] = "
                                + avg.get(j)
                                + " is not the mean "
                                + mean
                                + " of actual_scores_0.."
                                + (actual.size() - 1)
                                + "; the file was edited or corrupted, rerun evaluate");
            }
        }
    }

    /**
     * Compares the rows of two result files, named {@code firstName} and {@code secondName} in
     * error messages.
     *
     * @throws DataException if a file has no rows, mixes several k, lists a user twice or has a
     *     malformed {@code actual_scores_avg}, or the files differ in k or in their users
     */
    public static Comparison of(
            String firstName,
            List<ExplanationRow> firstRows,
            String secondName,
            List<ExplanationRow> secondRows) {
        Map<Integer, RowOutcome> a = byUser(firstName, firstRows);
        Map<Integer, RowOutcome> b = byUser(secondName, secondRows);
        requireVerified(firstName, a);
        requireVerified(secondName, b);
        int kA = singleK(firstName, a);
        int kB = singleK(secondName, b);
        if (kA != kB) {
            throw new DataException(
                    "cannot compare "
                            + firstName
                            + " (k = "
                            + kA
                            + ") with "
                            + secondName
                            + " (k = "
                            + kB
                            + "): different k");
        }
        if (!a.keySet().equals(b.keySet())) {
            throw new DataException(
                    "cannot compare "
                            + firstName
                            + " with "
                            + secondName
                            + ": different users; only in the first: "
                            + sample(difference(a.keySet(), b.keySet()))
                            + ", only in the second: "
                            + sample(difference(b.keySet(), a.keySet())));
        }
        int[][] c = new int[2][2];
        List<Double> jointA = new ArrayList<>();
        List<Double> jointB = new ArrayList<>();
        for (Map.Entry<Integer, RowOutcome> e : a.entrySet()) {
            RowOutcome x = e.getValue();
            RowOutcome y = b.get(e.getKey());
            c[x.success() ? 0 : 1][y.success() ? 0 : 1]++;
            if (x.success() && y.success()) {
                jointA.add((double) x.counterfactualSize());
                jointB.add((double) y.counterfactualSize());
            }
        }
        double[] sizesA = jointA.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sizesB = jointB.stream().mapToDouble(Double::doubleValue).toArray();
        return new Comparison(
                kA,
                new Contingency(c[0][0], c[0][1], c[1][0], c[1][1]),
                SignificanceTests.mcNemarExactHalf(c[0][1], c[1][0]),
                SignificanceTests.pairedTTestHalf(sizesA, sizesB),
                OutcomeStats.of(List.copyOf(a.values())),
                OutcomeStats.of(List.copyOf(b.values())),
                mean(sizesA),
                mean(sizesB));
    }

    private static Map<Integer, RowOutcome> byUser(String name, List<ExplanationRow> rows) {
        if (rows.isEmpty()) {
            throw new DataException("result file " + name + " has no rows");
        }
        Map<Integer, RowOutcome> out = new LinkedHashMap<>();
        for (ExplanationRow r : rows) {
            RowOutcome o;
            try {
                o = RowOutcome.of(r);
            } catch (DataException e) {
                throw new DataException("result file " + name + ": " + e.getMessage(), e);
            }
            if (out.put(r.user(), o) != null) {
                throw new DataException(
                        "result file " + name + " lists user " + r.user() + " twice");
            }
        }
        return out;
    }

    private static int singleK(String name, Map<Integer, RowOutcome> rows) {
        Set<Integer> ks = new TreeSet<>();
        rows.values().forEach(o -> ks.add(o.k()));
        if (ks.size() != 1) {
            throw new DataException("result file " + name + " mixes top lists of lengths " + ks);
        }
        return ks.iterator().next();
    }

    private static Set<Integer> difference(Set<Integer> x, Set<Integer> y) {
        Set<Integer> d = new TreeSet<>(x);
        d.removeAll(y);
        return d;
    }

    /** The set, or its first ten elements and the count. */
    private static String sample(Set<Integer> s) {
        if (s.isEmpty()) {
            return "none";
        }
        if (s.size() <= 10) {
            return s.toString();
        }
        List<Integer> head = s.stream().limit(10).toList();
        return s.size() + " users " + head.toString().replace("]", ", ...]");
    }

    private static double mean(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
