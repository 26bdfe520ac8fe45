package io.accent.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.AtomicFiles;
import io.accent.core.Json;
import io.accent.core.Progress;
import io.accent.core.SeededSample;
import io.accent.evaluate.RetrainCache;
import io.accent.evaluate.RetrainCache.SetKey;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.Retraining;
import io.accent.family.Families;
import io.accent.family.Family;
import io.accent.family.OptionValues;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.UserInfluence;
import io.accent.model.ModelFingerprint;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Estimate accuracy of single-action removals (issue 20, docs/SPEC.md §7.6 for single actions): a
 * seeded sample of users, one seeded training action of each, the estimated drop of each top-k
 * item's score under one or more influence configurations (e.g. {@code --scope embeddings} and
 * {@code --scope full}), against the actual drop after retraining without that action by the
 * family's evaluation protocol (model score minus the mean retrained score over R seeds, as
 * {@code evaluate} measures it). Retrains go through the evaluation's retrain cache (top-20 items
 * stored, as {@code evaluate} stores them), so a killed run resumes and {@code evaluate} can reuse
 * them.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.accent.benchmarks.RemovalAgreement MODEL OUT.json
 *     [--pairs 200] [--seed 0] [--retrains 3] [--batch 16] [--threads 2] [--cache DIR]
 *     [--eval --steps=10000] [--config name:--scope=embeddings] [--config name:--scope=full]
 *     [--control] [--pick random|strongest] [--limit N]
 * </pre>
 *
 * {@code --pick random} (the default) removes a uniformly drawn action of each user; {@code --pick
 * strongest} the action with the largest estimated drop of the top-1 score under the first
 * configuration, so that the effects measured stand above the retraining noise more often. {@code
 * --limit N} keeps the first N users of the sample (in ascending order, the order in which retrains
 * run), so that a run cut short is summarized over the users whose retrains finished.
 *
 * With {@code --control} the actual drop is measured against a control retrain of the same seed
 * with nothing removed (one more retrain per user and seed), so that what further training alone
 * does to the scores cancels out; without it, against the model's own scores as {@code evaluate}
 * does.
 *
 * Each {@code --config NAME:OPT=V,OPT=V} names one influence configuration (family influence
 * options); {@code --eval OPT=V,...} gives the family's evaluation options. Writes OUT.json (protocol,
 * statistics per configuration on the top-1 item and on all top-k items) and OUT.csv (one line per
 * point).
 */
public final class RemovalAgreement {

    private RemovalAgreement() {}

    /** Agreement statistics of estimated and actual drops. */
    record Stats(int n, double rmse, double pearson, double spearman, double slope, double actualStd) {
        static Stats of(double[] est, double[] act) {
            int n = est.length;
            double se = 0;
            double mean = 0;
            SimpleRegression reg = new SimpleRegression();
            for (int i = 0; i < n; i++) {
                se += (est[i] - act[i]) * (est[i] - act[i]);
                mean += act[i];
                reg.addData(est[i], act[i]);
            }
            mean /= n;
            double var = 0;
            for (double a : act) {
                var += (a - mean) * (a - mean);
            }
            return new Stats(
                    n,
                    Math.sqrt(se / n),
                    new PearsonsCorrelation().correlation(est, act),
                    new SpearmansCorrelation().correlation(est, act),
                    reg.getSlope(),
                    Math.sqrt(var / n));
        }

