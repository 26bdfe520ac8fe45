package io.accent.data;

import io.accent.core.DataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared data set as the RCF model sees it (written by {@link DatasetPreparation}): users (same
 * indices as NCF), the RCF item id space (docs/SPEC.md §1.6, different from NCF's), training
 * triples, test pairs, relational rows and item attributes of K kinds (§11.2). Triples and
 * relational rows are kept with raw ids as in their files; {@link Triples#toIndices} and {@link
 * RelationalData#toIndices} map them to indices.
 *
 * <p>The attributes come from the RCF release's {@value AuxiliaryMapping#FILE_NAME} when the
 * directory has one (MovieLens 100K: the three kinds genre, director, actor, value ids = the
 * mapping's ids, every RCF item listed) and otherwise from {@value ItemAttributes#FILE_NAME} (any
 * kinds; an RCF item without a line there has no value of any kind).
 */
public final class RcfDataset {

    private final String name;
    private final IdMap users;
    private final IdMap items;
    private final String[] titles;
    private final Triples train;
    private final Triples test;
    private final RelationalData relational;
    private final ItemAttributes attributes;
    private final String fingerprint;

    private RcfDataset(
            String name,
            IdMap users,
            IdMap items,
            String[] titles,
            Triples train,
            Triples test,
            RelationalData relational,
            ItemAttributes attributes,
            String fingerprint) {
        this.fingerprint = fingerprint;
        this.name = name;
        this.users = users;
        this.items = items;
        this.titles = titles;
        this.train = train;
        this.test = test;
        this.relational = relational;
        this.attributes = attributes;
    }

    /** Reads the RCF files of a prepared directory, checking them against {@code dataset.json}. */
    public static RcfDataset load(Path dir) {
        PreparedDataset.Descriptor d = PreparedDataset.Descriptor.read(dir);
        if (d.json().path("skipped").path("files").toString().contains(PreparedDataset.RCF_TRAIN)) {
            throw new DataException(
                    dir + " has no RCF files: " + d.json().path("skipped").path("reason").asText());
        }
        boolean release = d.json().path("files").has(AuxiliaryMapping.FILE_NAME);
        String attributeFile = release ? AuxiliaryMapping.FILE_NAME : ItemAttributes.FILE_NAME;
        for (String f :
                List.of(
                        PreparedDataset.USERS,
                        PreparedDataset.RCF_ITEMS,
                        PreparedDataset.RCF_TRAIN,
                        PreparedDataset.RCF_TEST,
                        RelationalData.FILE_NAME,
                        attributeFile)) {
            d.verify(f);
        }
        String fingerprint = d.verify(PreparedDataset.RCF_TRAIN);
        IdMap users = PreparedDataset.readIds(dir.resolve(PreparedDataset.USERS), d.name(), null);
        List<String> titles = new ArrayList<>();
        IdMap items =
                PreparedDataset.readIds(dir.resolve(PreparedDataset.RCF_ITEMS), d.name(), titles);
        Triples train = Triples.read(dir.resolve(PreparedDataset.RCF_TRAIN));
        Triples test = Triples.read(dir.resolve(PreparedDataset.RCF_TEST));
        ItemAttributes attributes;
        if (release) {
            AuxiliaryMapping aux = AuxiliaryMapping.read(dir.resolve(AuxiliaryMapping.FILE_NAME));
            for (int k = 0; k < items.size(); k++) {
                if (!aux.contains(items.raw(k))) {
                    throw new DataException(
                            dir.resolve(PreparedDataset.RCF_ITEMS)
                                    + ": item "
                                    + items.raw(k)
                                    + " has no line in "
                                    + AuxiliaryMapping.FILE_NAME);
                }
            }
            attributes = ItemAttributes.of(aux);
        } else {
            attributes = ItemAttributes.read(dir.resolve(ItemAttributes.FILE_NAME));
        }
        Path relFile = dir.resolve(RelationalData.FILE_NAME);
        RelationalData relational = RelationalData.read(relFile, attributes.kinds());
        relational.checkValues(attributes, relFile);
        // fails with a clear message if a row refers to an unknown user or item
        train.toIndices(users, items);
        test.toIndices(users, items);
        relational.toIndices(items);
        return new RcfDataset(
                d.name(),
                users,
                items,
                titles.toArray(String[]::new),
                train,
                test,
                relational,
                attributes,
                fingerprint);
    }

    /** SHA-256 of the training triples file: the identity of the training data. */
    public String fingerprint() {
        return fingerprint;
    }

    public String name() {
        return name;
    }

    /** Kept users: dense index to raw user id (identical to the NCF user map). */
    public IdMap users() {
        return users;
    }

    /** RCF items: dense index to raw item id (sorted union of all items in the RCF files). */
    public IdMap items() {
        return items;
    }

    /** Training triples {@code (user, positive, negative)}, raw ids, in file order. */
    public Triples train() {
        return train;
    }

    /** Test pairs {@code (user, positive, negative)}, raw ids, in file order. */
    public Triples test() {
        return test;
    }

    /** Relational rows, raw item ids, in file order. */
    public RelationalData relational() {
        return relational;
    }

    /**
     * Item attributes of K kinds keyed by raw item id (relation type t = kind t − 1), over the
     * whole catalogue of the attribute file.
     */
    public ItemAttributes attributes() {
        return attributes;
    }

    /** The title of RCF item {@code itemIndex}. */
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
        return "RcfDataset["
                + name
                + ", "
                + users.size()
                + " users, "
                + items.size()
                + " items, "
                + train.size()
                + " triples]";
    }
}
