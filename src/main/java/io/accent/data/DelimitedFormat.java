package io.accent.data;

import io.accent.core.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A generic rating log (docs/SPEC.md §1.1): a delimited text file with one rating per line and the
 * columns named by {@code user=…,item=…,rating=…,timestamp=…}, each a header name or a column
 * number counted from 1; optionally an items file with {@code item=…,title=…}. User and item ids
 * are non-negative integers, the timestamp an integer (any unit: only the order counts), the rating
 * a number with at most three decimals. Fields are not quoted in the ratings file; the items file
 * follows RFC 4180 quoting when the delimiter is one character.
 *
 * @param ratings the rating log
 * @param columns where user, item, rating and timestamp are
 * @param delimiter the field separator, one or more characters
 * @param header whether the first line of each file is a header
 * @param items the optional items file
 * @param itemColumns where item and title are in the items file (empty without one)
 */
public record DelimitedFormat(
        Path ratings,
        Map<String, String> columns,
        String delimiter,
        boolean header,
        Optional<Path> items,
        Map<String, String> itemColumns) {

    /** The keys of {@code --columns}, in the order of the prepared files. */
    public static final List<String> RATING_KEYS = List.of("user", "item", "rating", "timestamp");

    /** The keys of {@code --item-columns}. */
    public static final List<String> ITEM_KEYS = List.of("item", "title");

    public DelimitedFormat {
        columns = Map.copyOf(columns);
        itemColumns = Map.copyOf(itemColumns);
        if (delimiter.isEmpty() || delimiter.contains("\n") || delimiter.contains("\r")) {
            throw new ConfigException("delimiter must be one or more characters, not a line break");
        }
        checkKeys(columns, RATING_KEYS, "--columns");
        if (items.isPresent()) {
            checkKeys(itemColumns, ITEM_KEYS, "--item-columns");
        } else if (!itemColumns.isEmpty()) {
            throw new ConfigException("--item-columns needs --items");
        }
        for (Map<String, String> m : List.of(columns, itemColumns)) {
            for (String v : m.values()) {
                if (!header && !isNumber(v)) {
                    throw new ConfigException(
                            "column '"
                                    + v
                                    + "' is a name, but the files have no header (--no-header):"
                                    + " give column numbers");
                }
            }
        }
    }

    /**
     * Parses {@code user=NAME|N,item=...,...} (keys from {@code keys}, each exactly once) into an
     * ordered map; {@code option} names the option in errors.
     */
    public static Map<String, String> parseColumns(String spec, List<String> keys, String option) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new ConfigException(
                        option + ": expected KEY=NAME or KEY=NUMBER, got '" + part + "'");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (!keys.contains(key)) {
                throw new ConfigException(
                        option + ": unknown column key '" + key + "', expected one of " + keys);
            }
            if (out.put(key, value) != null) {
                throw new ConfigException(option + ": column key '" + key + "' given twice");
            }
        }
        checkKeys(out, keys, option);
        return out;
    }

    /** Whether any column of {@code specs} is given by name (then the files need a header). */
    @SafeVarargs
    public static boolean namesColumns(Map<String, String>... specs) {
        for (Map<String, String> m : specs) {
            if (m.values().stream().anyMatch(v -> !isNumber(v))) {
                return true;
            }
        }
        return false;
    }

    /** Reads the rating log. */
    RawRatings readRatings() {
        RatingRows rows = new RatingRows(ratings, RawRatings.DECIMAL_SCALE, -1_000_000, 1_000_000);
        int[] at = new int[RATING_KEYS.size()];
        int[] width = {0};
        DelimitedFile.read(
                ratings,
                StandardCharsets.UTF_8,
                delimiter,
                header
                        ? h -> {
                            resolve(h, columns, RATING_KEYS, at);
                            width[0] = h.size();
                            return true;
                        }
                        : null,
                "",
                row -> {
                    if (width[0] == 0) {
                        resolve(row, columns, RATING_KEYS, at);
                        width[0] = row.size();
                    }
                    row.expect(width[0]);
                    rows.add(row, at[0], at[1], at[2], at[3]);
                });
        return rows.build();
    }

    /** Reads the titles of the items file (none without one). */
    Map<Integer, String> readTitles() {
        if (items.isEmpty()) {
            return Map.of();
        }
        Path file = items.get();
        int[] at = new int[ITEM_KEYS.size()];
        int[] width = {0};
        MovieLensFiles.Titles titles = new MovieLensFiles.Titles(false);
        java.util.function.Predicate<DelimitedFile.Row> head =
                header
                        ? h -> {
                            resolve(h, itemColumns, ITEM_KEYS, at);
                            width[0] = h.size();
                            return true;
                        }
                        : null;
        java.util.function.Consumer<DelimitedFile.Row> body =
                row -> {
                    if (width[0] == 0) {
                        resolve(row, itemColumns, ITEM_KEYS, at);
                        width[0] = row.size();
                    }
                    row.expect(width[0]);
                    titles.put(row, row.intField(at[0], "item id"), row.field(at[1]));
                };
        if (delimiter.length() == 1) {
            MovieLensFiles.readQuoted(
                    file, StandardCharsets.UTF_8, delimiter.charAt(0), head, "", body);
        } else {
            DelimitedFile.read(file, StandardCharsets.UTF_8, delimiter, head, "", body);
        }
        return titles.map;
    }

    /** The 0-based field of each key, from the header (names) or numbers. */
    private static void resolve(
            DelimitedFile.Row row, Map<String, String> columns, List<String> keys, int[] at) {
        Map<String, Integer> names = new HashMap<>();
        for (int k = 0; k < row.size(); k++) {
            names.putIfAbsent(row.field(k).trim(), k);
        }
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            String v = columns.get(keys.get(k));
            if (isNumber(v)) {
                int n = Integer.parseInt(v);
                if (n < 1 || n > row.size()) {
                    throw row.error(
                            "column " + n + " for " + keys.get(k) + " is not in 1.." + row.size());
                }
                at[k] = n - 1;
            } else if (names.containsKey(v)) {
                at[k] = names.get(v);
            } else {
                missing.add(v);
            }
        }
        if (!missing.isEmpty()) {
            throw row.error("header lacks column " + String.join(", ", missing));
        }
    }

    private static void checkKeys(Map<String, String> m, List<String> keys, String option) {
        for (String k : keys) {
            if (!m.containsKey(k) || m.get(k).isBlank()) {
                throw new ConfigException(option + ": no column for '" + k + "'");
            }
        }
        for (String k : m.keySet()) {
            if (!keys.contains(k)) {
                throw new ConfigException(
                        option + ": unknown column key '" + k + "', expected one of " + keys);
            }
        }
    }

    private static boolean isNumber(String v) {
        return !v.isEmpty() && v.length() <= 9 && v.chars().allMatch(Character::isDigit);
    }
}
