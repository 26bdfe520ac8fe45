package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.data.Checksum;
import io.accent.data.DatasetCache;
import io.accent.data.DatasetDescriptor;
import io.accent.data.DatasetPreparation;
import io.accent.data.Datasets;
import io.accent.data.FetchResult;
import io.accent.data.PreparationSummary;
import io.accent.data.PrepareConfig;
import io.accent.data.SyntheticConfig;
import io.accent.data.SyntheticGenerator;
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
                "Generate a seeded synthetic data set in MovieLens and RCF raw format.",
                "Writes u.data, u.item, auxiliary-mapping.txt and relational_data.csv; the same"
                        + " seed gives identical files. Prepare it with:",
                "  accent data prepare --movielens DIR --rcf DIR --out OUT --name synthetic"
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
                names = "--users",
                paramLabel = "N",
                defaultValue = "300",
                description = "Number of users (default: ${DEFAULT-VALUE}).")
        int users;

        @Option(
                names = "--items",
                paramLabel = "N",
                defaultValue = "400",
                description = "Number of movies (default: ${DEFAULT-VALUE}).")
        int items;

        @Override
        public void run() {
            SyntheticSummary s;
            try (Progress progress = console.progress("steps")) {
                s =
                        SyntheticGenerator.generate(
                                new SyntheticConfig(
                                        orFromEnvironment(out, "--out", "synthetic"),
                                        seed,
                                        users,
                                        items,
                                        overwrite.overwrite),
                                progress);
            }
            PrintWriter w = spec.commandLine().getOut();
            w.printf(
                    "wrote %s: %d users, %d movies (%d with attributes), %d ratings, %d relational"
                            + " rows%n",
                    s.directory(),
                    s.users(),
                    s.items(),
                    s.itemsWithAttributes(),
                    s.ratings(),
                    s.relationalRows());
            w.flush();
        }
    }
}
