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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw ratings (any {@link RatingLayout}) and, when given, the RCF release files into the
 * prepared directory the models read (docs/SPEC.md §1.2–1.6): {@code ncf-train.tsv}, {@code
 * ncf-test.tsv}, id maps and, with the RCF files, {@code rcf-train.csv}, {@code rcf-test.csv} and
 * copies of the RCF side files; {@code dataset.json} records the layout, the split parameters, row
 * counts, SHA-256 digests and what was left out. The result is deterministic and written
 * atomically.
 */
public final class DatasetPreparation {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetPreparation.class);

    /** The format version written to {@code dataset.json}. */
    public static final String FORMAT_VERSION = "1";

    private DatasetPreparation() {}

    /** The RCF files a preparation without {@code --rcf} leaves out. */
    static final List<String> RCF_FILES =
            List.of(
                    PreparedDataset.RCF_ITEMS,
                    PreparedDataset.RCF_TRAIN,
                    PreparedDataset.RCF_TEST,
                    RelationalData.FILE_NAME,
                    AuxiliaryMapping.FILE_NAME);

    /** Why RCF's files are left out without {@code --rcf}, as recorded in {@code dataset.json}. */
    public static final String RCF_SKIPPED_REASON =
            "no RCF directory (auxiliary-mapping.txt, relational_data.csv) was given; RCF's"
                    + " attributes and relational rows cannot be derived from ratings yet";

    /** Prepares {@code config.outDir()}, replacing it as a whole once everything is written. */
    public static PreparationSummary prepare(PrepareConfig config, Progress progress) {
        RatingSource.Opened source = config.source().open();
        Path ratingsFile = input(source.ratings());
        Optional<Path> itemsFile = source.items().map(DatasetPreparation::input);
        Optional<Path> auxFile = config.rcfDir().map(dir -> input(dir, AuxiliaryMapping.FILE_NAME));
        Optional<Path> relFile = config.rcfDir().map(dir -> input(dir, RelationalData.FILE_NAME));
        OutputTarget target = config.target();
        target.check();

        progress.start("prepare " + config.name(), 4);
        RawRatings raw = source.readRatings();
        RatingSource.ItemSide itemSide = source.readItemSide();
        Map<Integer, String> titles = itemSide.titles();
        Optional<ItemAttributes> attributes = itemSide.attributes();
        Optional<AuxiliaryMapping> aux = auxFile.map(AuxiliaryMapping::read);
        Optional<RelationalData> relational = relFile.map(RelationalData::read);
        if (relational.isPresent()) {
            checkRelational(relational.get(), aux.orElseThrow(), relFile.orElseThrow());
        }
        progress.step(1);

        SplitRule rule = config.split();
        PreparedTables tables = PreparedTables.build(raw, aux, rule, config.name());
        if (tables.users().size() == 0) {
            throw new DataException(
                    ratingsFile
                            + ": no user has at least "
                            + rule.minPositives()
                            + " positive (rating at least "
                            + number(rule.positiveThreshold())
                            + ") and "
                            + rule.minNegatives()
                            + " negative ratings"
                            + auxFile.map(f -> " of movies in " + f).orElse(""));
        }
        Optional<IdMap> rcfItems = relational.map(r -> tables.rcfItems(r, config.name()));
        String[] ncfTitles = titles(tables.ncfItems(), titles, source);
        Optional<String[]> rcfTitles = rcfItems.map(items -> titles(items, titles, source));
        progress.step(1);

        Map<String, String> digests = new LinkedHashMap<>();
        AtomicFiles.writeDirectory(
                target,
                dir -> {
                    List<String> written = new ArrayList<>();
                    writeIds(dir.resolve(PreparedDataset.USERS), tables.users(), null);
                    writeIds(dir.resolve(PreparedDataset.NCF_ITEMS), tables.ncfItems(), ncfTitles);
                    tables.ncfTrain().write(dir.resolve(PreparedDataset.NCF_TRAIN));
                    tables.ncfTest().write(dir.resolve(PreparedDataset.NCF_TEST));
                    written.addAll(
                            List.of(
                                    PreparedDataset.USERS,
                                    PreparedDataset.NCF_ITEMS,
                                    PreparedDataset.NCF_TRAIN,
                                    PreparedDataset.NCF_TEST));
                    if (rcfItems.isPresent()) {
                        writeIds(
                                dir.resolve(PreparedDataset.RCF_ITEMS),
                                rcfItems.get(),
                                rcfTitles.orElseThrow());
                        tables.rcfTrain().write(dir.resolve(PreparedDataset.RCF_TRAIN));
                        tables.rcfTest().write(dir.resolve(PreparedDataset.RCF_TEST));
                        copy(relFile.orElseThrow(), dir.resolve(RelationalData.FILE_NAME));
                        copy(auxFile.orElseThrow(), dir.resolve(AuxiliaryMapping.FILE_NAME));
                        written.addAll(RCF_FILES);
                    }
                    if (attributes.isPresent()) {
                        attributes.get().write(dir.resolve(ItemAttributes.FILE_NAME));
                        written.add(ItemAttributes.FILE_NAME);
                    }
                    progress.step(1);
                    for (String f : written) {
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
                    if (rcfItems.isPresent()) {
                        counts.put("rcfItems", rcfItems.get().size());
                        counts.put("rcfTrainTriples", tables.rcfTrain().size());
                        counts.put("rcfTestPairs", tables.rcfTest().size());
                        counts.put("relationalRows", relational.get().size());
                        counts.put("genres", aux.get().genreCount());
                        counts.put("directors", aux.get().directorCount());
                        counts.put("actors", aux.get().actorCount());
                    }
                    json.put("counts", counts);
                    attributes.ifPresent(a -> json.put("attributes", attributesJson(a)));
                    json.put("layout", layoutJson(source, raw));
                    json.put("split", rule.toJson());
                    if (rcfItems.isEmpty()) {
                        Map<String, Object> skipped = new LinkedHashMap<>();
                        skipped.put("files", RCF_FILES);
                        skipped.put("reason", RCF_SKIPPED_REASON);
                        json.put("skipped", skipped);
                    }
                    Map<String, String> sources = new LinkedHashMap<>();
                    sources.put(ratingsFile.getFileName().toString(), Digests.sha256(ratingsFile));
                    itemsFile.ifPresent(
                            f -> sources.put(f.getFileName().toString(), Digests.sha256(f)));
                    for (Path f : itemSide.attributeFiles()) {
                        sources.put(f.getFileName().toString(), Digests.sha256(f));
                    }
                    auxFile.ifPresent(
                            f -> sources.put(AuxiliaryMapping.FILE_NAME, Digests.sha256(f)));
                    relFile.ifPresent(
                            f -> sources.put(RelationalData.FILE_NAME, Digests.sha256(f)));
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
                source.layout(),
                raw.size(),
                tables.users().size(),
                tables.ncfItems().size(),
                tables.ncfTrain().size(),
                tables.ncfTest().size(),
                rcfItems.map(IdMap::size).orElse(0),
                tables.rcfTrain().size(),
                tables.rcfTest().size(),
                relational.map(RelationalData::size).orElse(0),
                rcfItems.isPresent(),
                digests.get(PreparedDataset.NCF_TRAIN));
    }

    /** The kinds of {@code attributes.tsv} with their numbers of values, items and rows. */
    private static Map<String, Object> attributesJson(ItemAttributes a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", ItemAttributes.FILE_NAME);
        Map<String, Object> kinds = new LinkedHashMap<>();
        for (int k = 0; k < a.kindCount(); k++) {
            kinds.put(a.kinds().get(k), a.vocabularySize(k));
        }
        m.put("kinds", kinds);
        m.put("items", a.size());
        m.put("rows", a.rows());
        return m;
    }

    private static Map<String, Object> layoutJson(RatingSource.Opened source, RawRatings raw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", source.layout().id());
        m.put("label", source.layout().label());
        m.put("ratings", source.ratings().getFileName().toString());
        source.items().ifPresent(f -> m.put("items", f.getFileName().toString()));
        m.put("ratingRows", raw.size());
        m.put("ratingStep", 1.0 / raw.scale());
        source.delimited()
                .ifPresent(
                        f -> {
                            m.put("columns", new TreeMap<>(f.columns()));
                            m.put("delimiter", f.delimiter());
                            m.put("header", f.header());
                            if (!f.itemColumns().isEmpty()) {
                                m.put("itemColumns", new TreeMap<>(f.itemColumns()));
                            }
                        });
        return m;
    }

    /** {@code 3} rather than {@code 3.0}. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
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

    private static Path input(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        return file;
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

    /**
     * The titles of {@code items}; a MovieLens layout must list every item, a rating log's item
     * without a title is called {@code item <id>}.
     */
    private static String[] titles(
            IdMap items, Map<Integer, String> titles, RatingSource.Opened source) {
        String[] out = new String[items.size()];
        for (int k = 0; k < out.length; k++) {
            String t = titles.get(items.raw(k));
            if (t == null) {
                if (source.titlesRequired()) {
                    throw new DataException(
                            source.items().orElseThrow()
                                    + ": no line for item "
                                    + items.raw(k)
                                    + " of the ratings");
                }
                t = "item " + items.raw(k);
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
