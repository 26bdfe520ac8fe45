package io.accent.data;

import io.accent.core.DataException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Readers for the MovieLens layouts of {@link RatingLayout}: ratings into {@link RawRatings},
 * titles keyed by movie id. Every error names the file and the line.
 */
final class MovieLensFiles {

    static final String RATINGS = "u.data";
    static final String ITEMS = "u.item";

    /** id, title, release date, video release date, IMDb URL and 19 genre flags. */
    static final int ITEM_FIELDS = 24;

    /**
     * The genres of {@code u.item}'s 19 flags, in field order; flag 0, {@code unknown}, means no
     * genre when read as an attribute.
     */
    static final String[] ITEM_GENRES = {
        "unknown",
        "Action",
        "Adventure",
        "Animation",
        "Children's",
        "Comedy",
        "Crime",
        "Documentary",
        "Drama",
        "Fantasy",
        "Film-Noir",
        "Horror",
        "Musical",
        "Mystery",
        "Romance",
        "Sci-Fi",
        "Thriller",
        "War",
        "Western"
    };

    /** The genres field of {@code movies.dat} and {@code movies.csv} for a movie without any. */
    static final String NO_GENRES = "(no genres listed)";

    /** The attribute kind of MovieLens genres. */
    static final String GENRE = "genre";

    static final String CSV_RATINGS_HEADER = "userId,movieId,rating,timestamp";
    static final String CSV_MOVIES_HEADER = "movieId,title,genres";
    static final List<String> HETREC_RATINGS_HEADER =
            List.of("userID", "movieID", "rating", "timestamp");

    private MovieLensFiles() {}

    /** Reads the ratings file of {@code layout} (not {@link RatingLayout#DELIMITED}). */
    static RawRatings readRatings(RatingLayout layout, Path file) {
        return switch (layout) {
            case MOVIELENS_100K -> readRatings(file);
            case MOVIELENS_DAT -> readDatRatings(file);
            case MOVIELENS_CSV -> readCsvRatings(file);
            case HETREC -> readHetrecRatings(file);
            case DELIMITED -> throw new IllegalArgumentException("not a MovieLens layout");
        };
    }

    /** Reads the titles file of {@code layout} (not {@link RatingLayout#DELIMITED}). */
    static Map<Integer, String> readTitles(RatingLayout layout, Path file) {
        return readItems(layout, file).map;
    }

    /**
     * Reads the titles file of {@code layout} (not {@link RatingLayout#DELIMITED}) once for titles
     * and genres: {@link Titles#genres()} has kind {@code genre} for the MovieLens layouts and no
     * kind for HetRec, whose {@code movies.dat} has no genres (they are in {@code
     * movie_genres.dat}, see {@link #readHetrecAttributes}).
     */
    static Titles readItems(RatingLayout layout, Path file) {
        return switch (layout) {
            case MOVIELENS_100K -> readItemFile(file);
            case MOVIELENS_DAT -> readDatItems(file);
            case MOVIELENS_CSV -> readCsvItems(file);
            case HETREC -> readHetrecItems(file);
            case DELIMITED -> throw new IllegalArgumentException("not a MovieLens layout");
        };
    }

    /** Reads {@code u.data}: tab-separated {@code user item rating timestamp}, ratings 1..5. */
    static RawRatings readRatings(Path file) {
        RatingRows rows = new RatingRows(file, 1, 1, 5);
        DelimitedFile.read(
                file,
                StandardCharsets.ISO_8859_1,
                '\t',
                null,
                row -> rows.add(row.expect(4), 0, 1, 2, 3));
        return rows.build();
    }

    /**
     * Reads MovieLens 1M/10M {@code ratings.dat}: {@code UserID::MovieID::Rating::Timestamp}, no
     * header, ratings 0.5..5 in half stars (1M has whole stars only).
     */
    static RawRatings readDatRatings(Path file) {
        RatingRows rows = new RatingRows(file, 2, 0.5, 5);
        DelimitedFile.read(
                file,
                StandardCharsets.UTF_8,
                "::",
                null,
                row -> rows.add(row.expect(4), 0, 1, 2, 3));
        return rows.build();
    }

