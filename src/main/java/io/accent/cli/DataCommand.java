package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.data.Checksum;
import io.accent.data.DatasetCache;
import io.accent.data.DatasetDescriptor;
import io.accent.data.DatasetPreparation;
import io.accent.data.Datasets;
import io.accent.data.DelimitedFormat;
import io.accent.data.FetchResult;
import io.accent.data.PreparationSummary;
import io.accent.data.PrepareConfig;
import io.accent.data.RatingLayout;
import io.accent.data.RatingSource;
import io.accent.data.ScaledSyntheticConfig;
import io.accent.data.ScaledSyntheticGenerator;
import io.accent.data.SplitRule;
import io.accent.data.SyntheticConfig;
import io.accent.data.SyntheticGenerator;
import io.accent.data.SyntheticLayout;
import io.accent.data.SyntheticShape;
import io.accent.data.SyntheticSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code accent data}: fetch MovieLens, prepare the model inputs, generate the synthetic data set.
 */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Download, prepare or synthesize data sets.",
        footerHeading = "%nEnvironment:%n",
        footer = {
            // laid out by hand: picocli does not indent the continuation of a footer line
            "  " + DataCommand.ENV + "  data root used when a directory option is left out:",
            "               fetch extracts into it, prepare reads ml-100k/ and rcf/ and",
            "               writes prepared/ there."
        },
        subcommands = {DataCommand.Prepare.class, DataCommand.Fetch.class, DataCommand.Synth.class})
final class DataCommand implements Runnable {

