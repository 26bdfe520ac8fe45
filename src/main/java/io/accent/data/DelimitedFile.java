package io.accent.data;

import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.function.Consumer;

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
        read(file, charset, String.valueOf(delimiter), header, body);
    }

    /**
     * Calls {@code body} for every line of {@code file}, split at every occurrence of {@code
     * delimiter} (one or more characters, no quoting). If {@code header} is not null, the first
     * line must equal it and is not passed on. Lines end at LF, CR or CRLF; an empty line is a row
     * of one empty field.
     */
    static void read(
            Path file, Charset charset, String delimiter, String header, Consumer<Row> body) {
        read(
                file,
                charset,
                delimiter,
                header == null ? null : first -> first.content().equals(header),
                "expected header '" + header + "'",
                body);
    }

    /**
     * Like {@link #read(Path, Charset, String, String, Consumer)}, but when {@code header} is not
     * null the first line is a header that it must accept (otherwise the error names {@code
     * headerError}); the header row is not passed on.
     */
    static void read(
            Path file,
            Charset charset,
            String delimiter,
            java.util.function.Predicate<Row> header,
            String headerError,
            Consumer<Row> body) {
        if (delimiter.isEmpty()) {
            throw new IllegalArgumentException("empty delimiter");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        CharsetDecoder decoder =
                charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16)) {
            long line = 0;
            String text;
            ArrayList<String> fields = new ArrayList<>();
            while ((text = reader.readLine()) != null) {
                line++;
                if (!isText(text)) {
                    // never echo binary bytes to a terminal
                    throw new DataException(
                            file
                                    + ":"
                                    + line
                                    + ": not a line of text (control"
                                    + " characters; a binary file?)");
                }
                Row row = new Row(file, line, split(text, delimiter, fields), delimiter);
                if (line == 1 && header != null) {
                    if (!header.test(row)) {
                        throw row.error(headerError);
                    }
                    continue;
                }
                body.accept(row);
            }
            if (line == 0 && header != null) {
                throw new DataException(file + ": empty file, " + headerError);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found", e);
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not valid " + charset + " text", e);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String[] split(String text, String delimiter, ArrayList<String> fields) {
        fields.clear();
        int from = 0;
        int at;
        while ((at = text.indexOf(delimiter, from)) >= 0) {
            fields.add(text.substring(from, at));
            from = at + delimiter.length();
        }
        fields.add(text.substring(from));
        return fields.toArray(new String[0]);
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
        private final String delimiter;

        Row(Path file, long line, String[] fields, String delimiter) {
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
            return String.join(delimiter, fields);
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
                case "\t" -> "tab";
                case "," -> "comma";
                default -> "'" + delimiter + "'";
            };
        }
    }
}
