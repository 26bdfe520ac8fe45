package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.ConfigException;
import io.accent.core.Json;
import io.accent.core.OutputTarget;
import io.accent.evaluate.RetrainingSetup;
import io.accent.evaluate.VerifiedExplanationRun;
import io.accent.evaluate.VerifyAndResume;
import io.accent.explain.CounterfactualExplanation;
import io.accent.explain.Explainer;
import io.accent.explain.Explainers;
import io.accent.explain.ExplanationRun;
import io.accent.influence.InfluenceSetup;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent explain}: counterfactual explanations for users' top recommendations. */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Explain users' recommendations with counterfactual sets of their own ratings.",
            "Without --out, prints a sentence per user and k.",
            "With --out DIR, writes one file per algorithm and k, named like accent_5.csv, in the"
                    + " reference format (raw ids, one row per user), plus explanations.json naming the model;"
                    + " an interrupted run resumes where it stopped, with the same model only.",
            "With --verify R (ACCENT only, docs/SPEC.md §11.3), each set is retrained R times as"
                    + " 'evaluate' does (the family's options, shared --cache); while the"
                    + " replacement does not overtake on average, the search continues with more"
                    + " actions, up to --max-rounds. The files then also hold actual_scores_*,"
                    + " the rounds, retrains used and outcome."
        })
final class ExplainCommand implements Callable<Integer> {

    enum Format {
        text,
        csv,
        json
    }

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(
            names = "--users",
            defaultValue = "all",
            paramLabel = "all|ID,ID,...",
            description = "Users by raw id, none twice, or 'all' (default: ${DEFAULT-VALUE}).")
    String users;

    @Option(
            names = "--sample",
            paramLabel = "N",
            description =
                    "Only a seeded sample of N of the model's users (instead of --users); the"
                            + " same N and seed give the same users.")
    Integer sample;

    @Option(
            names = "--sample-seed",
            paramLabel = "S",
            defaultValue = "0",
            description = "Seed of --sample (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Option(
            names = "--k",
            defaultValue = "5,10,20",
            paramLabel = "K,K,...",
            description =
                    "Candidate list lengths, each 2.."
                            + MAX_K
                            + ", none twice (default: ${DEFAULT-VALUE}).")
    String ks;

    @Option(
            names = "--algo",
            defaultValue = "accent",
            split = ",",
            paramLabel = "ALGO",
            description =
                    "Algorithms, comma-separated: accent, fia, pure-fia, accent-ova, and for RCF models"
                            + " pure-att, attention (default: ${DEFAULT-VALUE}).")
    List<String> algos;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Write result files here (resumable).")
    Path out;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "Printed format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--batch",
            defaultValue = "64",
            paramLabel = "N",
            description = "Users per influence batch, at least 1 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin Options.Threads threadsOption;

    @Mixin Options.Console console;

    @Option(
            names = "--verify",
            paramLabel = "R",
            description =
                    "Verify each ACCENT set by R retrains and continue the search while it is"
                            + " refuted (needs --out).")
    Integer verify;

    @Option(
            names = "--max-rounds",
            paramLabel = "N",
            description =
                    "With --verify: rounds of verification per row, the first included (default: "
                            + DEFAULT_ROUNDS
                            + ").")
    Integer maxRounds;

    @Mixin Options.RetrainCacheDir cache;

    /** Rounds of {@code --verify} when {@code --max-rounds} is not given. */
    static final int DEFAULT_ROUNDS = 3;

    /**
     * The largest k of any explanation (the reference's largest list); the model family's top-K
     * bounds it further, checked once the family is known.
     */
    static final int MAX_K = 20;

    /** Where the users are explained ({@link Main#commandLine(Backend)}). */
    Backend backend = Backend.LOCAL;

    /** The parsed job as the backend sees it (the family's influence options checked). */
    Jobs.Explain job() {
        FamilyOptions.Selected family =
                FamilyOptions.check(spec, modelOption.dir, FamilyOptions.Job.INFLUENCE);
        return new Jobs.Explain(
                modelOption.dir,
                family.family().name(),
                family.values(),
                threadsOption.threads,
                spec);
    }

