package io.accent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.Json;
import io.accent.evaluate.Comparison;
import io.accent.evaluate.OutcomeStats;
import io.accent.evaluate.SignificanceTests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code accent compare}: the reference's compare.py on two evaluated result files. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compare two evaluated result files of the same k over the same users:"
                    + " success contingency table, exact McNemar test, paired t-test on set sizes"
                    + " over the rows where both succeed, CF percentages and mean sizes.",
            "p-values are halved, as the reference reports them; the direction is not checked."
        })
final class CompareCommand implements Callable<Integer> {

    enum Format {
        text,
        json
    }

    @Spec CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "FILE1",
            description = "First result file ({algo}_{k}.csv with actual_scores columns).")
    Path first;

    @Parameters(
            index = "1",
            paramLabel = "FILE2",
            description = "Second result file, same k and users.")
    Path second;

    @Option(
            names = "--format",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(
            names = "--users",
            paramLabel = "IDS",
            description = "Only these users (raw ids, comma-separated).")
    String users;

    @Option(
            names = "--sample",
            paramLabel = "N",
            description = "Only the seeded sample of N users that 'evaluate --sample N' used.")
    Integer sample;

    @Option(
            names = "--sample-seed",
            defaultValue = "0",
            description = "Seed of --sample (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @Mixin Options.Verbose verbose;

    @Override
    public Integer call() throws Exception {
        Comparison c;
        Comparison.requireSameOrigin(first, second);
        if (users == null && sample == null) {
            c = Comparison.of(first, second);
        } else {
            java.util.Set<Integer> only;
            if (sample != null) {
                if (sample < 1) {
                    throw new io.accent.core.ConfigException(
                            "--sample must be positive, got " + sample);
                }
                if (users != null) {
                    throw new io.accent.core.ConfigException("give --users or --sample, not both");
                }
                only =
                        io.accent.evaluate.EvaluationRun.sample(
                                java.util.List.of(first, second), sample, sampleSeed);
            } else {
                only = Users.rawIds(users, "--users");
            }
            c =
                    Comparison.of(
                            first.toString(),
                            keep(Comparison.read(first), only),
                            second.toString(),
                            keep(Comparison.read(second), only));
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case text -> text(out, c);
            case json -> out.println(Json.mapper().writeValueAsString(json(c)));
        }
        out.flush();
        return 0;
    }

    private void text(PrintWriter out, Comparison c) {
        String n1 = name(first);
        String n2 = name(second);
        int w = Math.max(12, Math.max(n1.length(), n2.length()));
        String row = "%-34s  %" + w + "s  %" + w + "s%n";
        out.printf(
                Locale.ROOT,
                "FILE1 %s%nFILE2 %s%nk = %d, %d users%n%n",
                first,
                second,
                c.k(),
                c.users());
        out.printf(Locale.ROOT, row, "", n1, n2);
        OutcomeStats a = c.first();
        OutcomeStats b = c.second();
        out.printf(Locale.ROOT, row, "counterfactual set found", a.found(), b.found());
        out.printf(Locale.ROOT, row, "verified by retraining", a.verified(), b.verified());
        out.printf(Locale.ROOT, row, "successes", a.successes(), b.successes());
        out.printf(
                Locale.ROOT,
                row,
                "CF percentage",
                fixed(a.cfPercentage()),
                fixed(b.cfPercentage()));
        out.printf(
                Locale.ROOT,
                row,
                "mean CF size (own successes)",
                fixed(a.meanSize()),
                fixed(b.meanSize()));
        out.printf(
                Locale.ROOT,
                row,
                "mean CF size (both succeed, n=" + c.contingency().c00() + ")",
                fixed(c.firstJointMeanSize()),
                fixed(c.secondJointMeanSize()));
        out.println();
        Comparison.Contingency t = c.contingency();
        out.printf(
                Locale.ROOT,
                "%-20s  %14s  %14s%n",
                "contingency",
                "FILE2 success",
                "FILE2 failure");
        out.printf(Locale.ROOT, "%-20s  %14d  %14d%n", "FILE1 success", t.c00(), t.c01());
        out.printf(Locale.ROOT, "%-20s  %14d  %14d%n", "FILE1 failure", t.c10(), t.c11());
        out.println();
        out.printf(
                Locale.ROOT,
                "McNemar exact p/2:        %s  (discordant %d vs %d)%n",
                sci(c.mcNemarHalfP()),
                t.c01(),
                t.c10());
        SignificanceTests.PairedTTest tt = c.sizeTest();
        out.printf(
                Locale.ROOT,
                "paired t-test on sizes:   t = %s, p/2 = %s  (%d pairs, FILE1 - FILE2)%n",
                fixed(tt.statistic()),
                sci(tt.halfPValue()),
                tt.pairs());
    }

    private ObjectNode json(Comparison c) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("k", c.k()).put("users", c.users());
        stats(root.putObject("first"), first, c.first(), c.firstJointMeanSize());
        stats(root.putObject("second"), second, c.second(), c.secondJointMeanSize());
        Comparison.Contingency t = c.contingency();
        var table = root.putArray("contingency");
        table.addArray().add(t.c00()).add(t.c01());
        table.addArray().add(t.c10()).add(t.c11());
        number(root, "mcnemar_p_half", c.mcNemarHalfP());
        ObjectNode tt = root.putObject("t_test");
        tt.put("pairs", c.sizeTest().pairs());
        number(tt, "t", c.sizeTest().statistic());
        number(tt, "p_half", c.sizeTest().halfPValue());
        return root;
    }

    private static void stats(ObjectNode o, Path file, OutcomeStats s, double jointMean) {
        o.put("file", file.toString())
                .put("rows", s.rows())
                .put("found", s.found())
                .put("verified", s.verified())
                .put("successes", s.successes());
        number(o, "cf_percentage", s.cfPercentage());
        number(o, "mean_size", s.meanSize());
        number(o, "mean_size_both_succeed", jointMean);
    }

    /** A number, or null when it is NaN or infinite (JSON has no such numbers). */
    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static String name(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }

    private static String fixed(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String sci(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static java.util.List<io.accent.explain.ExplanationRow> keep(
            java.util.List<io.accent.explain.ExplanationRow> rows, java.util.Set<Integer> users) {
        return rows.stream().filter(r -> users.contains(r.user())).toList();
    }
}
