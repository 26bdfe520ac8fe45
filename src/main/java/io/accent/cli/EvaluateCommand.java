package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.AtomicFiles;
import io.accent.core.ConfigException;
import io.accent.core.Json;
import io.accent.evaluate.Charts;
import io.accent.evaluate.EvaluationRun;
import io.accent.evaluate.OutcomeStats;
import io.accent.model.ModelStore;
import io.accent.model.TrainedModel;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent evaluate}: verify explanations by retraining. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Verify counterfactual explanations by retraining without them.",
            "Every distinct (user, set) is retrained R times: NCF (MODELS.md §7.1) warm start, seeds 0..R-1, in",
            "batches of stacked model copies; RCF (§7.2) from scratch with the model's epochs, init seed and",
            "shuffle seeds 2512, 3512, 4091, 4214, 9846, one retrain at a time.",
            "Adds actual_scores_0..R-1 and actual_scores_avg to the result files, prints CF percentage and",
            "mean size and estimated-vs-actual score drops (RMSE, std, Pearson), and writes evaluation.json,",
            "evaluation-table.png, evaluation-gaps.png and evaluation-drops.png beside them.",
            "Resumable: finished retrains are kept under --cache and never redone."
        })
final class EvaluateCommand implements Callable<Integer> {

    private static final Pattern RESULT = Pattern.compile("([a-z_]+)_(\\d+)\\.csv");

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "Model directory.")
    Path model;

    @Option(names = "--explanations", required = true, split = ",", paramLabel = "DIR_OR_FILE",
            description = "A directory of {algo}_{k}.csv files, or the files themselves.")
    List<Path> explanations;

    @Option(names = "--retrains", defaultValue = "5", description = "Retrains per set (default: ${DEFAULT-VALUE}).")
    int retrains;

    @Option(names = "--steps", defaultValue = "120000", description = "Adam steps per retrain (default: ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--checkpoints", split = ",", paramLabel = "N",
            description = "Also record scores after these step counts (reduced-steps study).")
    List<Long> checkpoints;

    @Option(names = "--users", paramLabel = "ID,ID,...", description = "Only these users (raw ids).")
    String users;

    @Option(names = "--sample", paramLabel = "N", description = "Only a seeded sample of N users of the files.")
    Integer sample;

    @Option(names = "--sample-seed", defaultValue = "0", description = "Seed of --sample (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Option(names = "--batch", defaultValue = "16", description = "Retrains per batched graph (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", description = "TensorFlow threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cache", paramLabel = "DIR", description = "Retrain results (default: <explanations dir>/retrains).")
    Path cache;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : explanations) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    files.addAll(s.filter(f -> RESULT.matcher(f.getFileName().toString()).matches()).sorted().toList());
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new io.accent.core.DataException("no such result file or directory: " + p);
            }
        }
        if (files.isEmpty()) {
            throw new io.accent.core.DataException("no {algo}_{k}.csv result files in " + explanations);
        }
        Path dir = files.get(0).toAbsolutePath().getParent();
        Optional<Set<Integer>> only = Optional.empty();
        if (users != null) {
            only = Optional.of(Users.rawIds(users, "--users"));
        }
        if (sample != null) {
            if (only.isPresent()) {
                throw new ConfigException("give --users or --sample, not both");
            }
            only = Optional.of(EvaluationRun.sample(files, sample, sampleSeed));
        }
        long[] cps = checkpoints == null ? new long[0] : checkpoints.stream().mapToLong(Long::longValue).toArray();
        Path cacheDir = cache == null ? dir.resolve("retrains") : cache;
        EvaluationRun.Summary s;
        try (TrainedModel m = ModelStore.load(model)) {
            if (m.metadata().family().equals(io.accent.model.ModelFamilies.RCF.name())) {
                // RCF retrains from scratch (MODELS.md §7.2): the NCF warm-start options do not apply
                for (String o : List.of("--steps", "--checkpoints", "--batch")) {
                    if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                        throw new ConfigException(o + " applies to NCF models only; the model is a rcf model");
                    }
                }
                try (ConsoleProgress p = new ConsoleProgress("retrain")) {
                    s = io.accent.evaluate.RcfEvaluationRun.run(m, new io.accent.evaluate.RcfEvaluationRun.Config(
                            files, retrains, only, threads, cacheDir), p);
                }
            } else {
                EvaluationRun.Config config = new EvaluationRun.Config(files, retrains, steps, cps, only, batch,
                        threads, cacheDir);
                try (ConsoleProgress p = new ConsoleProgress("step")) {
                    s = EvaluationRun.run(m, config, p);
                }
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%d distinct sets, %d retrains run, %d taken from %s, %.1f s%n", s.distinctSets(), s.retrainsDone(),
                s.retrainsCached(), cacheDir, s.seconds());
        w.printf("%-18s %5s %6s %9s %8s %7s %10s %9s %7s%n", "file", "rows", "found", "verified", "CF %", "size",
                "drop RMSE", "drop std", "rho");
        Map<String, Map<Integer, OutcomeStats>> table = new TreeMap<>();
        List<double[]> points = new ArrayList<>();
        List<double[]> dropPoints = new ArrayList<>();
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("retrains", retrains).put("steps", steps).put("model", model.toString());
        ArrayNode jf = json.putArray("files");
        for (EvaluationRun.FileReport r : s.files()) {
            OutcomeStats o = r.stats();
            String name = r.file().getFileName().toString();
            w.printf("%-18s %5d %6d %9d %7.2f%% %7.2f %10.3f %9.3f %7.3f%n", name, o.rows(), o.found(), o.verified(),
                    o.cfPercentage(), o.meanSize(), r.drops().rmse(), r.drops().actualStd(), r.drops().pearson());
            for (Map.Entry<Long, Double> c : r.checkpointAgreement().entrySet()) {
                w.printf("    success decision after %d steps agrees with %d steps on %.1f%% of verified rows%n",
                        c.getKey(), steps, 100 * c.getValue());
            }
            Matcher mm = RESULT.matcher(name);
            if (mm.matches()) {
                table.computeIfAbsent(mm.group(1), x -> new TreeMap<>()).put(Integer.parseInt(mm.group(2)), o);
            }
            points.addAll(r.gaps().points());
            dropPoints.addAll(r.drops().points());
            ObjectNode f = jf.addObject();
            f.put("file", name).put("rows", o.rows()).put("found", o.found()).put("verified", o.verified())
                    .put("successes", o.successes()).put("cf_percentage", o.cfPercentage()).put("mean_size", o.meanSize())
                    .put("gap_rmse", r.gaps().rmse()).put("gap_actual_std", r.gaps().actualStd())
                    .put("gap_pearson", r.gaps().pearson()).put("gap_rows", r.gaps().count())
                    .put("drop_rmse", r.drops().rmse()).put("drop_actual_std", r.drops().actualStd())
                    .put("drop_pearson", r.drops().pearson()).put("drop_points", r.drops().count());
            ObjectNode agree = f.putObject("checkpoint_agreement");
            r.checkpointAgreement().forEach((k, v) -> agree.put(String.valueOf(k), v));
        }
        AtomicFiles.writeString(dir.resolve("evaluation.json"), Json.mapper().writeValueAsString(json));
        if (!table.isEmpty()) {
            Charts.table(dir.resolve("evaluation-table.png"), new LinkedHashMap<>(table));
        }
        if (!points.isEmpty()) {
            Charts.scatter(dir.resolve("evaluation-gaps.png"), "Predicted vs. actual score gap (rec - replacement)",
                    points);
        }
        if (!dropPoints.isEmpty()) {
            Charts.scatter(dir.resolve("evaluation-drops.png"),
                    "Estimated vs. actual score drop of the top-k items after removing the set",
                    "estimated drop  s − predicted", "actual drop  s − mean retrained score", dropPoints,
                    Charts.SCATTER_SIZE, Charts.SCATTER_SIZE);
        }
        for (EvaluationRun.FileReport r : s.files()) {
            w.printf("%-18s predicted vs. actual gap (rec - replacement): RMSE %.3f, std %.3f, rho %.3f over %d rows%n",
                    r.file().getFileName(), r.gaps().rmse(), r.gaps().actualStd(), r.gaps().pearson(), r.gaps().count());
        }
        w.printf("updated %d result files; summary in %s%n", s.files().size(), dir.resolve("evaluation.json"));
        w.flush();
        return 0;
    }
}
