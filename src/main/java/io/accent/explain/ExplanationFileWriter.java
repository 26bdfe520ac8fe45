package io.accent.explain;

import io.accent.core.DataException;
import io.accent.influence.UserInfluence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.apache.commons.csv.CSVPrinter;

/**
 * Appends rows to a result file, one user at a time; each row is written and forced to disk before
 * {@link #append} returns, so a killed run loses at most the row in flight. Obtained from {@link
 * ExplanationFile#openForAppend}. Not thread-safe.
 */
public final class ExplanationFileWriter implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final IntUnaryOperator rawUser;
    private final IntUnaryOperator rawItem;
    private final Set<Integer> written;
    private final List<String> repairs;
    private final List<String> header;
    private boolean closed;
    private boolean failed;

    private ExplanationFileWriter(
            Path file,
            FileChannel channel,
            IntUnaryOperator rawUser,
            IntUnaryOperator rawItem,
            Set<Integer> written,
            List<String> repairs,
            List<String> header) {
        this.file = file;
        this.header = header;
        this.repairs = List.copyOf(repairs);
        this.channel = channel;
        this.rawUser = rawUser;
        this.rawItem = rawItem;
        this.written = written;
    }

    static ExplanationFileWriter open(
            Path file, IntUnaryOperator rawUser, IntUnaryOperator rawItem) {
        return open(file, rawUser, rawItem, List.of());
    }

    /** A writer of rows with {@code extraColumns} after the six standard ones. */
    static ExplanationFileWriter open(
            Path file,
            IntUnaryOperator rawUser,
            IntUnaryOperator rawItem,
            List<String> extraColumns) {
        List<String> header = new ArrayList<>(ExplanationFile.HEADER);
        header.addAll(extraColumns);
        FileChannel ch = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ch =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            // the lock evaluate takes too (FileLocks), so neither rewrites rows the other appends
            if (io.accent.core.FileLocks.tryLock(ch, 0, Long.MAX_VALUE, false) == null) {
                throw new DataException(
                        "explanations file " + file + " is already open for writing");
            }
            List<String> repairs = new ArrayList<>();
            Set<Integer> users = recover(file, ch, repairs, header);
            ch.position(ch.size());
            ExplanationFileWriter w =
                    new ExplanationFileWriter(
                            file, ch, rawUser, rawItem, users, repairs, List.copyOf(header));
            ch = null; // owned by the writer now
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open explanations file "
                            + file
                            + ": "
                            + io.accent.core.AtomicFiles.reason(e),
                    e);
        } finally {
            if (ch != null) {
                try {
                    ch.close(); // also releases the lock
                } catch (IOException e) {
                    // failing already: the error being thrown says what went wrong
                }
            }
        }
    }

    /**
     * Checks the existing content, cuts off a partial last line, writes the header if needed; says
     * what it repaired in {@code repairs}.
     */
    private static Set<Integer> recover(
            Path file, FileChannel ch, List<String> repairs, List<String> columns)
            throws IOException {
        long size = ch.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new DataException(
                    "explanations file " + file + " is too large (" + size + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
            // read until full
        }
        byte[] bytes = buf.array();
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        String header = csvLine(new ArrayList<>(columns));
        if (end == 0) {
            // no complete line: a new file, or a header cut off while it was written
            String partial = new String(bytes, StandardCharsets.UTF_8);
            if (!header.startsWith(partial)) {
                throw new DataException(
                        "explanations file "
                                + file
                                + " does not start with the header "
                                + columns
                                + ": '"
                                + partial
                                + "'");
            }
            if (!partial.isEmpty()) {
                repairs.add(file + ": rewrote a header cut off by an interrupted run");
            }
            ch.truncate(0);
            writeFully(ch, header, 0);
            ch.force(true);
            return new HashSet<>();
        }
        List<ExplanationRow> rows =
                ExplanationFile.parse(
                        file, new String(bytes, 0, end, StandardCharsets.UTF_8), columns);
        Set<Integer> users = new HashSet<>();
        for (ExplanationRow r : rows) {
            if (!users.add(r.user())) {
                throw new DataException(
                        "explanations file " + file + " holds user " + r.user() + " twice");
            }
        }
        if (end < bytes.length) {
            repairs.add(
                    file
                            + ": removed a partial last row of "
                            + (bytes.length - end)
                            + " bytes left by an interrupted run");
            ch.truncate(end);
            ch.force(true);
        }
        return users;
    }

    private static String csvLine(List<String> fields) {
        StringBuilder b = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(b, ExplanationFile.FORMAT)) {
            p.printRecord(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return b.toString();
    }

    private static void writeFully(FileChannel ch, String text, long position) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
        ch.position(pos);
    }

    /**
     * What opening the file repaired after an interrupted run (a cut-off header or partial last
     * row), one sentence each, for the caller to report; empty when nothing was repaired.
     */
    public List<String> repairs() {
        return repairs;
    }

    /** The file written to. */
    public Path file() {
        return file;
    }

    /** Raw ids of the users that already have a row (from earlier runs or this writer). */
    public Set<Integer> writtenUsers() {
        return Collections.unmodifiableSet(new HashSet<>(written));
    }

    /** Whether the user with this dense id already has a row. */
    public boolean contains(int denseUser) {
        return written.contains(rawUser.applyAsInt(denseUser));
    }

    /**
     * Appends the row of {@code denseUser} for its first {@code topK.size()} items and forces it to
     * disk. Without an explanation the row has empty set and score fields and replacement −1.
     *
     * @param topK the user's top-k list (dense item ids); must equal the explanation's
     * @throws IllegalStateException if the user already has a row, or the writer is closed
     * @throws IllegalArgumentException if the explanation belongs to another user or top list
     * @throws UncheckedIOException on an I/O error
     */
    public void append(
            int denseUser, List<Integer> topK, Optional<CounterfactualExplanation> explanation) {
        append(denseUser, topK, explanation, List.of());
    }

    /**
     * {@link #append(int, List, Optional)} with the values of the writer's further columns.
     *
     * @throws IllegalArgumentException if {@code extraFields} does not hold one value per further
     *     column
     */
    public void append(
            int denseUser,
            List<Integer> topK,
            Optional<CounterfactualExplanation> explanation,
            List<String> extraFields) {
        if (extraFields.size() != header.size() - ExplanationFile.HEADER.size()) {
            throw new IllegalArgumentException(
                    extraFields.size()
                            + " further fields for the columns "
                            + header.subList(ExplanationFile.HEADER.size(), header.size()));
        }
        if (closed) {
            throw new IllegalStateException("explanations file " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException(
                    "an earlier write to explanations file "
                            + file
                            + " failed; reopen it to repair the last row");
        }
        if (topK.isEmpty()) {
            throw new IllegalArgumentException("empty top list for user " + denseUser);
        }
        if (explanation.isPresent()) {
            CounterfactualExplanation e = explanation.get();
            if (e.user() != denseUser || !e.topK().equals(topK)) {
                throw new IllegalArgumentException(
                        "explanation for user "
                                + e.user()
                                + " and top list "
                                + e.topK()
                                + " given as the row of user "
                                + denseUser
                                + " with top list "
                                + topK);
            }
        }
        int user = rawUser.applyAsInt(denseUser);
        if (written.contains(user)) {
            throw new IllegalStateException(
                    "explanations file " + file + " already holds user " + user);
        }
        List<String> fields = new ArrayList<>(header.size());
        fields.add(Integer.toString(user));
        fields.add(Integer.toString(rawItem.applyAsInt(topK.get(0))));
        fields.add(PythonLiterals.intList(topK, rawItem));
        if (explanation.isPresent()) {
            CounterfactualExplanation e = explanation.get();
            fields.add(PythonLiterals.intSet(e.removed(), rawItem));
            fields.add(PythonLiterals.floatList(e.predictedScores()));
            fields.add(Integer.toString(rawItem.applyAsInt(e.replacement())));
        } else {
            fields.add("");
            fields.add("");
            fields.add("-1");
        }
        fields.addAll(extraFields);
        try {
            writeFully(channel, csvLine(fields), channel.position());
            channel.force(false); // fdatasync: the data and the new file length
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException(
                    "cannot append to explanations file "
                            + file
                            + ": "
                            + io.accent.core.AtomicFiles.reason(e),
                    e);
        }
        written.add(user);
    }

    /**
     * {@link #append(int, List, Optional)} with the first {@code k} items of {@code in}'s top list.
     */
    public void append(UserInfluence in, int k, Optional<CounterfactualExplanation> explanation) {
        append(in, k, explanation, List.of());
    }

    /**
     * {@link #append(UserInfluence, int, Optional)} with the values of the writer's further
     * columns.
     */
    public void append(
            UserInfluence in,
            int k,
            Optional<CounterfactualExplanation> explanation,
            List<String> extraFields) {
        if (k < 1 || k > in.topK()) {
            throw new IllegalArgumentException("k = " + k + " for a top list of " + in.topK());
        }
        List<Integer> top = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            top.add(in.topItem(j));
        }
        append(in.user(), top, explanation, extraFields);
    }

    /** Releases the lock and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close(); // releases the lock
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot close explanations file "
                            + file
                            + ": "
                            + io.accent.core.AtomicFiles.reason(e),
                    e);
        }
    }
}
