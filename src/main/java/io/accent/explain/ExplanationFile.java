package io.accent.explain;

import io.accent.core.DataException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * Result files {@code {fileId}_{k}.csv} in the reference's format (docs/SPEC.md §8): a header
 * {@code user,item,topk,counterfactual,predicted_scores,replacement}, one row per user in raw ids,
 * list columns as Python literals ({@code [1, 2]}, {@code {3, 4}}, {@code [0.5, 0.25]}), an empty
 * field for a missing set or missing scores, −1 for a missing replacement, and pandas' minimal
 * quoting (fields containing a comma are double-quoted). Lines end with {@code \n}.
 */
public final class ExplanationFile {

    /** The columns a result file starts with, in order. */
    public static final List<String> HEADER =
            List.of("user", "item", "topk", "counterfactual", "predicted_scores", "replacement");

    /** The column the evaluation adds with the mean of the retrained scores. */
    static final String ACTUAL_AVG = "actual_scores_avg";

    static final String ACTUAL_PREFIX = "actual_scores_";

    /** The CSV dialect of pandas' {@code to_csv} on Linux. */
    static final CSVFormat FORMAT =
            CSVFormat.DEFAULT
                    .builder()
                    .setRecordSeparator("\n")
                    .setQuoteMode(QuoteMode.MINIMAL)
                    .get();

    private ExplanationFile() {}

    /** {@code {fileId}_{k}.csv}. */
    public static String fileName(String fileId, int k) {
        return fileId + "_" + k + ".csv";
    }

    /** {@code {explainer.fileId()}_{k}.csv}. */
    public static String fileName(Explainer explainer, int k) {
        return fileName(explainer.fileId(), k);
    }

    /**
     * Opens {@code file} for appending rows, creating it with its header when it does not exist or
     * is empty. An existing file is checked: its header must be exactly {@link #HEADER} and its
     * complete rows must parse; the users of those rows are {@link
     * ExplanationFileWriter#writtenUsers() already written}. A trailing partial line (the row in
     * flight when a run was killed) is cut off before anything is appended. The file is locked
     * against other writers until the writer is closed.
     *
     * @param rawUser maps a dense user id to the raw id written in the file
     * @param rawItem maps a dense item id to the raw id written in the file
     * @throws DataException if the header differs, a complete row is malformed, a user appears
     *     twice, or another writer holds the file
     * @throws UncheckedIOException on an I/O error
     */
    public static ExplanationFileWriter openForAppend(
            Path file, IntUnaryOperator rawUser, IntUnaryOperator rawItem) {
        return ExplanationFileWriter.open(file, rawUser, rawItem);
    }

    /**
     * Opens {@code file} for appending rows with further columns after the six standard ones (for
     * example those of {@code explain --verify}); as {@link #openForAppend(Path, IntUnaryOperator,
     * IntUnaryOperator)}, but the header must be exactly {@link #HEADER} followed by {@code
     * extraColumns}, and every row is appended with their values.
     */
    public static ExplanationFileWriter openForAppend(
            Path file,
            IntUnaryOperator rawUser,
            IntUnaryOperator rawItem,
            List<String> extraColumns) {
        return ExplanationFileWriter.open(file, rawUser, rawItem, extraColumns);
    }

    /** {@code [a, b]}: a list of ints as the result files write it (a Python literal). */
    public static String intList(List<Integer> values) {
        return PythonLiterals.intList(values, x -> x);
    }

    /** {@code [0.5, 0.25]}: a list of floats as the result files write it (Python's repr). */
    public static String floatList(List<Double> values) {
        return PythonLiterals.floatList(values);
    }

