package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.AtomicFiles;
import io.accent.core.ConfigException;
import io.accent.core.Json;
import io.accent.core.OutputTarget;
import io.accent.evaluate.Charts;
import io.accent.evaluate.EvaluationRun;
import io.accent.evaluate.OutcomeStats;
import io.accent.evaluate.RetrainingSetup;
import io.accent.evaluate.Shard;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent evaluate}: verify explanations by retraining. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Verify counterfactual explanations by retraining without them.",
            "Every distinct (user, set) is retrained R times by the model family's protocol"
                    + " (docs/SPEC.md §7): NCF and MF warm start, seeds 0..R-1 (NCF in batches of stacked copies);"
                    + " RCF from scratch with the model's epochs, init seed and shuffle seeds 2512, 3512,"
                    + " 4091, 4214, 9846, one retrain at a time, or --batch of them stacked in one graph.",
            "Adds actual_scores_0..R-1 and actual_scores_avg to the result files, prints CF percentage,"
                    + " mean size and estimated-vs-actual score drops (RMSE, std, Pearson), and writes a"
                    + " report beside them: evaluation.json with evaluation-table.png, evaluation-gaps.png"
                    + " and evaluation-drops.png; a run over --users or --sample writes its own report"
                    + " (evaluation-users-..., evaluation-sample-N-seed-S...) and keeps the other rows.",
            "Resumable: finished retrains are kept under --cache, per model, and never redone."
        })
final class EvaluateCommand implements Callable<Integer> {

    private static final Pattern RESULT = Pattern.compile("([a-z_]+)_(\\d+)\\.csv");

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(
            names = "--explanations",
            required = true,
            split = ",",
            paramLabel = "DIR_OR_FILE",
            description = "A directory of {algo}_{k}.csv files, or the files themselves.")
    List<Path> explanations;

    @Option(
            names = "--retrains",
            defaultValue = "5",
            description = "Retrains per set (default: ${DEFAULT-VALUE}).")
    int retrains;

    @Option(
            names = "--users",
            paramLabel = "IDS",
            description = "Only these users (raw ids, comma-separated).")
    String users;

    @Option(
            names = "--sample",
            paramLabel = "N",
            description = "Only a seeded sample of N users of the files.")
    Integer sample;

    @Option(
            names = "--sample-seed",
            defaultValue = "0",
            description = "Seed of --sample (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Option(
            names = "--batch",
            paramLabel = "B",
            description = "Retrains stacked in one graph (default: the model family's).")
    Integer batch;

    @Mixin Options.Threads threadsOption;

    @Mixin Options.RetrainCacheDir cache;

    @Mixin Options.Console console;

    @Option(
            names = "--shard",
            paramLabel = "I/N",
            description =
                    "Only retrain shard I of N of the distinct sets"
                            + " (fills the cache, writes no result files; merge the shards' cache directories by copying them"
                            + " together and rerun without --shard to write the results).")
    String shard;

    /** Where the retrains run ({@link Main#commandLine(Backend)}). */
    Backend backend = Backend.LOCAL;

    /** The parsed job as the backend sees it (the family's evaluation options checked). */
    Jobs.Evaluate job() {
        FamilyOptions.Selected family =
                FamilyOptions.check(spec, modelOption.dir, FamilyOptions.Job.EVALUATION);
        return new Jobs.Evaluate(
                modelOption.dir,
                family.family().name(),
                family.values(),
                threadsOption.threads,
                spec);
    }