        ObjectNode json() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("n", n)
                    .put("rmse", rmse)
                    .put("pearson", pearson)
                    .put("spearman", spearman)
                    .put("slope_actual_on_estimated", slope)
                    .put("actual_std", actualStd);
            return o;
        }
    }

    public static void main(String[] args) throws IOException {
        Path modelDir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int pairs = 200;
        long seed = 0;
        int retrains = 3;
        int batch = 16;
        int threads = 2;
        Path cacheDir = null;
        boolean control = false;
        String pick = "random";
        int limit = Integer.MAX_VALUE;
        Map<String, String> eval = new LinkedHashMap<>();
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        for (int a = 2; a < args.length; a += 2) {
            if (args[a].equals("--control")) {
                control = true;
                a--;
                continue;
            }
            String v = args[a + 1];
            switch (args[a]) {
                case "--pairs" -> pairs = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--retrains" -> retrains = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--cache" -> cacheDir = Path.of(v);
                case "--eval" -> eval.putAll(options(v));
                case "--limit" -> limit = Integer.parseInt(v);
                case "--pick" -> {
                    if (!v.equals("random") && !v.equals("strongest")) {
                        throw new IllegalArgumentException("--pick random|strongest, not " + v);
                    }
                    pick = v;
                }
                case "--config" -> {
                    int c = v.indexOf(':');
                    configs.put(v.substring(0, c), options(v.substring(c + 1)));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }
        if (configs.isEmpty()) {
            configs.put("default", Map.of());
        }
        if (cacheDir == null) {
            cacheDir = modelDir.resolve("retrains");
        }
        try (TrainedModel model = ModelStore.load(modelDir)) {
            Family family = Families.of(model);
            String fingerprint = ModelFingerprint.of(model);
            // the sample: users, then one training action each (seeded)
            int[] sampled = SeededSample.of(IntStream.range(0, model.users().size()).toArray(), pairs, seed);
            int[] users = Arrays.copyOf(sampled, Math.min(limit, sampled.length));
            List<UserInfluence> base = new ArrayList<>();
            Map<String, double[][]> estimates = new LinkedHashMap<>();
            int[] action = new int[users.length];
            int topK = 0;
            for (Map.Entry<String, Map<String, String>> c : configs.entrySet()) {
                long t0 = System.nanoTime();
                List<InfluenceResult> res;
                try (InfluenceEngine engine =
                        family.influence(new OptionValues(c.getValue()), threads).open(model)) {
                    res = engine.computeUsers(users, Progress.NONE);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                System.err.printf("%s: influence of %d users in %.1f s%n", c.getKey(), users.length, secs);
                if (base.isEmpty()) {
                    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
                    for (int u = 0; u < users.length; u++) {
                        UserInfluence in = res.get(u).influence();
                        base.add(in);
                        action[u] = rnd.nextInt(in.actionCount());
                        if (pick.equals("strongest")) {
                            for (int a = 0; a < in.actionCount(); a++) {
                                if (in.influence(0, a) > in.influence(0, action[u])) {
                                    action[u] = a;
                                }
                            }
                        }
                    }
                    topK = base.get(0).topK();
                }
                double[][] est = new double[users.length][];
                for (int u = 0; u < users.length; u++) {
                    UserInfluence in = res.get(u).influence();
                    if (!Arrays.equals(in.topItems(), base.get(u).topItems())
                            || !Arrays.equals(in.actions(), base.get(u).actions())) {
                        throw new IllegalStateException("configurations disagree on user " + users[u] + "'s top items or actions");
                    }
                    est[u] = new double[in.topK()];
                    for (int k = 0; k < in.topK(); k++) {
                        est[u][k] = in.influence(k, action[u]);
                    }
                }
                estimates.put(c.getKey(), est);
                estimates.put(c.getKey() + "#seconds", new double[][] {{secs}});
            }
            // retrains without each sampled action, through the evaluation's cache
            float[][] actual = new float[users.length][];
            long budget;
            String unit;
            try (Retraining retraining = family.retraining(new OptionValues(eval)).open(model, threads)) {
                budget = retraining.budget();
                unit = retraining.budgetUnit();
                RetrainCache cache =
                        new RetrainCache(
                                cacheDir,
                                retraining.cachePrefix(),
                                fingerprint,
                                retraining.orderVersion(),
                                unit,
                                budget);
                long[] marks = Arrays.copyOf(retraining.checkpoints(), retraining.checkpoints().length + 1);
                marks[marks.length - 1] = budget;
                Arrays.sort(marks);
                List<int[]> pending = new ArrayList<>(); // {sample index, seed index, control}
                List<SetKey> keys = new ArrayList<>();
                List<SetKey> controlKeys = new ArrayList<>();
                List<int[]> top20 = new ArrayList<>();
                for (int u = 0; u < users.length; u++) {
                    UserInfluence in = base.get(u);
                    SetKey key = new SetKey(model.users().raw(in.user()), List.of(model.items().raw(in.action(action[u]))));
                    keys.add(key);
                    SetKey none = new SetKey(key.user(), List.of());
                    controlKeys.add(none);
                    top20.add(model.recommend(in.user(), 20).stream().mapToInt(ScoredItem::item).toArray());
                    for (int s = 0; s < retrains; s++) {
                        if (!cache.has(key, s)) {
                            pending.add(new int[] {u, s, 0});
                        }
                        if (control && !cache.has(none, s)) {
                            pending.add(new int[] {u, s, 1});
                        }
                    }
                }
                System.err.printf("%d retrains to run (%d cached), %d %s each%n", pending.size(), users.length * retrains * (control ? 2 : 1) - pending.size(), budget, unit);
                long t0 = System.nanoTime();
                for (int from = 0; from < pending.size(); from += batch) {
                    List<int[]> chunk = pending.subList(from, Math.min(pending.size(), from + batch));
                    List<RetrainJob> jobs = new ArrayList<>();
                    int[][] items = new int[chunk.size()][];
                    for (int j = 0; j < chunk.size(); j++) {
                        UserInfluence in = base.get(chunk.get(j)[0]);
                        Set<Integer> removed = chunk.get(j)[2] == 1 ? Set.of() : Set.of(in.action(action[chunk.get(j)[0]]));
                        jobs.add(new RetrainJob(in.user(), removed, retraining.seed(chunk.get(j)[1])));
                        items[j] = top20.get(chunk.get(j)[0]);
                    }
                    float[][][] r = retraining.run(jobs, Math.min(batch, chunk.size()), items, Progress.NONE);
                    for (int j = 0; j < chunk.size(); j++) {
                        float[][] byMark = new float[marks.length][];
                        for (int m = 0; m < marks.length; m++) {
                            byMark[m] = r[m][j];
                        }
                        int[] raw = Arrays.stream(top20.get(chunk.get(j)[0])).map(i -> model.items().raw(i)).toArray();
                        SetKey k = (chunk.get(j)[2] == 1 ? controlKeys : keys).get(chunk.get(j)[0]);
                        cache.put(k, chunk.get(j)[1], marks, byMark, raw);
                    }
                    System.err.printf("  %d/%d retrains, %.0f s%n", Math.min(pending.size(), from + batch), pending.size(), (System.nanoTime() - t0) / 1e9);
                }
                for (int u = 0; u < users.length; u++) {
                    UserInfluence in = base.get(u);
                    List<Integer> rawTop = new ArrayList<>();
                    for (int k = 0; k < topK; k++) {
                        rawTop.add(model.items().raw(in.topItem(k)));
                    }
                    List<List<Double>> sc = cache.scores(keys.get(u), retrains, budget, rawTop);
                    List<List<Double>> cc = control ? cache.scores(controlKeys.get(u), retrains, budget, rawTop) : null;
                    actual[u] = new float[topK];
                    for (int k = 0; k < topK; k++) {
                        // the drop: (control retrain or the model) minus the retrain without the action, same seeds
                        double drop = 0;
                        for (int s = 0; s < retrains; s++) {
                            drop += (control ? cc.get(s).get(k) : in.score(k)) - sc.get(s).get(k);
                        }
                        actual[u][k] = (float) (drop / retrains);
                    }
                }
            }
            // statistics and files
            ObjectNode report = Json.mapper().createObjectNode();
            report.put("model", modelDir.toString())
                    .put("model_fingerprint", fingerprint)
                    .put("family", family.name())
                    .put("pairs", users.length)
                    .put("seed", seed)
                    .put("retrains", retrains)
                    .put("pick", pick)
                    .put("sampled", sampled.length)
                    .put("actual_drop", control ? "control retrain (same seed, nothing removed) minus retrain without the action" : "model score minus retrain without the action")
                    .put(unit, budget)
                    .put("top_k", topK);
            ObjectNode evalOpts = report.putObject("evaluation_options");
            eval.forEach(evalOpts::put);
            ObjectNode configsNode = report.putObject("configurations");
            StringBuilder csv = new StringBuilder("user,action,rank,item,score,actual_drop");
            for (String c : configs.keySet()) {
                csv.append(",estimated_drop_").append(c);
            }
            csv.append('\n');
            for (int u = 0; u < users.length; u++) {
                UserInfluence in = base.get(u);
                for (int k = 0; k < topK; k++) {
                    csv.append(model.users().raw(in.user())).append(',')
                            .append(model.items().raw(in.action(action[u]))).append(',')
                            .append(k).append(',')
                            .append(model.items().raw(in.topItem(k))).append(',')
                            .append(in.score(k)).append(',')
                            .append(actual[u][k]);
                    for (String c : configs.keySet()) {
                        csv.append(',').append(estimates.get(c)[u][k]);
                    }
                    csv.append('\n');
                }
            }
            for (String c : configs.keySet()) {
                double[][] est = estimates.get(c);
                double[] e1 = new double[users.length];
                double[] a1 = new double[users.length];
                double[] ek = new double[users.length * topK];
                double[] ak = new double[users.length * topK];
                for (int u = 0; u < users.length; u++) {
                    e1[u] = est[u][0];
                    a1[u] = actual[u][0];
                    for (int k = 0; k < topK; k++) {
                        ek[u * topK + k] = est[u][k];
                        ak[u * topK + k] = actual[u][k];
                    }
                }
                ObjectNode o = configsNode.putObject(c);
                ObjectNode opts = o.putObject("influence_options");
                configs.get(c).forEach(opts::put);
                o.put("influence_seconds", estimates.get(c + "#seconds")[0][0]);
                o.set("top1", Stats.of(e1, a1).json());
                o.set("top_k", Stats.of(ek, ak).json());
            }
            String json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
            AtomicFiles.writeString(out, json + "\n");
            String name = out.getFileName().toString().replaceFirst("\\.json$", "") + ".csv";
            AtomicFiles.writeString(out.resolveSibling(name), csv.toString());
            System.out.println(json);
        }
    }

    private static Map<String, String> options(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec.isBlank()) {
            return m;
        }
        for (String kv : spec.split(",")) {
            int e = kv.indexOf('=');
            m.put(e < 0 ? kv : kv.substring(0, e), e < 0 ? "true" : kv.substring(e + 1));
        }
        return m;
    }
}