    static final String ENV = "ACCENT_DATA";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing subcommand: one of prepare, fetch, synth");
    }

    /** The option's value, or $ACCENT_DATA/{@code child} when it was omitted. */
    static Path orFromEnvironment(Path value, String option, String child) {
        if (value != null) {
            return value;
        }
        String root = Optional.ofNullable(System.getenv(ENV)).orElse("");
        if (root.isBlank()) {
            throw new ConfigException(option + " was not given and " + ENV + " is not set");
        }
        return child.isEmpty() ? Path.of(root) : Path.of(root, child);
    }

    @Command(
            name = "prepare",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Split raw ratings into the NCF/MF model inputs and, with --rcf or item"
                        + " attributes, RCF's.",
                "Reads MovieLens 100K, 1M, 10M, 20M, 25M, 32M and HetRec-MovieLens-2k"
                        + " (recognised from the files in --movielens DIR), or any rating log"
                        + " (--ratings FILE --columns ...).",
                "With the defaults, MovieLens 100K and the RCF release give the reference"
                        + " movielens_train.tsv, train.csv and test.csv byte for byte.",
                "Directories left out default to subdirectories of $" + ENV + "."
            })
    static final class Prepare implements Runnable {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin Options.Console console;

        @Option(
                names = "--movielens",
                paramLabel = "DIR",
                description =
                        "MovieLens directory: u.data, ratings.dat, ratings.csv or"
                                + " user_ratedmovies-timestamps.dat with its titles file"
                                + " (default: $"
                                + ENV
                                + "/ml-100k).")
        Path movielens;

        @Option(
                names = "--ratings",
                paramLabel = "FILE",
                description = "A rating log to read instead of --movielens; needs --columns.")
        Path ratings;

        @Option(
                names = "--columns",
                paramLabel = "SPEC",
                description =
                        "Columns of --ratings: user=C,item=C,rating=C,timestamp=C, each C a"
                                + " header name or a column number from 1. Ids and timestamps"
                                + " are integers.")
        String columns;

        @Option(
                names = "--delimiter",
                paramLabel = "D",
                defaultValue = ",",
                description =
                        "Field separator of --ratings and --items: characters, or 'tab'"
                                + " (default: ${DEFAULT-VALUE}).")
        String delimiter;

        @Option(
                names = "--header",
                negatable = true,
                description =
                        "Whether --ratings and --items start with a header line (default: when"
                                + " a column is given by name).")
        Boolean header;

        @Option(
                names = "--items",
                paramLabel = "FILE",
                description = "Titles for --ratings (default: none, titles are 'item <id>').")
        Path items;

        @Option(
                names = "--item-columns",
                paramLabel = "SPEC",
                description = "Columns of --items: item=C,title=C.")
        String itemColumns;

        @Option(
                names = "--rcf",
                paramLabel = "DIR",
                description =
                        "Directory with auxiliary-mapping.txt and relational_data.csv; without"
                                + " it RCF's files are skipped (default: $"
                                + ENV
                                + "/rcf when --movielens is left out too).")
        Path rcf;

        @Option(
                names = "--attributes",
                paramLabel = "FILE",
                description =
                        "Item attributes (tab-separated item, kind, value with that header) for"
                                + " RCF with their kinds, in place of the layout's (MovieLens"
                                + " 1M-32M genres, HetRec genres, directors, actors).")
        Path attributes;

        @Option(
                names = "--no-rcf",
                description =
                        "Write NCF's and MF's files only, even when the data has item attributes"
                                + " (less time and memory at scale).")
        boolean noRcf;

        @Option(
                names = "--relational-seed",
                paramLabel = "S",
                defaultValue = "" + PrepareConfig.RELATIONAL_SEED,
                description =
                        "Seed of the relational rows generated from item attributes"
                                + " (default: ${DEFAULT-VALUE}).")
        long relationalSeed;

        @Option(
                names = "--positive-threshold",
                paramLabel = "R",
                defaultValue = "3",
                description = "A rating of at least R is positive (default: ${DEFAULT-VALUE}).")
        double positiveThreshold;

        @Option(
                names = "--min-positives",
                paramLabel = "N",
                defaultValue = "10",
                description = "Keep users with at least N positives (default: ${DEFAULT-VALUE}).")
        int minPositives;

        @Option(
                names = "--min-negatives",
                paramLabel = "N",
                defaultValue = "10",
                description = "... and at least N negatives (default: ${DEFAULT-VALUE}).")
        int minNegatives;

        @Option(
                names = "--test-share",
                paramLabel = "S",
                defaultValue = "0.2",
                description =
                        "Hold out the latest floor(S * n) of each user's positives and of"
                                + " the negatives (default: ${DEFAULT-VALUE}).")
        double testShare;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description =
                        "Output directory: a fresh one, or one this command wrote, replaced"
                                + " as a whole (default: $"
                                + ENV
                                + "/prepared).")
        Path out;

        @CommandLine.Mixin Options.Overwrite overwrite;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description =
                        "Data set name recorded in dataset.json (default: ml-100k for"
                                + " MovieLens 100K, else the input's name).")
        String name;

        @Override
        public void run() {
            RatingSource source = source();
            Optional<Path> rcfDir =
                    rcf != null
                            ? Optional.of(rcf)
                            : movielens == null && ratings == null && attributes == null
                                    ? Optional.of(orFromEnvironment(null, "--rcf", "rcf"))
                                    : Optional.empty();
            if (noRcf && (rcf != null || attributes != null)) {
                throw new UsageException("--no-rcf excludes --rcf and --attributes");
            }
            PrepareConfig config =
                    new PrepareConfig(
                            source,
                            noRcf ? Optional.empty() : rcfDir,
                            orFromEnvironment(out, "--out", "prepared"),
                            name != null ? name : defaultName(source),
                            new SplitRule(positiveThreshold, minPositives, minNegatives, testShare),
                            overwrite.overwrite,
                            Optional.ofNullable(attributes),
                            relationalSeed,
                            !noRcf);
            PreparationSummary s;
            try (Progress progress = console.progress("steps")) {
                s = DatasetPreparation.prepare(config, progress);
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    "prepared %s in %s from %s (%d ratings)%n",
                    s.name(), s.directory(), s.layout().label(), s.ratingRows());
            w.printf(
                    "  users %d, NCF items %d, NCF training rows %d, held-out rows %d%n",
                    s.users(), s.ncfItems(), s.ncfTrainRows(), s.ncfTestRows());
            if (s.rcf()) {
                w.printf(
                        "  RCF items %d, training triples %d, test pairs %d, relational rows"
                                + " %d%s%n",
                        s.rcfItems(),
                        s.rcfTrainTriples(),
                        s.rcfTestPairs(),
                        s.relationalRows(),
                        s.relationalGenerated() ? " (generated)" : "");
                w.printf(
                        "  RCF attribute kinds (%d): %s%n",
                        s.kinds().size(), String.join(", ", s.kinds()));
            } else {
                w.printf("  RCF files skipped (NCF and MF only): %s%n", s.rcfSkippedReason());
            }
            w.printf("  fingerprint (SHA-256 of ncf-train.tsv) %s%n", s.fingerprint());
            w.flush();
        }

        private RatingSource source() {
            if (ratings == null) {
                for (String[] o :
                        new String[][] {
                            {"--columns", columns},
                            {"--items", items == null ? null : items.toString()},
                            {"--item-columns", itemColumns},
                            {"--header", header == null ? null : header.toString()}
                        }) {
                    if (o[1] != null) {
                        throw new CommandLine.ParameterException(
                                spec.commandLine(), o[0] + " applies to --ratings only");
                    }
                }
                return RatingSource.movielens(
                        orFromEnvironment(movielens, "--movielens", "ml-100k"));
            }
            if (movielens != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give either --movielens or --ratings, not both");
            }
            if (columns == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--ratings needs --columns");
            }
            if (itemColumns != null && items == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--item-columns needs --items");
            }
            if (items != null && itemColumns == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--items needs --item-columns");
            }
            Map<String, String> cols =
                    DelimitedFormat.parseColumns(columns, DelimitedFormat.RATING_KEYS, "--columns");
            Map<String, String> itemCols =
                    itemColumns == null
                            ? Map.of()
                            : DelimitedFormat.parseColumns(
                                    itemColumns, DelimitedFormat.ITEM_KEYS, "--item-columns");
            String d = delimiter.equals("tab") || delimiter.equals("\\t") ? "\t" : delimiter;
            return RatingSource.delimited(
                    new DelimitedFormat(
                            ratings,
                            cols,
                            d,
                            header != null ? header : DelimitedFormat.namesColumns(cols, itemCols),
                            Optional.ofNullable(items),
                            itemCols));
        }

        private static String defaultName(RatingSource source) {
            Path p = source.location();
            if (source.format().isEmpty()
                    && RatingLayout.detect(p) == RatingLayout.MOVIELENS_100K) {
                return "ml-100k";
            }
            String base =
                    p.toAbsolutePath().normalize().getFileName() == null
                            ? "ratings"
                            : p.toAbsolutePath().normalize().getFileName().toString();
            if (source.format().isPresent()) {
                int dot = base.lastIndexOf('.');
                base = dot > 0 ? base.substring(0, dot) : base;
            }
            base = base.replaceAll("[^A-Za-z0-9._-]", "_");
            return base.isEmpty() ? "ratings" : base;
        }
    }

    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = {
                "Download a data set, verify its checksum and extract it into DIR/NAME.",
                "Prints the data set's terms of use and citation. Does nothing when verified"
                        + " files are already there.",
                "Archives (MovieLens NAME, then HetRec 2011 MovieLens 2K):",
                "  " + Datasets.MOVIELENS_BASE + "NAME.zip",
                "  " + Datasets.HETREC_2K_URL,
                "No checksum is published for hetrec-2k: give one with --checksum."
            })
    static final class Fetch implements Runnable {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin Options.Console console;

        @Option(
                names = "--dataset",
                paramLabel = "NAME",
                defaultValue = "ml-100k",
                completionCandidates = DatasetNames.class,
                description = "Data set: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Directory to extract into (default: $" + ENV + ").")
        Path dir;

        @Option(
                names = "--url",
                paramLabel = "URL",
                description =
                        "Download from this URL instead of the data set's own; the checksum"
                                + " must match anyway.")
        String url;

        @Option(
                names = "--checksum",
                paramLabel = "ALGO:HEX",
                description =
                        "The archive's digest, md5:HEX or sha256:HEX; replaces the data set's"
                                + " own (a mirror's archive) and is needed for hetrec-2k.")
        String checksum;

        /** The known data set names, for completion. */
        static final class DatasetNames implements Iterable<String> {
            @Override
            public java.util.Iterator<String> iterator() {
                return Datasets.names().iterator();
            }
        }

        /**
         * The chosen data set with the URL and checksum options applied; bad values are usage
         * errors.
         */
        private DatasetDescriptor descriptor() {
            try {
                DatasetDescriptor d = Datasets.named(dataset);
                if (url != null) {
                    d = d.withUrl(url);
                }
                return checksum == null ? d : d.withChecksum(Checksum.parse(checksum));
            } catch (ConfigException e) {
                throw new UsageException(e.getMessage());
            }
        }

        @Override
        public void run() {
            DatasetDescriptor descriptor = descriptor();
            if (descriptor.checksum().isEmpty()) {
                throw new UsageException(
                        "no checksum is published for "
                                + descriptor.name()
                                + " ("
                                + descriptor.fileName()
                                + "): give the digest you trust with --checksum md5:HEX or"
                                + " sha256:HEX");
            }
            Path root = orFromEnvironment(dir, "--dir", "");
            PrintWriter w = spec.commandLine().getOut();
            w.println(descriptor.license());
            w.println("Citation: " + descriptor.citation());
            w.println();
            w.flush();
            FetchResult result;
            try (Progress progress = console.progress("B")) {
                result = new DatasetCache(root).fetch(descriptor, progress);
            }
            w.printf(
                    "%s %s: %d files in %s (%s)%n",
                    descriptor.name(),
                    descriptor.version(),
                    result.files().size(),
                    result.directory(),
                    result.downloaded()
                            ? "downloaded, " + descriptor.checksum().get().algorithm() + " verified"
                            : "already present and verified");
            w.flush();
        }
    }

    @Command(
            name = "synth",
            mixinStandardHelpOptions = true,
            description = {
                "Generate a seeded synthetic data set; the same options give identical files.",
                "Without --shape or --ratings: a small set in MovieLens 100K and RCF raw format"
                        + " (u.data, u.item, auxiliary-mapping.txt, relational_data.csv). Prepare"
                        + " it with:",
                "  accent data prepare --movielens DIR --rcf DIR --out OUT --name synthetic",
                "With --shape or --ratings: ratings with personal taste at any size, in the"
                        + " MovieLens 1M layout (ratings.dat, movies.dat) for --shape ml-1m, else"
                        + " in the 20M layout (ratings.csv, movies.csv). --users, --items and"
                        + " --ratings change the shape's counts; --users alone keeps its ratings"
                        + " per user."
            })
    static final class Synth implements Runnable {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin Options.Console console;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description =
                        "Output directory: a fresh one, or one this command wrote, replaced"
                                + " as a whole (default: $"
                                + ENV
                                + "/synthetic).")
        Path out;

        @CommandLine.Mixin Options.Overwrite overwrite;

        @Option(
                names = "--seed",
                paramLabel = "N",
                defaultValue = "42",
                description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--shape",
                paramLabel = "NAME",
                description =
                        "ml-1m (6,040 users, 3,706 movies, 1,000,209 ratings) or ml-20m"
                                + " (138,493 users, 26,744 movies, 20,000,263 ratings).")
        String shape;

        @Option(
                names = "--users",
                paramLabel = "N",
                description = "Number of users (default: 300, or the shape's).")
        Integer users;

        @Option(
                names = "--items",
                paramLabel = "N",
                description = "Number of movies (default: 400, or the shape's).")
        Integer items;

        @Option(
                names = "--ratings",
                paramLabel = "N",
                description = "Number of ratings, at least 20 per user (default: the shape's).")
        Long ratings;

        @Override
        public void run() {
            Path dir = orFromEnvironment(out, "--out", "synthetic");
            SyntheticSummary s;
            try (Progress progress = console.progress("steps")) {
                if (shape == null && ratings == null) {
                    s =
                            SyntheticGenerator.generate(
                                    new SyntheticConfig(
                                            dir,
                                            seed,
                                            users != null ? users : SyntheticConfig.DEFAULT_USERS,
                                            items != null ? items : SyntheticConfig.DEFAULT_ITEMS,
                                            overwrite.overwrite),
                                    progress);
                } else {
                    s =
                            ScaledSyntheticGenerator.generate(
                                    new ScaledSyntheticConfig(
                                            dir, seed, scaledShape(), overwrite.overwrite),
                                    progress);
                }
            }
            PrintWriter w = spec.commandLine().getOut();
            if (shape == null && ratings == null) {
                w.printf(
                        "wrote %s: %d users, %d movies (%d with attributes), %d ratings, %d"
                                + " relational rows%n",
                        s.directory(),
                        s.users(),
                        s.items(),
                        s.itemsWithAttributes(),
                        s.ratings(),
                        s.relationalRows());
            } else {
                w.printf(
                        "wrote %s: %d users, %d movies, %d ratings%n",
                        s.directory(), s.users(), s.items(), s.ratings());
            }
            w.flush();
        }

        /** The shape named by --shape (or the 20M layout), with the counts given changed. */
        private SyntheticShape scaledShape() {
            if (shape == null) {
                return new SyntheticShape(
                        users != null ? users : SyntheticConfig.DEFAULT_USERS,
                        items != null ? items : SyntheticConfig.DEFAULT_ITEMS,
                        ratings,
                        SyntheticLayout.ML_20M);
            }
            SyntheticShape s = SyntheticShape.Named.of(shape).shape();
            if (users != null) {
                s = s.withUsers(users);
            }
            return new SyntheticShape(
                    s.users(),
                    items != null ? items : s.items(),
                    ratings != null ? ratings : s.ratings(),
                    s.layout());
        }
    }
}