    /**
     * Reads MovieLens 20M/25M/32M {@code ratings.csv}: header {@code
     * userId,movieId,rating,timestamp}, ratings 0.5..5 in half stars. The file has no quoted
     * fields.
     */
    static RawRatings readCsvRatings(Path file) {
        RatingRows rows = new RatingRows(file, 2, 0.5, 5);
        DelimitedFile.read(
                file,
                StandardCharsets.UTF_8,
                ',',
                CSV_RATINGS_HEADER,
                row -> rows.add(row.expect(4), 0, 1, 2, 3));
        return rows.build();
    }

    /**
     * Reads HetRec-MovieLens-2k {@code user_ratedmovies-timestamps.dat}: tab-separated with the
     * header {@code userID movieID rating timestamp}, ratings 0.5..5 in half stars, timestamps in
     * milliseconds (kept as they are: only their order matters).
     */
    static RawRatings readHetrecRatings(Path file) {
        RatingRows rows = new RatingRows(file, 2, 0.5, 5);
        DelimitedFile.read(
                file,
                StandardCharsets.UTF_8,
                "\t",
                header -> trimmed(header).equals(HETREC_RATINGS_HEADER),
                "expected header '" + String.join("\\t", HETREC_RATINGS_HEADER) + "'",
                row -> rows.add(row.expect(4), 0, 1, 2, 3));
        return rows.build();
    }

    /**
     * Reads the titles of {@code u.item} (ISO-8859-1, '|'-separated, 24 fields), keyed by item id.
     */
    static Map<Integer, String> readTitles(Path file) {
        return readItemFile(file).map;
    }

    /**
     * Reads {@code u.item}: titles and, from the 19 genre flags (each 0 or 1), genres; the flag
     * {@code unknown} counts as no genre.
     */
    static Titles readItemFile(Path file) {
        Titles titles = new Titles(true);
        DelimitedFile.read(
                file,
                StandardCharsets.ISO_8859_1,
                '|',
                null,
                row -> {
                    row.expect(ITEM_FIELDS);
                    int item = row.intField(0, "movie id");
                    titles.put(row, item, row.field(1));
                    int first = ITEM_FIELDS - ITEM_GENRES.length;
                    for (int g = 0; g < ITEM_GENRES.length; g++) {
                        String flag = row.field(first + g);
                        if (!flag.equals("0") && !flag.equals("1")) {
                            throw row.error(
                                    "genre flag "
                                            + ITEM_GENRES[g]
                                            + " is '"
                                            + flag
                                            + "', not 0 or 1");
                        }
                        if (g > 0 && flag.equals("1")) {
                            titles.genre(row, item, ITEM_GENRES[g]);
                        }
                    }
                });
        return titles;
    }

    /**
     * Reads the titles of MovieLens 1M/10M {@code movies.dat} ({@code MovieID::Title::Genres}).
     * 10M's file is UTF-8 and 1M's ISO-8859-1: it is read as UTF-8 and, if it is not valid UTF-8,
     * as ISO-8859-1.
     */
    static Titles readDatItems(Path file) {
        return utf8OrLatin1(
                charset -> {
                    Titles titles = new Titles(true);
                    DelimitedFile.read(
                            file,
                            charset,
                            "::",
                            null,
                            row -> {
                                row.expect(3);
                                int item = row.intField(0, "movie id");
                                titles.put(row, item, row.field(1));
                                titles.genres(row, item, row.field(2));
                            });
                    return titles;
                });
    }

    /**
     * Reads the titles of HetRec's {@code movies.dat}: tab-separated with a header whose first two
     * columns are {@code id} and {@code title}; further columns are ignored. Read as UTF-8, or as
     * ISO-8859-1 if it is not valid UTF-8.
     */
    static Titles readHetrecItems(Path file) {
        return utf8OrLatin1(
                charset -> {
                    Titles titles = new Titles(false);
                    DelimitedFile.read(
                            file,
                            charset,
                            "\t",
                            header ->
                                    header.size() >= 2
                                            && trimmed(header)
                                                    .subList(0, 2)
                                                    .equals(List.of("id", "title")),
                            "expected a header starting with 'id\\ttitle'",
                            row -> {
                                if (row.size() < 2) {
                                    throw row.error(
                                            "expected at least 2 tab-separated fields, got "
                                                    + row.size());
                                }
                                titles.put(row, row.intField(0, "movie id"), row.field(1));
                            });
                    return titles;
                });
    }

