package io.accent.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Readers for the MovieLens 100K files {@code u.data} and {@code u.item}. */
final class MovieLensFiles {

    static final String RATINGS = "u.data";
    static final String ITEMS = "u.item";

    /** id, title, release date, video release date, IMDb URL and 19 genre flags. */
    static final int ITEM_FIELDS = 24;

    private MovieLensFiles() {}

    /** Reads {@code u.data}: tab-separated {@code user item rating timestamp}, ratings 1..5. */
    static RawRatings readRatings(Path file) {
        IntList users = new IntList(1 << 17);
        IntList items = new IntList(1 << 17);
        IntList ratings = new IntList(1 << 17);
        LongList timestamps = new LongList(1 << 17);
        Map<Long, Long> seen = new HashMap<>(1 << 18);
        DelimitedFile.read(
                file,
                StandardCharsets.ISO_8859_1,
                '\t',
                null,
                row -> {
                    row.expect(4);
                    int user = row.intField(0, "user id");
                    int item = row.intField(1, "item id");
                    int rating = row.intField(2, "rating");
                    long time = row.longField(3, "timestamp");
                    if (user < 0) {
                        throw row.error("negative user id " + user);
                    }
                    if (item < 0) {
                        throw row.error("negative item id " + item);
                    }
                    if (rating < 1 || rating > 5) {
                        throw row.error("rating " + rating + " is not in 1..5");
                    }
                    Long previous = seen.putIfAbsent(((long) user << 32) | item, row.line());
                    if (previous != null) {
                        throw row.error(
                                "user "
                                        + user
                                        + " already rated item "
                                        + item
                                        + " on line "
                                        + previous);
                    }
                    users.add(user);
                    items.add(item);
                    ratings.add(rating);
                    timestamps.add(time);
                });
        return new RawRatings(
                users.toArray(), items.toArray(), ratings.toArray(), timestamps.toArray());
    }

    /**
     * Reads the titles of {@code u.item} (ISO-8859-1, '|'-separated, 24 fields), keyed by item id.
     */
    static Map<Integer, String> readTitles(Path file) {
        Map<Integer, String> titles = new HashMap<>();
        Map<Integer, Long> lines = new HashMap<>();
        DelimitedFile.read(
                file,
                StandardCharsets.ISO_8859_1,
                '|',
                null,
                row -> {
                    row.expect(ITEM_FIELDS);
                    int item = row.intField(0, "movie id");
                    Long previous = lines.putIfAbsent(item, row.line());
                    if (previous != null) {
                        throw row.error("movie " + item + " already listed on line " + previous);
                    }
                    String title = row.field(1);
                    if (title.indexOf('\t') >= 0
                            || title.indexOf('\n') >= 0
                            || title.indexOf('\r') >= 0) {
                        throw row.error("title contains a tab or line break");
                    }
                    titles.put(item, title);
                });
        return titles;
    }
}
