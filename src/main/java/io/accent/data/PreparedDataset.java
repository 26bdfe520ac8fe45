package io.accent.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.DataException;
import io.accent.core.InputFiles;
import io.accent.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared data set as the NCF model sees it (written by {@link DatasetPreparation}): dense user
 * and item id maps, training rows and held-out rows. Immutable.
 *
 * <p>Id conventions (docs/SPEC.md §1.4): user index = rank of the raw user id among the kept users;
 * item index = rank of the raw item id among the items of the NCF training file.
 */
public final class PreparedDataset {

    public static final String DESCRIPTOR = "dataset.json";
    public static final String USERS = "users.tsv";
    public static final String NCF_ITEMS = "ncf-items.tsv";
    public static final String NCF_TRAIN = "ncf-train.tsv";
    public static final String NCF_TEST = "ncf-test.tsv";
    public static final String RCF_ITEMS = "rcf-items.tsv";
    public static final String RCF_TRAIN = "rcf-train.csv";
    public static final String RCF_TEST = "rcf-test.csv";

    private final Path directory;
    private final String name;
    private final String version;
    private final String fingerprint;
    private final IdMap users;
    private final IdMap items;
    private final String[] titles;
    private final Ratings train;
    private final Ratings heldOut;

    private PreparedDataset(
            Path directory,
            String name,
            String version,
            String fingerprint,
            IdMap users,
            IdMap items,
            String[] titles,
            Ratings train,
            Ratings heldOut) {
        this.directory = directory;
        this.name = name;
        this.version = version;
        this.fingerprint = fingerprint;
        this.users = users;
        this.items = items;
        this.titles = titles;
        this.train = train;
        this.heldOut = heldOut;
    }

    /**
     * Reads {@code users.tsv}, {@code ncf-items.tsv}, {@code ncf-train.tsv}, {@code ncf-test.tsv}
     * and {@code dataset.json} from {@code dir}, checking each file against the SHA-256 recorded in
     * {@code dataset.json}.
     */
    public static PreparedDataset load(Path dir) {
        Descriptor d = Descriptor.read(dir);
        d.verify(USERS);
        d.verify(NCF_ITEMS);
        String fingerprint = d.verify(NCF_TRAIN);
        d.verify(NCF_TEST);
        IdMap users = readIds(dir.resolve(USERS), d.name(), null);
        List<String> titles = new ArrayList<>();
        IdMap items = readIds(dir.resolve(NCF_ITEMS), d.name(), titles);
        Ratings train = Ratings.read(dir.resolve(NCF_TRAIN));
        Ratings heldOut = Ratings.read(dir.resolve(NCF_TEST));
        train.checkRange(users.size(), items.size(), dir.resolve(NCF_TRAIN).toString());
        heldOut.checkRange(users.size(), items.size(), dir.resolve(NCF_TEST).toString());
        return new PreparedDataset(
                dir,
                d.name(),
                d.version(),
                fingerprint,
                users,
                items,
                titles.toArray(String[]::new),
                train,
                heldOut);
    }

    /** The data set name from {@code dataset.json} (e.g. {@code ml-100k}). */
    public String name() {
        return name;
    }

    /** The format version from {@code dataset.json}. */
    public String version() {
        return version;
    }

    /** SHA-256 (hex) of {@code ncf-train.tsv}: identifies the training data. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The directory this data set was loaded from. */
    public Path directory() {
        return directory;
    }

    /** Kept users: dense index to raw MovieLens user id. */
    public IdMap users() {
        return users;
    }

    /** NCF items: dense index to raw MovieLens item id. */
    public IdMap items() {
        return items;
    }

    /** NCF training rows (dense ids), in the order of {@code ncf-train.tsv}. */
    public Ratings train() {
        return train;
    }

    /** Held-out rows (dense ids) of items in the NCF item space, in user then time order. */
    public Ratings heldOut() {
        return heldOut;
    }

    /** The title of NCF item {@code itemIndex}. */
    public String title(int itemIndex) {
        if (itemIndex < 0 || itemIndex >= titles.length) {
            throw new DataException(
                    "item index "
                            + itemIndex
                            + " is out of range 0.."
                            + (titles.length - 1)
                            + " of "
                            + name);
        }
        return titles[itemIndex];
    }

    @Override
    public String toString() {
        return "PreparedDataset["
                + name
                + ", "
                + users.size()
                + " users, "
                + items.size()
                + " items, "
                + train.size()
                + " training rows]";
    }

    /**
     * Reads an {@code index \t raw [\t title]} file; indices must be 0, 1, 2, ... When {@code
     * titles} is not null the third column is required and collected.
     */
    static IdMap readIds(Path file, String source, List<String> titles) {
        IntList raw = new IntList(2048);
        DelimitedFile.read(
                file,
                StandardCharsets.UTF_8,
                '\t',
                null,
                row -> {
                    row.expect(titles == null ? 2 : 3);
                    int index = row.intField(0, "index");
                    if (index != raw.size()) {
                        throw row.error("expected index " + raw.size() + ", got " + index);
                    }
                    raw.add(row.intField(1, "raw id"));
                    if (titles != null) {
                        titles.add(row.field(2));
                    }
                });
        try {
            return IdMap.of(source, raw.toArray());
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": " + e.getMessage(), e);
        }
    }

    /** The parsed {@code dataset.json}. */
    record Descriptor(Path dir, String name, String version, JsonNode json) {

        static Descriptor read(Path dir) {
            Path file = dir.resolve(DESCRIPTOR);
            if (!Files.isRegularFile(file)) {
                throw new DataException(
                        file
                                + ": file not found"
                                + (Files.isDirectory(dir) ? "" : " (no directory " + dir + ")")
                                + "; run 'accent data prepare' first");
            }
            JsonNode json =
                    Json.readTree(
                            file, InputFiles.MAX_JSON_BYTES, "descriptor", DataException::new);
            String name = text(json, "name", file);
            String version = text(json, "version", file);
            if (!version.equals(DatasetPreparation.FORMAT_VERSION)) {
                throw new DataException(
                        file
                                + ": unsupported version '"
                                + version
                                + "', expected '"
                                + DatasetPreparation.FORMAT_VERSION
                                + "'");
            }
            return new Descriptor(dir, name, version, json);
        }

        /** Checks {@code file}'s SHA-256 against the recorded one and returns it. */
        String verify(String fileName) {
            Path file = dir.resolve(fileName);
            if (!Files.isRegularFile(file)) {
                throw new DataException(file + ": file not found");
            }
            JsonNode expected = json.path("files").path(fileName);
            if (!expected.isTextual()) {
                throw new DataException(
                        dir.resolve(DESCRIPTOR) + ": no SHA-256 recorded for " + fileName);
            }
            String actual = Digests.sha256(file);
            if (!actual.equals(expected.asText())) {
                throw new DataException(
                        file
                                + ": SHA-256 "
                                + actual
                                + " differs from "
                                + expected.asText()
                                + " recorded in "
                                + DESCRIPTOR
                                + " (file changed after preparation?)");
            }
            return actual;
        }

        int count(String key) {
            JsonNode n = json.path("counts").path(key);
            if (!n.canConvertToInt()) {
                throw new DataException(dir.resolve(DESCRIPTOR) + ": no count '" + key + "'");
            }
            return n.asInt();
        }

        private static String text(JsonNode json, String field, Path file) {
            JsonNode n = json.get(field);
            if (n == null || !n.isTextual() || n.asText().isEmpty()) {
                throw new DataException(file + ": missing text field '" + field + "'");
            }
            return n.asText();
        }
    }
}