    /**
     * Reads the titles of MovieLens 20M+ {@code movies.csv} (UTF-8, RFC 4180: titles with commas or
     * quotes are quoted), header {@code movieId,title,genres}.
     */
    static Titles readCsvItems(Path file) {
        Titles titles = new Titles(true);
        readQuoted(
                file,
                StandardCharsets.UTF_8,
                ',',
                header -> header.content().equals(CSV_MOVIES_HEADER),
                "expected header '" + CSV_MOVIES_HEADER + "'",
                row -> {
                    row.expect(3);
                    int item = row.intField(0, "movie id");
                    titles.put(row, item, row.field(1));
                    titles.genres(row, item, row.field(2));
                });
        return titles;
    }

    /**
     * Reads an RFC 4180 file (fields may be quoted with '"', quotes doubled inside) row by row; a
     * row's line is the line on which its record starts.
     */
    static void readQuoted(
            Path file,
            Charset charset,
            char delimiter,
            java.util.function.Predicate<DelimitedFile.Row> header,
            String headerError,
            Consumer<DelimitedFile.Row> body) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found");
        }
        CSVFormat format =
                CSVFormat.RFC4180
                        .builder()
                        .setDelimiter(delimiter)
                        .setIgnoreEmptyLines(false)
                        .get();
        long line = 1;
        try (Reader reader =
                        new java.io.InputStreamReader(
                                Files.newInputStream(file),
                                charset.newDecoder()
                                        .onMalformedInput(CodingErrorAction.REPORT)
                                        .onUnmappableCharacter(CodingErrorAction.REPORT));
                CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            boolean first = true;
            for (CSVRecord record : parser) {
                DelimitedFile.Row row =
                        new DelimitedFile.Row(
                                file, line, record.values(), String.valueOf(delimiter));
                line = parser.getCurrentLineNumber() + 1;
                if (!DelimitedFile.isText(row.content().replace('\n', ' '))) {
                    throw new DataException(
                            file + ":" + row.line() + ": not a line of text (control characters)");
                }
                if (first && header != null) {
                    first = false;
                    if (!header.test(row)) {
                        throw row.error(headerError);
                    }
                    continue;
                }
                first = false;
                body.accept(row);
            }
            if (first && header != null) {
                throw new DataException(file + ": empty file, " + headerError);
            }
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not valid " + charset + " text", e);
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(file + ":" + line + ": " + e.getMessage(), e);
        }
    }

    /** HetRec's attribute files, their headers and the kind each gives. */
    static final String HETREC_GENRES = "movie_genres.dat";

    static final String HETREC_DIRECTORS = "movie_directors.dat";
    static final String HETREC_ACTORS = "movie_actors.dat";

    /**
     * Reads HetRec-MovieLens-2k's attributes from {@code dir}: kind {@code genre} from {@value
     * #HETREC_GENRES} ({@code movieID genre}), {@code director} from {@value #HETREC_DIRECTORS}
     * ({@code movieID directorID directorName}) and {@code actor} from {@value #HETREC_ACTORS}
     * ({@code movieID actorID actorName ranking}); directors and actors are identified by their
     * ids, names and rankings are not used. The catalogue is the movies of the three files in order
     * of first appearance. A repeated (movie, value) pair is an error naming the earlier line.
     */
    static ItemAttributes readHetrecAttributes(Path dir) {
        ItemAttributes.Builder b = new ItemAttributes.Builder();
        readHetrecKind(dir.resolve(HETREC_GENRES), b, "genre", List.of("movieID", "genre"));
        readHetrecKind(
                dir.resolve(HETREC_DIRECTORS),
                b,
                "director",
                List.of("movieID", "directorID", "directorName"));
        readHetrecKind(
                dir.resolve(HETREC_ACTORS),
                b,
                "actor",
                List.of("movieID", "actorID", "actorName", "ranking"));
        return b.build();
    }

    private static void readHetrecKind(
            Path file, ItemAttributes.Builder b, String kindName, List<String> header) {
        int kind = b.kind(kindName);
        List<Map.Entry<Integer, String>> rows =
                utf8OrLatin1(
                        charset -> {
                            List<Map.Entry<Integer, String>> read = new java.util.ArrayList<>();
                            Map<Long, Long> seen = new HashMap<>();
                            Map<String, Integer> ids = new HashMap<>();
                            DelimitedFile.read(
                                    file,
                                    charset,
                                    "\t",
                                    row -> trimmed(row).equals(header),
                                    "expected header '" + String.join("\\t", header) + "'",
                                    row -> {
                                        row.expect(header.size());
                                        int item = row.intField(0, "movie id");
                                        String value = row.field(1).trim();
                                        if (value.isEmpty()) {
                                            throw row.error("empty " + kindName);
                                        }
                                        int id = ids.computeIfAbsent(value, v -> ids.size());
                                        Long previous =
                                                seen.putIfAbsent(
                                                        ((long) item << 32) | id, row.line());
                                        if (previous != null) {
                                            throw row.error(
                                                    "movie "
                                                            + item
                                                            + " and "
                                                            + kindName
                                                            + " '"
                                                            + value
                                                            + "' already on line "
                                                            + previous);
                                        }
                                        read.add(Map.entry(item, value));
                                    });
                            return read;
                        });
        for (Map.Entry<Integer, String> e : rows) {
            b.item(e.getKey());
            b.add(e.getKey(), kind, e.getValue());
        }
    }

    /** Runs {@code read} with UTF-8 and, if the file is not valid UTF-8, with ISO-8859-1. */
    static <T> T utf8OrLatin1(java.util.function.Function<Charset, T> read) {
        try {
            return read.apply(StandardCharsets.UTF_8);
        } catch (DataException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                return read.apply(StandardCharsets.ISO_8859_1);
            }
            throw e;
        }
    }

    private static List<String> trimmed(DelimitedFile.Row row) {
        String[] out = new String[row.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = row.field(k).trim();
        }
        return List.of(out);
    }

    /**
     * Titles keyed by movie id, and the movies' genres in file order; a movie listed twice is an
     * error naming both lines.
     */
    static final class Titles {
        final Map<Integer, String> map = new HashMap<>();
        private final Map<Integer, Long> lines = new HashMap<>();
        private final ItemAttributes.Builder genres = new ItemAttributes.Builder();

        /** With {@code withGenres}, the genres have kind {@value #GENRE}, otherwise no kind. */
        Titles(boolean withGenres) {
            if (withGenres) {
                genres.kind(GENRE);
            }
        }

        /** The genres of every movie read (a movie without genres is in the catalogue). */
        ItemAttributes genres() {
            return genres.build();
        }

        /** Adds genre {@code name} to {@code item}; a repeat is an error. */
        void genre(DelimitedFile.Row row, int item, String name) {
            if (!genres.add(item, 0, name)) {
                throw row.error("genre '" + name + "' listed twice");
            }
        }

        /** Adds the '|'-separated genres {@code field}; {@value #NO_GENRES} means none. */
        void genres(DelimitedFile.Row row, int item, String field) {
            if (field.equals(NO_GENRES)) {
                return;
            }
            for (String g : field.split("\\|", -1)) {
                if (g.isBlank()) {
                    throw row.error("empty genre in '" + field + "'");
                }
                genre(row, item, g);
            }
        }

        void put(DelimitedFile.Row row, int item, String title) {
            Long previous = lines.putIfAbsent(item, row.line());
            if (previous != null) {
                throw row.error("movie " + item + " already listed on line " + previous);
            }
            genres.item(item);
            if (title.indexOf('\t') >= 0 || title.indexOf('\n') >= 0 || title.indexOf('\r') >= 0) {
                throw row.error("title contains a tab or line break");
            }
            map.put(item, title);
        }
    }
}