    @Override
    public Integer call() throws Exception {
        List<Explainer> explainers = new ArrayList<>();
        int[] kList = checkKs(ks);
        // every option is checked before the model loads, as usage errors
        UsageException.check(
                () -> {
                    for (String a : algos) {
                        explainers.add(Explainers.byName(a.trim()));
                    }
                });
        if (batch < 1) {
            throw new UsageException("--batch must be positive, got " + batch);
        }
        if (!users.trim().equalsIgnoreCase("all")) {
            Users.rawIds(users, "--users");
        }
        if (sample != null) {
            if (sample < 1) {
                throw new UsageException("--sample must be positive, got " + sample);
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--users")) {
                throw new UsageException("give --users or --sample, not both");
            }
        }
        if (out != null) {
            OutputTarget.checkPlacement(out, List.of(modelOption.dir));
        }
        Optional<VerifiedExplanationRun.Config> verifying = verifyConfig(explainers);
        FamilyOptions.Selected family =
                FamilyOptions.check(spec, modelOption.dir, FamilyOptions.Job.INFLUENCE);
        InfluenceSetup setup =
                FamilyOptions.parse(
                        () -> family.family().influence(family.values(), threadsOption.threads));
        Optional<RetrainingSetup> retraining = Optional.empty();
        if (verifying.isPresent()) {
            FamilyOptions.Selected eval =
                    FamilyOptions.check(spec, modelOption.dir, FamilyOptions.Job.EVALUATION);
            RetrainingSetup rs = FamilyOptions.parse(() -> eval.family().retraining(eval.values()));
            FamilyOptions.parse(
                    () -> {
                        VerifiedExplanationRun.requireRetrains(
                                rs, verify, eval.family().displayName());
                        return rs;
                    });
            retraining = Optional.of(rs);
        }
        int topK = setup.capabilities().topK();
        for (int k : kList) {
            if (k > topK) {
                throw new UsageException(
                        "--k "
                                + k
                                + " is outside 2.."
                                + topK
                                + " for "
                                + family.family().displayName()
                                + " models");
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        try (TrainedModel m = ModelStore.load(modelOption.dir)) {
            TrainedModel d = m;
            int[] dense =
                    sample == null
                            ? Users.parse(users, m.users())
                            : Users.sample(m.users(), sample, sampleSeed);
            boolean quiet = out != null;
            ArrayNode json = Json.mapper().createArrayNode();
            if (!quiet && format == Format.csv) {
                w.println("user,algo,k,item,replacement,removed,predicted_scores");
            }
            ExplanationRun.Summary s;
            Optional<VerifiedExplanationRun.Summary> verified = Optional.empty();
            ExplanationRun.Config config =
                    new ExplanationRun.Config(
                            dense, kList, explainers, Optional.ofNullable(out), batch);
            try (io.accent.core.Progress p = console.progress("user")) {
                io.accent.core.Progress shown = dense.length > 1 ? p : io.accent.core.Progress.NONE;
                java.util.function.Consumer<ExplanationRun.UserResult> printer =
                        r -> {
                            if (!quiet) {
                                print(w, d, r, json);
                            }
                        };
                if (verifying.isPresent()) {
                    verified =
                            Optional.of(
                                    VerifiedExplanationRun.run(
                                            m,
                                            setup,
                                            retraining.orElseThrow(),
                                            config,
                                            verifying.get(),
                                            shown,
                                            printer));
                    s = verified.get().explanations();
                } else {
                    s =
                            ExplanationRun.run(
                                    m,
                                    setup,
                                    config,
                                    shown,
                                    printer,
                                    backend.explainWorkers(job()));
                }
            }
            if (!quiet && format == Format.json) {
                w.println(Json.mapper().writeValueAsString(json));
            }
            s.repairs().forEach(r -> spec.commandLine().getErr().println("warning: " + r));
            if (!s.withoutRatings().isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "warning: %d user(s) without training ratings, nothing to"
                                        + " explain, skipped: %s%n",
                                s.withoutRatings().size(),
                                join(
                                        s.withoutRatings().stream()
                                                .map(u -> d.users().raw(u))
                                                .toList(),
                                        ", "));
            }
            if (quiet || dense.length > 1) {
                summarize(w, s, out);
            }
            verified.ifPresent(v -> summarizeVerification(w, v, verifying.get()));
            w.flush();
        }
        return 0;
    }

    /**
     * The settings of {@code --verify}, checked before anything is loaded (usage errors): R and the
     * rounds positive, {@code --out} given, ACCENT the only algorithm; without {@code --verify},
     * its companion options are refused.
     */
    private Optional<VerifiedExplanationRun.Config> verifyConfig(List<Explainer> explainers) {
        if (verify == null) {
            List<String> companions = new ArrayList<>(List.of("--max-rounds", "--cache"));
            companions.addAll(FamilyOptions.names(FamilyOptions.Job.EVALUATION));
            for (String o : companions) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new UsageException(o + " applies with --verify only");
                }
            }
            return Optional.empty();
        }
        if (out == null) {
            throw new UsageException("--verify needs --out (the result files and the cache)");
        }
        UsageException.check(() -> ExplanationRun.requireVerifiable(explainers));
        Path dir = cache.resolve(out);
        OutputTarget.checkPlacement(dir, List.of(modelOption.dir));
        return Optional.of(
                FamilyOptions.parse(
                        () ->
                                new VerifiedExplanationRun.Config(
                                        verify,
                                        maxRounds == null ? DEFAULT_ROUNDS : maxRounds,
                                        dir,
                                        threadsOption.threads)));
    }

    private static void summarizeVerification(
            PrintWriter w, VerifiedExplanationRun.Summary v, VerifiedExplanationRun.Config c) {
        w.printf(
                "verified with %d retrain%s of %d %s per set, at most %d round%s: %d retrains run,"
                        + " %d taken from %s%n",
                c.retrains(),
                c.retrains() == 1 ? "" : "s",
                v.budget(),
                v.budgetUnit(),
                c.maxRounds(),
                c.maxRounds() == 1 ? "" : "s",
                v.retrainsRun(),
                v.retrainsReused(),
                c.cacheDir());
        w.printf(
                "%4s %6s %6s %9s %8s %11s %10s %10s%n",
                "k",
                "rows",
                "found",
                "verified",
                "CF %",
                "round limit",
                "exhausted",
                "retrains/set");
        for (var e : v.stats().entrySet()) {
            VerifyAndResume.Stats t = e.getValue();
            w.printf(
                    "%4d %6d %6d %9d %7.2f%% %11d %10d %10.2f%n",
                    e.getKey(),
                    t.rows(),
                    t.found(),
                    t.verified(),
                    t.verifiedPercentage(),
                    t.roundLimit(),
                    t.exhausted(),
                    t.retrainsPerFound());
        }
    }

    /**
     * The k values of {@code --k}: integers in 2..{@value #MAX_K}, none twice; else a usage error.
     */
    static int[] checkKs(String ks) {
        int[] kList;
        try {
            kList = ExplanationRun.parseKs(ks);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int k : kList) {
            if (k < 2 || k > MAX_K) {
                throw new UsageException("--k " + k + " is outside 2.." + MAX_K);
            }
            if (!seen.add(k)) {
                throw new UsageException("--k lists " + k + " twice");
            }
        }
        return kList;
    }

    private void print(PrintWriter w, TrainedModel d, ExplanationRun.UserResult r, ArrayNode json) {
        int user = r.influence().influence().user();
        int rawUser = d.users().raw(user);
        for (Map.Entry<String, Map<Integer, Optional<CounterfactualExplanation>>> a :
                r.byAlgorithm().entrySet()) {
            for (Map.Entry<Integer, Optional<CounterfactualExplanation>> e :
                    a.getValue().entrySet()) {
                int k = e.getKey();
                Optional<CounterfactualExplanation> x = e.getValue();
                int rec = r.influence().influence().topItem(0);
                switch (format) {
                    case text -> {
                        w.printf("user %d, %s, k=%d: ", rawUser, a.getKey(), k);
                        if (x.isEmpty()) {
                            w.printf(
                                    "no counterfactual set among the top %d for %s%n",
                                    k, title(d, rec));
                        } else {
                            CounterfactualExplanation c = x.get();
                            w.println(c.sentence(i -> "\"" + title(d, i) + "\""));
                            w.printf(
                                    "    predicted scores: %s %s -> %s, %s %s -> %s (%d of %d ratings removed)%n",
                                    title(d, rec),
                                    score(r.influence().influence().score(0)),
                                    score(c.predictedScores().get(0)),
                                    title(d, c.replacement()),
                                    score(r.influence().influence().score(c.replacementRank())),
                                    score(c.predictedScores().get(c.replacementRank())),
                                    c.removed().size(),
                                    r.influence().influence().actionCount());
                        }
                    }
                    case csv ->
                            w.printf(
                                    "%d,%s,%d,%d,%s,%s,%s%n",
                                    rawUser,
                                    a.getKey(),
                                    k,
                                    d.items().raw(rec),
                                    x.map(c -> String.valueOf(d.items().raw(c.replacement())))
                                            .orElse("-1"),
                                    x.map(
                                                    c ->
                                                            Tables.csvField(
                                                                    join(
                                                                            c.removed().stream()
                                                                                    .map(
                                                                                            d
                                                                                                            .items()
                                                                                                    ::raw)
                                                                                    .toList(),
                                                                            " ")))
                                            .orElse(""),
                                    x.map(
                                                    c ->
                                                            Tables.csvField(
                                                                    join(
                                                                            c
                                                                                    .predictedScores()
                                                                                    .stream()
                                                                                    .map(
                                                                                            ExplainCommand
                                                                                                    ::score)
                                                                                    .toList(),
                                                                            " ")))
                                            .orElse(""));
                    case json -> {
                        ObjectNode o = json.addObject();
                        o.put("user", rawUser)
                                .put("algo", a.getKey())
                                .put("k", k)
                                .put("item", d.items().raw(rec));
                        o.put("found", x.isPresent());
                        x.ifPresent(
                                c -> {
                                    o.put("replacement", d.items().raw(c.replacement()));
                                    ArrayNode rm = o.putArray("removed");
                                    c.removed().forEach(i -> rm.add(d.items().raw(i)));
                                    ArrayNode ps = o.putArray("predicted_scores");
                                    c.predictedScores()
                                            .forEach(
                                                    v ->
                                                            ps.add(
                                                                    new java.math.BigDecimal(
                                                                            score(v))));
                                    o.put("sentence", c.sentence(i -> title(d, i)));
                                });
                    }
                }
            }
        }
    }

    /**
     * Decimals of the scores printed by {@code explain} (text, csv and json on the console):
     * float32 models give scores with about 1e-4 of device and thread noise, so digits beyond these
     * differ between machines without meaning. Result files ({@code --out}) keep every digit.
     */
    static final int SCORE_DECIMALS = 4;

    static String score(double v) {
        return String.format(java.util.Locale.ROOT, "%." + SCORE_DECIMALS + "f", v);
    }

    private static String title(TrainedModel d, int item) {
        return d.title(item);
    }

    private static String join(List<?> xs, String sep) {
        StringBuilder b = new StringBuilder();
        for (Object x : xs) {
            if (b.length() > 0) {
                b.append(sep);
            }
            b.append(x);
        }
        return b.toString();
    }

    private static void summarize(PrintWriter w, ExplanationRun.Summary s, Path out) {
        w.printf(
                "%d users explained in %.1f s%s%s%n",
                s.processed(),
                s.seconds(),
                s.skipped() > 0
                        ? " (" + s.skipped() + " already in the result files, skipped)"
                        : "",
                s.fallbacks() > 0 ? "; " + s.fallbacks() + " solves used the direct fallback" : "");
        if (out != null) {
            w.println("over every user in the result files:");
        }
        w.printf("%-11s %4s %12s %10s%n", "algorithm", "k", "set found", "mean size");
        for (var a : s.tallies().entrySet()) {
            for (var t : a.getValue().entrySet()) {
                ExplanationRun.Tally x = t.getValue();
                w.printf(
                        "%-11s %4d %5d/%-4d %5.1f%% %9.2f%n",
                        a.getKey(),
                        t.getKey(),
                        x.found(),
                        x.users(),
                        100 * x.foundShare(),
                        x.meanSize());
            }
        }
        if (out != null) {
            w.printf("results in %s%n", out);
        }
    }
}