    /**
     * The columns the evaluation writes after the six standard ones: {@code actual_scores_0..R−1}
     * and {@code actual_scores_avg}.
     */
    public static List<String> evaluatedColumns(int retrains) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < retrains; r++) {
            out.add(ACTUAL_PREFIX + r);
        }
        out.add(ACTUAL_AVG);
        return List.copyOf(out);
    }

    /**
     * The element-wise mean of the retrained scores {@code actual} (one list per retrain, summed in
     * retrain order), as written in {@code actual_scores_avg}; empty for no retrains.
     */
    public static List<Double> average(List<List<Double>> actual) {
        List<Double> avg = new ArrayList<>();
        if (!actual.isEmpty()) {
            for (int i = 0; i < actual.get(0).size(); i++) {
                double s = 0;
                for (List<Double> a : actual) {
                    s += a.get(i);
                }
                avg.add(s / actual.size());
            }
        }
        return avg;
    }

    /**
     * The fields of {@link #evaluatedColumns(int) evaluatedColumns(retrains)} for the retrained
     * scores {@code actual}: empty fields when there are none.
     */
    static List<String> evaluatedFields(List<List<Double>> actual, List<Double> avg, int retrains) {
        List<String> f = new ArrayList<>();
        for (int r = 0; r < retrains; r++) {
            f.add(r < actual.size() ? PythonLiterals.floatList(actual.get(r)) : "");
        }
        f.add(avg.isEmpty() ? "" : PythonLiterals.floatList(avg));
        return f;
    }

    /**
     * Rewrites a result file with the evaluation columns {@code actual_scores_0..R−1} and {@code
     * actual_scores_avg} (SPEC §8), atomically (temporary file, then rename). Rows hold raw ids as
     * read; a row without actual scores gets empty fields. The rows' further columns ({@link
     * ExplanationRow#extra()}, the same in every row) follow, unchanged.
     */
    public static void writeEvaluated(Path file, List<ExplanationRow> rows, int retrains) {
        List<String> header = new ArrayList<>(HEADER);
        header.addAll(evaluatedColumns(retrains));
        List<String> extra = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).extra().keySet());
        header.addAll(extra);
        StringBuilder b = new StringBuilder();
        try (org.apache.commons.csv.CSVPrinter p =
                new org.apache.commons.csv.CSVPrinter(b, FORMAT)) {
            p.printRecord(header);
            for (ExplanationRow row : rows) {
                if (!List.copyOf(row.extra().keySet()).equals(extra)) {
                    throw new IllegalArgumentException(
                            "row of user "
                                    + row.user()
                                    + " has the further columns "
                                    + row.extra().keySet()
                                    + ", the file "
                                    + extra);
                }
                List<String> f = new ArrayList<>();
                f.add(String.valueOf(row.user()));
                f.add(String.valueOf(row.item()));
                f.add(PythonLiterals.intList(row.topK(), x -> x));
                f.add(
                        row.hasCounterfactual()
                                ? PythonLiterals.intSet(row.counterfactual(), x -> x)
                                : "");
                f.add(
                        row.predictedScores().isEmpty()
                                ? ""
                                : PythonLiterals.floatList(row.predictedScores()));
                f.add(String.valueOf(row.replacement()));
                f.addAll(evaluatedFields(row.actualScores(), row.actualScoresAvg(), retrains));
                f.addAll(row.extra().values());
                p.printRecord(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        io.accent.core.AtomicFiles.writeString(file, b.toString());
    }

    /**
     * Reads all rows of a result file. Besides the six standard columns, the evaluation's {@code
     * actual_scores_0..4} and {@code actual_scores_avg} columns are parsed when present; other
     * columns are kept as text ({@link ExplanationRow#extra()}).
     *
     * @throws DataException if the file does not start with the standard columns, ends in a partial
     *     line, or has a malformed row (the message names the file and line)
     * @throws UncheckedIOException on an I/O error
     */
    public static List<ExplanationRow> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read explanations file "
                            + file
                            + ": "
                            + io.accent.core.AtomicFiles.reason(e),
                    e);
        }
        return read(file, text);
    }

    /**
     * {@link #read(Path)} on the content {@code text} of {@code file}, read by the caller (e.g.
     * through a channel that holds a lock on the file: on POSIX systems, closing any other
     * descriptor of the file would release it).
     */
    public static List<ExplanationRow> read(Path file, String text) {
        if (text.isEmpty()) {
            throw new DataException("explanations file " + file + " is empty (no header)");
        }
        if (!text.endsWith("\n")) {
            throw new DataException(
                    "explanations file "
                            + file
                            + " ends in a partial line (an interrupted write?); reopen it for"
                            + " append to repair it");
        }
        return parse(file, text, null);
    }

    /**
     * Parses complete lines. With {@code exactHeader} the header must be exactly that (a file being
     * appended to), otherwise (null) it must start with {@link #HEADER}.
     */
    static List<ExplanationRow> parse(Path file, String text, List<String> exactHeader) {
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
            Iterator<CSVRecord> it = parser.iterator();
            if (!it.hasNext()) {
                throw new DataException("explanations file " + file + " has no header");
            }
            List<String> header = it.next().toList();
            boolean ok =
                    exactHeader != null
                            ? header.equals(exactHeader)
                            : header.size() >= HEADER.size()
                                    && header.subList(0, HEADER.size()).equals(HEADER);
            if (!ok) {
                throw new DataException(
                        "explanations file "
                                + file
                                + " has header "
                                + header
                                + ", expected "
                                + (exactHeader != null
                                        ? exactHeader
                                        : "one starting with " + HEADER));
            }
            List<Integer> actualColumns = new ArrayList<>();
            int avgColumn = -1;
            List<Integer> extraColumns = new ArrayList<>();
            for (int c = HEADER.size(); c < header.size(); c++) {
                String name = header.get(c);
                if (name.equals(ACTUAL_AVG)) {
                    avgColumn = c;
                } else if (name.matches(ACTUAL_PREFIX + "\\d+")) {
                    actualColumns.add(c);
                } else {
                    extraColumns.add(c);
                }
            }
            List<ExplanationRow> rows = new ArrayList<>();
            while (it.hasNext()) {
                CSVRecord r = it.next();
                if (r.size() != header.size()) {
                    throw new DataException(
                            "explanations file "
                                    + file
                                    + " line "
                                    + r.getRecordNumber()
                                    + ": "
                                    + r.size()
                                    + " fields, expected "
                                    + header.size()
                                    + ": "
                                    + r.toList());
                }
                try {
                    rows.add(row(r, header, actualColumns, avgColumn, extraColumns));
                } catch (IllegalArgumentException e) {
                    throw new DataException(
                            "explanations file "
                                    + file
                                    + " line "
                                    + r.getRecordNumber()
                                    + ": "
                                    + e.getMessage()
                                    + ": "
                                    + r.toList(),
                            e);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot parse explanations file " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException | IllegalStateException e) {
            // Commons CSV's iterator reports malformed quoting this way (the input is in memory)
            throw new DataException(
                    "explanations file " + file + " is not valid CSV: " + e.getMessage(), e);
        }
    }

    private static ExplanationRow row(
            CSVRecord r,
            List<String> header,
            List<Integer> actualColumns,
            int avgColumn,
            List<Integer> extraColumns) {
        int user = PythonLiterals.parseInt(r.get(0));
        int item = PythonLiterals.parseInt(r.get(1));
        List<Integer> topK = PythonLiterals.parseIntList(r.get(2));
        List<Integer> cf = r.get(3).isEmpty() ? List.of() : PythonLiterals.parseIntSet(r.get(3));
        List<Double> predicted =
                r.get(4).isEmpty() ? List.of() : PythonLiterals.parseFloatList(r.get(4));
        int replacement = PythonLiterals.parseInt(r.get(5));
        if (!predicted.isEmpty() && predicted.size() != topK.size()) {
            throw new IllegalArgumentException(
                    predicted.size() + " predicted scores for " + topK.size() + " items");
        }
        if (cf.isEmpty() ? replacement != -1 : !topK.contains(replacement)) {
            throw new IllegalArgumentException(
                    "replacement "
                            + replacement
                            + (cf.isEmpty()
                                    ? " without a counterfactual set"
                                    : " is not in the top list"));
        }
        List<List<Double>> actual = new ArrayList<>();
        for (int c : actualColumns) {
            actual.add(r.get(c).isEmpty() ? List.of() : PythonLiterals.parseFloatList(r.get(c)));
        }
        List<Double> avg =
                avgColumn < 0 || r.get(avgColumn).isEmpty()
                        ? List.of()
                        : PythonLiterals.parseFloatList(r.get(avgColumn));
        java.util.Map<String, String> extra = new java.util.LinkedHashMap<>();
        for (int c : extraColumns) {
            extra.put(header.get(c), r.get(c));
        }
        return new ExplanationRow(user, item, topK, cf, predicted, replacement, actual, avg, extra);
    }
}