    @Override
    public Integer call() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : explanations) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    files.addAll(
                            s.filter(f -> RESULT.matcher(f.getFileName().toString()).matches())
                                    .sorted()
                                    .toList());
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new io.accent.core.DataException("no such result file or directory: " + p);
            }
        }
        if (files.isEmpty()) {
            throw new io.accent.core.DataException(
                    "no {algo}_{k}.csv result files in " + explanations);
        }
        Path dir = files.get(0).toAbsolutePath().getParent();
        // option values are usage errors, found before the model is loaded
        Optional<Set<Integer>> only = Optional.empty();
        try {
            if (users != null) {
                only = Optional.of(Users.rawIds(users, "--users"));
            }
            if (sample != null) {
                if (sample < 1) {
                    throw new ConfigException("--sample must be positive, got " + sample);
                }
                if (only.isPresent()) {
                    throw new ConfigException("give --users or --sample, not both");
                }
                only = Optional.of(EvaluationRun.sample(files, sample, sampleSeed));
            }
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        // the family's options (NCF: --steps, --checkpoints) are checked before the model loads
        FamilyOptions.Selected family =
                FamilyOptions.check(spec, modelOption.dir, FamilyOptions.Job.EVALUATION);
        RetrainingSetup setup =
                FamilyOptions.parse(() -> family.family().retraining(family.values()));
        Optional<Set<Integer>> selection = only;
        EvaluationRun.Config config =
                FamilyOptions.parse(
                        () ->
                                new EvaluationRun.Config(
                                        files,
                                        retrains,
                                        selection,
                                        batch == null ? setup.defaultBatch() : batch,
                                        threadsOption.threads,
                                        cache.resolve(dir)));
        OutputTarget.checkPlacement(config.cacheDir(), List.of(modelOption.dir));
        // a subset run reports under its own name, so that it never replaces another selection's
        // report
        String report =
                users != null
                        ? "evaluation-users-"
                                + String.join(
                                        "_",
                                        only.get().stream().sorted().map(String::valueOf).toList())
                        : sample != null
                                ? "evaluation-sample-" + sample + "-seed-" + sampleSeed
                                : "evaluation";
        if (report.length() > 120) {
            report =
                    "evaluation-users-"
                            + Integer.toHexString(only.get().stream().sorted().toList().hashCode());
        }
        Shard part = shard == null ? Shard.ALL : Shard.parse(shard);
        EvaluationRun.Summary s;
        try (TrainedModel m = ModelStore.load(modelOption.dir);
                io.accent.core.Progress p = console.progress("step")) {
            s = EvaluationRun.run(m, setup, config, part, p, backend.retrainWorkers(job()));
        }
        PrintWriter w = spec.commandLine().getOut();
        if (!part.all()) {
            w.printf(
                    "shard %s: %d distinct sets, %d retrains run, %d taken from %s, %.1f s; no result files written"
                            + " (merge the caches and rerun without --shard)%n",
                    part,
                    s.distinctSets(),
                    s.retrainsDone(),
                    s.retrainsCached(),
                    config.cacheDir(),
                    s.seconds());
            w.flush();
            return 0;
        }
        w.printf(
                "%d distinct sets, %d retrains run, %d taken from %s, %.1f s%n",
                s.distinctSets(),
                s.retrainsDone(),
                s.retrainsCached(),
                config.cacheDir(),
                s.seconds());
        w.printf(
                "%-18s %5s %6s %9s %8s %7s %10s %9s %7s%n",
                "file",
                "rows",
                "found",
                "verified",
                "CF %",
                "size",
                "drop RMSE",
                "drop std",
                "rho");
        Map<String, Map<Integer, OutcomeStats>> table = new TreeMap<>();
        List<double[]> points = new ArrayList<>();
        List<double[]> dropPoints = new ArrayList<>();
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("retrains", retrains)
                .put(s.budgetUnit(), s.budget())
                .put("model", modelOption.dir.toString());
        ArrayNode jf = json.putArray("files");
        for (EvaluationRun.FileReport r : s.files()) {
            OutcomeStats o = r.stats();
            String name = r.file().getFileName().toString();
            w.printf(
                    "%-18s %5d %6d %9d %7.2f%% %7.2f %10.3f %9.3f %7.3f%n",
                    name,
                    o.rows(),
                    o.found(),
                    o.verified(),
                    o.cfPercentage(),
                    o.meanSize(),
                    r.drops().rmse(),
                    r.drops().actualStd(),
                    r.drops().pearson());
            for (Map.Entry<Long, Double> c : r.checkpointAgreement().entrySet()) {
                w.printf(
                        "    success decision after %d %s agrees with %d %s on %.1f%% of verified rows%n",
                        c.getKey(), s.budgetUnit(), s.budget(), s.budgetUnit(), 100 * c.getValue());
            }
            Matcher mm = RESULT.matcher(name);
            if (mm.matches()) {
                table.computeIfAbsent(mm.group(1), x -> new TreeMap<>())
                        .put(Integer.parseInt(mm.group(2)), o);
            }
            points.addAll(r.gaps().points());
            dropPoints.addAll(r.drops().points());
            ObjectNode f = jf.addObject();
            f.put("file", name)
                    .put("rows", o.rows())
                    .put("found", o.found())
                    .put("verified", o.verified())
                    .put("successes", o.successes())
                    .put("cf_percentage", o.cfPercentage())
                    .put("mean_size", o.meanSize())
                    .put("gap_rmse", r.gaps().rmse())
                    .put("gap_actual_std", r.gaps().actualStd())
                    .put("gap_pearson", r.gaps().pearson())
                    .put("gap_rows", r.gaps().count())
                    .put("drop_rmse", r.drops().rmse())
                    .put("drop_actual_std", r.drops().actualStd())
                    .put("drop_pearson", r.drops().pearson())
                    .put("drop_points", r.drops().count());
            ObjectNode agree = f.putObject("checkpoint_agreement");
            r.checkpointAgreement().forEach((k, v) -> agree.put(String.valueOf(k), v));
        }
        AtomicFiles.writeString(
                dir.resolve(report + ".json"), Json.mapper().writeValueAsString(json));
        try {
            charts(dir, report, table, points, dropPoints);
        } catch (RuntimeException | LinkageError | InternalError e) {
            // e.g. a Java runtime without font libraries (UnsatisfiedLinkError: libharfbuzz.so.0)
            spec.commandLine()
                    .getErr()
                    .printf(
                            "warning: charts not written (%s); results and %s.json were written%n",
                            Main.oneLine(e.toString()), report);
        }
        for (EvaluationRun.FileReport r : s.files()) {
            w.printf(
                    "%-18s predicted vs. actual gap (rec - replacement): RMSE %.3f, std %.3f, rho %.3f over %d rows%n",
                    r.file().getFileName(),
                    r.gaps().rmse(),
                    r.gaps().actualStd(),
                    r.gaps().pearson(),
                    r.gaps().count());
        }
        w.printf(
                "updated %d result files; summary in %s%n",
                s.files().size(), dir.resolve(report + ".json"));
        w.flush();
        return 0;
    }

    private static void charts(
            Path dir,
            String report,
            Map<String, Map<Integer, OutcomeStats>> table,
            List<double[]> points,
            List<double[]> dropPoints) {
        if (!table.isEmpty()) {
            Charts.table(dir.resolve(report + "-table.png"), new LinkedHashMap<>(table));
        }
        if (!points.isEmpty()) {
            Charts.scatter(
                    dir.resolve(report + "-gaps.png"),
                    "Predicted vs. actual score gap (rec - replacement)",
                    points);
        }
        if (!dropPoints.isEmpty()) {
            Charts.scatter(
                    dir.resolve(report + "-drops.png"),
                    "Estimated vs. actual score drop of the top-k items after removing the set",
                    "estimated drop  s − predicted",
                    "actual drop  s − mean retrained score",
                    dropPoints,
                    Charts.SCATTER_SIZE,
                    Charts.SCATTER_SIZE);
        }
    }
}
