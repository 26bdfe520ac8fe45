package io.accent.data;

import io.accent.core.DataException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The RCF auxiliary mapping {@code auxiliary-mapping.txt}: for each movie (raw MovieLens item id)
 * its genre, director and actor ids, one line {@code movieId|g1,g2|d1,..|a1,..} per movie.
 */
public final class AuxiliaryMapping {

    /** The file name used in RCF data directories. */
    public static final String FILE_NAME = "auxiliary-mapping.txt";

    private final int[] items;
    private final Map<Integer, MovieAttributes> byItem;
    private final int genreCount;
    private final int directorCount;
    private final int actorCount;

    private AuxiliaryMapping(int[] items, Map<Integer, MovieAttributes> byItem) {
        this.items = items;
        this.byItem = byItem;
        int g = 0;
        int d = 0;
        int a = 0;
        for (MovieAttributes m : byItem.values()) {
            g = Math.max(g, max(m.list(MovieAttributes.GENRE)) + 1);
            d = Math.max(d, max(m.list(MovieAttributes.DIRECTOR)) + 1);
            a = Math.max(a, max(m.list(MovieAttributes.ACTOR)) + 1);
        }
        this.genreCount = g;
        this.directorCount = d;
        this.actorCount = a;
    }

    /**
     * Builds a mapping from movies in the given order; {@code items[k]} has {@code attributes[k]}.
     */
    static AuxiliaryMapping of(int[] items, MovieAttributes[] attributes) {
        Map<Integer, MovieAttributes> map = new HashMap<>();
        for (int k = 0; k < items.length; k++) {
            if (map.put(items[k], attributes[k]) != null) {
                throw new IllegalArgumentException("duplicate movie " + items[k]);
            }
        }
        return new AuxiliaryMapping(items.clone(), map);
    }

    /** Reads an {@code auxiliary-mapping.txt} file. */
    public static AuxiliaryMapping read(Path file) {
        IntList items = new IntList(2048);
        Map<Integer, MovieAttributes> map = new HashMap<>();
        Map<Integer, Long> firstLine = new HashMap<>();
        DelimitedFile.read(
                file,
                StandardCharsets.ISO_8859_1,
                '|',
                null,
                row -> {
                    row.expect(4);
                    int item = row.intField(0, "movie id");
                    MovieAttributes m =
                            new MovieAttributes(
                                    row.intList(1, "genre id"),
                                    row.intList(2, "director id"),
                                    row.intList(3, "actor id"));
                    Long previous = firstLine.putIfAbsent(item, row.line());
                    if (previous != null) {
                        throw row.error("movie " + item + " already listed on line " + previous);
                    }
                    map.put(item, m);
                    items.add(item);
                });
        if (items.size() == 0) {
            throw new DataException(file + ": no movies");
        }
        return new AuxiliaryMapping(items.toArray(), map);
    }

    /**
     * Writes the mapping in {@code auxiliary-mapping.txt} format, movies in their original order.
     */
    void write(Path file) {
        DelimitedFile.write(
                file,
                out -> {
                    for (int item : items) {
                        MovieAttributes m = byItem.get(item);
                        out.write(Integer.toString(item));
                        writeList(out, m.list(MovieAttributes.GENRE));
                        writeList(out, m.list(MovieAttributes.DIRECTOR));
                        writeList(out, m.list(MovieAttributes.ACTOR));
                        out.write('\n');
                    }
                });
    }

    private static void writeList(Writer out, int[] ids) throws java.io.IOException {
        out.write('|');
        for (int k = 0; k < ids.length; k++) {
            if (k > 0) {
                out.write(',');
            }
            out.write(Integer.toString(ids[k]));
        }
    }

    /** The attributes of raw movie id {@code item}, if the mapping lists it. */
    public Optional<MovieAttributes> attributes(int item) {
        return Optional.ofNullable(byItem.get(item));
    }

    /** Whether the mapping lists raw movie id {@code item}. */
    public boolean contains(int item) {
        return byItem.containsKey(item);
    }

    /** The listed raw movie ids, in file order. */
    public int[] items() {
        return items.clone();
    }

    /** Number of listed movies. */
    public int size() {
        return items.length;
    }

    /** Genre vocabulary size (largest genre id + 1); the padding id equals this value. */
    public int genreCount() {
        return genreCount;
    }

    /** Director vocabulary size (largest director id + 1). */
    public int directorCount() {
        return directorCount;
    }

    /** Actor vocabulary size (largest actor id + 1). */
    public int actorCount() {
        return actorCount;
    }

    /** Vocabulary size of relation type {@code type} (1 genre, 2 director, 3 actor). */
    public int vocabularySize(int type) {
        return switch (type) {
            case MovieAttributes.GENRE -> genreCount;
            case MovieAttributes.DIRECTOR -> directorCount;
            case MovieAttributes.ACTOR -> actorCount;
            default ->
                    throw new IllegalArgumentException(
                            "relation type " + type + " is not 1, 2 or 3");
        };
    }

    /** Internal lookup without Optional; null when absent. */
    MovieAttributes get(int item) {
        return byItem.get(item);
    }

    private static int max(int[] a) {
        return Arrays.stream(a).max().orElse(-1);
    }
}
