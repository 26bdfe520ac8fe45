package io.accent.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.accent.api.Accent;
import io.accent.api.AccentModel;
import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import io.accent.core.InputFiles;
import io.accent.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent score}: scores of given (user, item) pairs, for any model family. */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Score (user, item) pairs with a model of any family.",
            "PAIRS is a CSV file (UTF-8, quoted fields allowed) with a header naming columns"
                    + " 'user' and 'item' once each (raw ids; other columns are ignored, e.g."
                    + " rcf-test.csv's pos_item/neg_item need renaming).",
            "The output has the columns user, item, score, one row per input row, in input order."
                    + " Pairs are scored 65,536 at a time and written as they are scored; a bad row"
                    + " stops the command with an error naming its line (rows of earlier chunks have"
                    + " then been written)."
        })
final class ScoreCommand implements Callable<Integer> {

    enum Format {
        csv,
        json
    }

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(
            names = "--pairs",
            required = true,
            paramLabel = "FILE",
            description = "CSV file with user,item columns.")
    Path pairs;

    @Option(
            names = "--format",
            defaultValue = "csv",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin Options.Verbose verbose;

    /** Pairs scored per model call: the memory used does not grow with the file. */
    static final int CHUNK = 65_536;

    /** Who scores the pairs ({@link Main#commandLine(Backend)}). */
    Backend backend = Backend.LOCAL;

    @Override
    public Integer call() throws Exception {
        // the pairs file and its header are checked before the model is loaded
        try (PairFile in = PairFile.open(pairs);
                AccentModel m = Accent.open(modelOption.dir)) {
            PrintWriter out = spec.commandLine().getOut();
            score(
                    in,
                    m,
                    backend.scorer(new Jobs.Model(modelOption.dir, spec), m),
                    format,
                    out,
                    CHUNK);
            out.flush();
        }
        return 0;
    }

    /**
     * Scores every pair of {@code in} with {@code m}, {@code chunk} pairs per model call, and
     * writes the rows of each chunk to {@code out} before the next is read. A bad row is reported
     * when its chunk is read; rows of earlier chunks have then been written.
     */
    static void score(PairFile in, AccentModel m, Format format, PrintWriter out, int chunk)
            throws IOException {
        score(in, m, m::score, format, out, chunk);
    }

    /** As above, with the scores of each chunk from {@code scorer}. */
    static void score(
            PairFile in,
            AccentModel m,
            Jobs.Scorer scorer,
            Format format,
            PrintWriter out,
            int chunk)
            throws IOException {
        JsonGenerator json = null;
        if (format == Format.csv) {
            out.println("user,item,score");
        } else {
            json = Json.mapper().writer().createGenerator(out);
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.writeStartArray();
        }
        for (int[][] c = in.next(chunk, m::knowsUser, m::knowsItem);
                c != null;
                c = in.next(chunk, m::knowsUser, m::knowsItem)) {
            int[] u = c[0];
            int[] i = c[1];
            float[] s = scorer.score(u, i);
            for (int k = 0; k < u.length; k++) {
                int ru = u[k];
                int ri = i[k];
                if (json == null) {
                    out.print(ru);
                    out.print(',');
                    out.print(ri);
                    out.print(',');
                    out.println(s[k]);
                } else {
                    json.writeStartObject();
                    json.writeNumberField("user", ru);
                    json.writeNumberField("item", ri);
                    json.writeNumberField("score", s[k]);
                    json.writeEndObject();
                }
            }
            if (json != null) {
                json.flush();
            }
            out.flush();
        }
        if (json != null) {
            json.writeEndArray();
            json.close();
            out.println();
        }
    }

    /**
     * A CSV file of (user, item) pairs (RFC 4180: quoted fields and header names, a UTF-8 byte
     * order mark, CRLF or LF line ends), read a chunk at a time. Its header must name the columns
     * {@code user} and {@code item} once each. Every error names the file and the line, never its
     * content (ids that parse as integers excepted).
     */
    static final class PairFile implements AutoCloseable {
        private final Path file;
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final int userColumn;
        private final int itemColumn;
        private long lastLine;

        private PairFile(
                Path file, CSVParser parser, long headerLine, int userColumn, int itemColumn) {
            this.file = file;
            this.parser = parser;
            this.lastLine = headerLine;
            this.records = parser.iterator();
            this.userColumn = userColumn;
            this.itemColumn = itemColumn;
        }

        /** Opens {@code file} and reads its header. */
        static PairFile open(Path file) {
            if (Files.isDirectory(file)) {
                throw new DataException(file + " is a directory, not a CSV file of pairs");
            }
            InputStream stream;
            try {
                stream = Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new DataException("pairs file " + file + " does not exist", e);
            } catch (IOException e) {
                throw new DataException(
                        "cannot read pairs file " + file + ": " + AtomicFiles.reason(e), e);
            }
            CSVParser parser;
            try {
                parser =
                        CSVParser.builder()
                                .setReader(
                                        InputFiles.utf8Reader(
                                                stream, file, InputFiles.MAX_LINE_CHARS))
                                .setFormat(CSVFormat.DEFAULT)
                                .get();
            } catch (IOException e) {
                closeQuietly(stream);
                throw new DataException(
                        "cannot read pairs file " + file + ": " + AtomicFiles.reason(e), e);
            }
            try {
                Iterator<CSVRecord> it = parser.iterator();
                CSVRecord header = nextRecord(it, file, 0);
                if (header == null) {
                    throw new DataException(
                            file + ": empty file (a header with columns user,item is required)");
                }
                long hl = parser.getCurrentLineNumber();
                int uc = -1;
                int ic = -1;
                for (int c = 0; c < header.size(); c++) {
                    String n = header.get(c).strip();
                    if (n.equals("user") || n.equals("item")) {
                        if ((n.equals("user") ? uc : ic) >= 0) {
                            throw new DataException(
                                    file
                                            + " line "
                                            + hl
                                            + ": the header names column '"
                                            + n
                                            + "' twice");
                        }
                        if (n.equals("user")) {
                            uc = c;
                        } else {
                            ic = c;
                        }
                    }
                }
                if (uc < 0 || ic < 0) {
                    throw new DataException(
                            file
                                    + " line "
                                    + hl
                                    + ": the header must name columns 'user' and 'item' (it has "
                                    + header.size()
                                    + " column"
                                    + (header.size() == 1 ? "" : "s")
                                    + (uc >= 0 ? ", 'user' among them" : "")
                                    + (ic >= 0 ? ", 'item' among them" : "")
                                    + ")");
                }
                return new PairFile(file, parser, hl, uc, ic);
            } catch (RuntimeException e) {
                closeQuietly(parser);
                throw e;
            }
        }

        /**
         * The next at most {@code max} pairs as raw ids ({@code [users, items]}), each known to the
         * model, or null at the end of the file.
         */
        int[][] next(
                int max,
                java.util.function.IntPredicate users,
                java.util.function.IntPredicate items) {
            int[] u = new int[Math.min(max, 1024)];
            int[] i = new int[u.length];
            int n = 0;
            while (n < max) {
                CSVRecord r = nextRecord(records, file, lastLine);
                if (r == null) {
                    break;
                }
                long line = parser.getCurrentLineNumber();
                lastLine = line;
                if (r.size() == 1 && r.get(0).isBlank()) {
                    continue;
                }
                if (r.size() <= Math.max(userColumn, itemColumn)) {
                    throw new DataException(
                            file
                                    + " line "
                                    + line
                                    + ": expected at least "
                                    + (Math.max(userColumn, itemColumn) + 1)
                                    + " fields, got "
                                    + r.size());
                }
                if (n == u.length) {
                    int c = (int) Math.min(max, 2L * n);
                    u = Arrays.copyOf(u, c);
                    i = Arrays.copyOf(i, c);
                }
                u[n] =
                        lookup(
                                users,
                                parse(r.get(userColumn), file, line, "user"),
                                file,
                                line,
                                "user");
                i[n] =
                        lookup(
                                items,
                                parse(r.get(itemColumn), file, line, "item"),
                                file,
                                line,
                                "item");
                n++;
            }
            return n == 0 ? null : new int[][] {Arrays.copyOf(u, n), Arrays.copyOf(i, n)};
        }

        /** The next record, or null at the end; {@code lastLine}: where the previous one ended. */
        private static CSVRecord nextRecord(Iterator<CSVRecord> it, Path file, long lastLine) {
            try {
                return it.hasNext() ? it.next() : null;
            } catch (UncheckedIOException | IllegalStateException e) {
                if (e.getCause() instanceof DataException d) {
                    throw d;
                }
                if (e.getCause() instanceof IOException io && !(io instanceof CSVException)) {
                    throw new DataException(
                            "cannot read pairs file " + file + ": " + AtomicFiles.reason(io), e);
                }
                throw new DataException(
                        file
                                + " line "
                                + (lastLine + 1)
                                + ": not valid CSV (a quote not closed, or text after a closing quote)",
                        e);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    private static int lookup(
            java.util.function.IntPredicate known, int raw, Path file, long line, String what) {
        if (!known.test(raw)) {
            throw new DataException(
                    file
                            + " line "
                            + line
                            + ": unknown "
                            + what
                            + " "
                            + raw
                            + " (not in the model's "
                            + what
                            + "s)");
        }
        return raw;
    }

    private static int parse(String s, Path file, long line, String what) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new DataException(file + " line " + line + ": " + what + " is not an integer id");
        }
    }
}
