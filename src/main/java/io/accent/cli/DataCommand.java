package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.data.DatasetCache;
import io.accent.data.DatasetDescriptor;
import io.accent.data.DatasetPreparation;
import io.accent.data.FetchResult;
import io.accent.data.PreparationSummary;
import io.accent.data.PrepareConfig;
import io.accent.data.ScaledSyntheticConfig;
import io.accent.data.ScaledSyntheticGenerator;
import io.accent.data.SyntheticConfig;
import io.accent.data.SyntheticGenerator;
import io.accent.data.SyntheticLayout;
import io.accent.data.SyntheticShape;
import io.accent.data.SyntheticSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            description = {
                "Split raw MovieLens 100K and RCF files into the NCF and RCF model inputs.",
                "Reproduces the reference movielens_train.tsv, train.csv and test.csv byte for"
                        + " byte.",
                "Directories left out default to subdirectories of $" + ENV + "."
            })
    static final class Prepare implements Runnable {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin Options.Console console;

        @Option(
                names = "--movielens",
                paramLabel = "DIR",
                description = "Directory with u.data and u.item (default: $" + ENV + "/ml-100k).")
        Path movielens;

        @Option(
                names = "--rcf",
                paramLabel = "DIR",
                description =
                        "Directory with auxiliary-mapping.txt and relational_data.csv"
                                + " (default: $"
                                + ENV
                                + "/rcf).")
        Path rcf;

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
                defaultValue = "ml-100k",
                description = "Data set name recorded in dataset.json (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public void run() {
            PrepareConfig config =
                    new PrepareConfig(
                            orFromEnvironment(movielens, "--movielens", "ml-100k"),
                            orFromEnvironment(rcf, "--rcf", "rcf"),
                            orFromEnvironment(out, "--out", "prepared"),
                            name,
                            overwrite.overwrite);
            PreparationSummary s;
            try (Progress progress = console.progress("steps")) {
                s = DatasetPreparation.prepare(config, progress);
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf("prepared %s in %s%n", s.name(), s.directory());
            w.printf(
                    "  users %d, NCF items %d, NCF training rows %d, held-out rows %d%n",
                    s.users(), s.ncfItems(), s.ncfTrainRows(), s.ncfTestRows());
            w.printf(
                    "  RCF items %d, training triples %d, test pairs %d, relational rows %d%n",
                    s.rcfItems(), s.rcfTrainTriples(), s.rcfTestPairs(), s.relationalRows());
            w.printf("  fingerprint (SHA-256 of ncf-train.tsv) %s%n", s.fingerprint());
            w.flush();
        }
    }

    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = {
                "Download MovieLens 100K, verify its MD5 and extract it into DIR/ml-100k.",
                "Prints the GroupLens terms of use. Does nothing when verified files are already"
                        + " there.",
                "Default URL:",
                "  " + DatasetDescriptor.MOVIELENS_100K_URL
            })
    static final class Fetch implements Runnable {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin Options.Console console;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Directory to extract into (default: $" + ENV + ").")
        Path dir;

        @Option(
                names = "--url",
                paramLabel = "URL",
                description =
                        "Download from this URL instead of the default above; the MD5 must match"
                                + " anyway.",
                defaultValue = DatasetDescriptor.MOVIELENS_100K_URL)
        String url;

        @Override
        public void run() {
            DatasetDescriptor descriptor = DatasetDescriptor.MOVIELENS_100K.withUrl(url);
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
                            ? "downloaded, MD5 verified"
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
