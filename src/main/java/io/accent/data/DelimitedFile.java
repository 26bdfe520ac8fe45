package io.accent.data;

import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads and writes the simple delimited text files of this package: one record per line, no
 * quoting, no blank lines. Every parse error names the file, the 1-based line number and the line.
 */
final class DelimitedFile {

    private DelimitedFile() {}

    /**
     * Calls {@code body} for every line of {@code file}. If {@code header} is not null, the first
     * line must equal it and is not passed on.
     */
    static void read(
            Path file, Charset charset, char delimiter, String header, Consumer<Row> body) {
        CSVFormat format =
                CSVFormat.Builder.create()
                        .setDelimiter(delimiter)
                        .setQuote(null)
                        .setEscape(null)
                        .setIgnoreEmptyLines(false)
                        .setIgnoreSurroundingSpaces(false)
                        .setTrim(false)
                        .get();
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        try (Reader reader = Files.newBufferedReader(file, charset);
                CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            boolean first = true;
            for (CSVRecord record : parser) {
                Row row = new Row(file, record.getRecordNumber(), record.values(), delimiter);
                if (!isText(row.content())) {
                    // never echo binary bytes to a terminal
                    throw new DataException(
                            file
                                    + ":"
                                    + row.line()
                                    + ": not a line of text (control"
                                    + " characters; a binary file?)");
                }
                if (first && header != null) {
                    first = false;
                    if (!row.content().equals(header)) {
                        throw row.error("expected header '" + header + "'");
                    }
                    continue;
                }
                first = false;
                body.accept(row);
            }
            if (first && header != null) {
                throw new DataException(file + ": empty file, expected header '" + header + "'");
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found", e);
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not valid " + charset + " text", e);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Body that writes lines. */
    @FunctionalInterface
    interface LineWriter {
        void write(Writer out) throws IOException;
    }

    /** Writes {@code file} atomically as UTF-8 text. */
    static void write(Path file, LineWriter body) {
        write(file, StandardCharsets.UTF_8, body);
    }

    static void write(Path file, Charset charset, LineWriter body) {
        try {
            AtomicFiles.write(
                    file,
                    out -> {
                        Writer w =
                                new BufferedWriter(new OutputStreamWriter(out, charset), 1 << 16);
                        body.write(w);
                        w.flush();
                    });
        } catch (UncheckedIOException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /**
     * Whether {@code s} has no control characters (C0 other than tab, DEL, C1) and no decoding
     * errors.
     */
    static boolean isText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\t' && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xFFFD)) {
                return false;
            }
        }
        return true;
    }

    /** One line of a delimited file. */
    static final class Row {
        private final Path file;
        private final long line;
        private final String[] fields;
        private final char delimiter;

        Row(Path file, long line, String[] fields, char delimiter) {
            this.file = file;
            this.line = line;
            this.fields = fields;
            this.delimiter = delimiter;
        }

        long line() {
            return line;
        }

        int size() {
            return fields.length;
        }

        String field(int i) {
            return fields[i];
        }

        String content() {
            return String.join(String.valueOf(delimiter), fields);
        }

        /** Requires exactly {@code n} fields. */
        Row expect(int n) {
            if (fields.length != n) {
                throw error(
                        "expected "
                                + n
                                + " "
                                + delimiterName()
                                + "-separated fields, got "
                                + fields.length);
            }
            return this;
        }

        int intField(int i, String name) {
            String s = fields[i];
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw error("expected an integer " + name + ", got '" + s + "'");
            }
        }

        long longField(int i, String name) {
            String s = fields[i];
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw error("expected an integer " + name + ", got '" + s + "'");
            }
        }

        float floatField(int i, String name) {
            String s = fields[i];
            try {
                float f = Float.parseFloat(s);
                if (!Float.isFinite(f)
                        || s.isBlank()
                        || s.endsWith("f")
                        || s.endsWith("d")
                        || s.endsWith("F")
                        || s.endsWith("D")) {
                    throw new NumberFormatException(s);
                }
                return f;
            } catch (NumberFormatException e) {
                throw error("expected a number " + name + ", got '" + s + "'");
            }
        }

        /** A comma-separated list of ints in field {@code i}; non-empty, no duplicates. */
        int[] intList(int i, String name) {
            String s = fields[i];
            String[] parts = s.split(",", -1);
            int[] out = new int[parts.length];
            for (int k = 0; k < parts.length; k++) {
                try {
                    out[k] = Integer.parseInt(parts[k]);
                } catch (NumberFormatException e) {
                    throw error(
                            "expected a comma-separated list of integer "
                                    + name
                                    + ", got '"
                                    + s
                                    + "'");
                }
                if (out[k] < 0) {
                    throw error("negative " + name + " " + out[k]);
                }
                for (int q = 0; q < k; q++) {
                    if (out[q] == out[k]) {
                        throw error("duplicate " + name + " " + out[k] + " in '" + s + "'");
                    }
                }
            }
            return out;
        }

        /** An error naming file, line and content: {@code u.data:17: <message>: '<line>'}. */
        DataException error(String message) {
            return new DataException(file + ":" + line + ": " + message + ": '" + content() + "'");
        }

        private String delimiterName() {
            return switch (delimiter) {
                case '\t' -> "tab";
                case ',' -> "comma";
                case '|' -> "'|'";
                default -> "'" + delimiter + "'";
            };
        }
    }
}
