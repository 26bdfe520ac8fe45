package io.accent.data;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw MovieLens 100K and RCF files into the prepared directory the models read (docs/SPEC.md
 * §1.2–1.6): {@code ncf-train.tsv}, {@code ncf-test.tsv}, {@code rcf-train.csv}, {@code
 * rcf-test.csv}, id maps, copies of the RCF side files and {@code dataset.json} with row counts and
 * SHA-256 digests. The result is deterministic and written atomically.
 */
public final class DatasetPreparation {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetPreparation.class);

    /** The format version written to {@code dataset.json}. */
    public static final String FORMAT_VERSION = "1";

    private DatasetPreparation() {}

    /** Prepares {@code config.outDir()}, replacing it as a whole once everything is written. */
    public static PreparationSummary prepare(PrepareConfig config, Progress progress) {
        Path uData = input(config.movielensDir(), MovieLensFiles.RATINGS);
        Path uItem = input(config.movielensDir(), MovieLensFiles.ITEMS);
        Path auxFile = input(config.rcfDir(), AuxiliaryMapping.FILE_NAME);
        Path relFile = input(config.rcfDir(), RelationalData.FILE_NAME);
        OutputTarget target = config.target();
        target.check();

        progress.start("prepare " + config.name(), 4);
        RawRatings raw = MovieLensFiles.readRatings(uData);
        Map<Integer, String> titles = MovieLensFiles.readTitles(uItem);
        AuxiliaryMapping aux = AuxiliaryMapping.read(auxFile);
        RelationalData relational = RelationalData.read(relFile);
        checkRelational(relational, aux, relFile);
        progress.step(1);

        PreparedTables tables = PreparedTables.build(raw, aux, config.name());
        if (tables.users().size() == 0) {
            throw new DataException(
                    uData
                            + ": no user has at least "
                            + TemporalSplit.MIN_POSITIVES
                            + " positive and "
                            + TemporalSplit.MIN_NEGATIVES
                            + " negative ratings of movies in "
                            + auxFile);
        }
        IdMap rcfItems = tables.rcfItems(relational, config.name());
        String[] ncfTitles = titles(tables.ncfItems(), titles, uItem);
        String[] rcfTitles = titles(rcfItems, titles, uItem);
        progress.step(1);

        Map<String, String> digests = new LinkedHashMap<>();
        AtomicFiles.writeDirectory(
                target,
                dir -> {
                    writeIds(dir.resolve(PreparedDataset.USERS), tables.users(), null);
                    writeIds(dir.resolve(PreparedDataset.NCF_ITEMS), tables.ncfItems(), ncfTitles);
                    tables.ncfTrain().write(dir.resolve(PreparedDataset.NCF_TRAIN));
                    tables.ncfTest().write(dir.resolve(PreparedDataset.NCF_TEST));
                    writeIds(dir.resolve(PreparedDataset.RCF_ITEMS), rcfItems, rcfTitles);
                    tables.rcfTrain().write(dir.resolve(PreparedDataset.RCF_TRAIN));
                    tables.rcfTest().write(dir.resolve(PreparedDataset.RCF_TEST));
                    copy(relFile, dir.resolve(RelationalData.FILE_NAME));
                    copy(auxFile, dir.resolve(AuxiliaryMapping.FILE_NAME));
                    progress.step(1);
                    for (String f :
                            List.of(
                                    PreparedDataset.USERS,
                                    PreparedDataset.NCF_ITEMS,
                                    PreparedDataset.NCF_TRAIN,
                                    PreparedDataset.NCF_TEST,
                                    PreparedDataset.RCF_ITEMS,
                                    PreparedDataset.RCF_TRAIN,
                                    PreparedDataset.RCF_TEST,
                                    RelationalData.FILE_NAME,
                                    AuxiliaryMapping.FILE_NAME)) {
                        digests.put(f, Digests.sha256(dir.resolve(f)));
                    }
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("name", config.name());
                    json.put("version", FORMAT_VERSION);
                    Map<String, Object> counts = new LinkedHashMap<>();
                    counts.put("users", tables.users().size());
                    counts.put("ncfItems", tables.ncfItems().size());
                    counts.put("ncfTrainRows", tables.ncfTrain().size());
                    counts.put("ncfTestRows", tables.ncfTest().size());
                    counts.put("rcfItems", rcfItems.size());
                    counts.put("rcfTrainTriples", tables.rcfTrain().size());
                    counts.put("rcfTestPairs", tables.rcfTest().size());
                    counts.put("relationalRows", relational.size());
                    counts.put("genres", aux.genreCount());
                    counts.put("directors", aux.directorCount());
                    counts.put("actors", aux.actorCount());
                    json.put("counts", counts);
                    Map<String, String> sources = new LinkedHashMap<>();
                    sources.put(MovieLensFiles.RATINGS, Digests.sha256(uData));
                    sources.put(MovieLensFiles.ITEMS, Digests.sha256(uItem));
                    sources.put(AuxiliaryMapping.FILE_NAME, Digests.sha256(auxFile));
                    sources.put(RelationalData.FILE_NAME, Digests.sha256(relFile));
                    json.put("sources", sources);
                    json.put("files", digests);
                    writeJson(dir.resolve(PreparedDataset.DESCRIPTOR), json);
                });
        progress.step(1);
        progress.close();
        LOG.debug(
                "prepared {} in {}: {} users, {} NCF training rows, {} RCF triples",
                config.name(),
                config.outDir(),
                tables.users().size(),
                tables.ncfTrain().size(),
                tables.rcfTrain().size());
        return new PreparationSummary(
                config.outDir(),
                config.name(),
                tables.users().size(),
                tables.ncfItems().size(),
                tables.ncfTrain().size(),
                tables.ncfTest().size(),
                rcfItems.size(),
                tables.rcfTrain().size(),
                tables.rcfTest().size(),
                relational.size(),
                digests.get(PreparedDataset.NCF_TRAIN));
    }

    static void writeJson(Path file, Object value) {
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter()
                        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            String text = new ObjectMapper().writer(printer).writeValueAsString(value) + "\n";
            AtomicFiles.writeString(file, text);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Copies the bytes only (not the permissions of a possibly read-only source). */
    private static void copy(Path from, Path to) {
        AtomicFiles.write(to, out -> Files.copy(from, out));
    }

    private static Path input(Path dir, String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new DataException(
                    p
                            + ": file not found"
                            + (Files.isDirectory(dir) ? "" : " (no directory " + dir + ")"));
        }
        return p;
    }

    private static void checkRelational(RelationalData rel, AuxiliaryMapping aux, Path file) {
        for (int k = 0; k < rel.size(); k++) {
            int[] items = {rel.head(k), rel.tailPositive(k), rel.tailNegative(k)};
            for (int item : items) {
                if (!aux.contains(item)) {
                    throw new DataException(
                            file
                                    + ":"
                                    + (k + 2)
                                    + ": item "
                                    + item
                                    + " is not in "
                                    + AuxiliaryMapping.FILE_NAME);
                }
            }
            if (!aux.get(rel.head(k)).has(rel.type(k), rel.value(k))) {
                throw new DataException(
                        file
                                + ":"
                                + (k + 2)
                                + ": head "
                                + rel.head(k)
                                + " lacks value "
                                + rel.value(k)
                                + " of type "
                                + rel.type(k));
            }
        }
    }

    private static String[] titles(IdMap items, Map<Integer, String> titles, Path uItem) {
        String[] out = new String[items.size()];
        for (int k = 0; k < out.length; k++) {
            String t = titles.get(items.raw(k));
            if (t == null) {
                throw new DataException(
                        uItem + ": no line for item " + items.raw(k) + " of the ratings");
            }
            out[k] = t;
        }
        return out;
    }

    private static void writeIds(Path file, IdMap ids, String[] titles) {
        DelimitedFile.write(
                file,
                out -> {
                    StringBuilder sb = new StringBuilder(64);
                    for (int k = 0; k < ids.size(); k++) {
                        sb.setLength(0);
                        sb.append(k).append('\t').append(ids.raw(k));
                        if (titles != null) {
                            sb.append('\t').append(titles[k]);
                        }
                        sb.append('\n');
                        out.append(sb);
                    }
                });
    }
}
