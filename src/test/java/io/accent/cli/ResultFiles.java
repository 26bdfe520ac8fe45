package io.accent.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads {@code {algo}_{k}.csv} result files with commons-csv and plain parsing of the Python
 * literals (docs/SPEC.md §8), independently of the project's own reader, for tests that recompute
 * figures from the files.
 */
final class ResultFiles {

    private ResultFiles() {}

    /** One row: the columns as parsed values; absent lists are empty. */
    record Row(
            int user,
            int item,
            List<Integer> topK,
            List<Integer> cf,
            List<Double> predicted,
            int replacement,
            List<List<Double>> actual,
            List<Double> avg) {}

    static List<Row> read(Path f) {
        try (Reader in = Files.newBufferedReader(f)) {
            List<Row> out = new ArrayList<>();
            for (CSVRecord r :
                    CSVFormat.DEFAULT
                            .builder()
                            .setHeader()
                            .setSkipHeaderRecord(true)
                            .build()
                            .parse(in)) {
                Map<String, String> m = r.toMap();
                List<List<Double>> actual = new ArrayList<>();
                for (int s = 0; m.containsKey("actual_scores_" + s); s++) {
                    List<Double> a = doubles(m.get("actual_scores_" + s));
                    if (!a.isEmpty()) {
                        actual.add(a);
                    }
                }
                out.add(
                        new Row(
                                Integer.parseInt(m.get("user")),
                                Integer.parseInt(m.get("item")),
                                ints(m.get("topk")),
                                ints(m.get("counterfactual")),
                                doubles(m.get("predicted_scores")),
                                Integer.parseInt(m.get("replacement")),
                                actual,
                                m.containsKey("actual_scores_avg")
                                        ? doubles(m.get("actual_scores_avg"))
                                        : List.of()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Integer> ints(String literal) {
        return doubles(literal).stream().map(d -> (int) Math.round(d)).toList();
    }

    static List<Double> doubles(String literal) {
        String s = literal == null ? "" : literal.trim();
        if (s.isEmpty() || s.equals("set()")) {
            return List.of();
        }
        s = s.substring(1, s.length() - 1).trim();
        List<Double> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String x : s.split(",")) {
            out.add(Double.parseDouble(x.trim()));
        }
        return out;
    }
}
