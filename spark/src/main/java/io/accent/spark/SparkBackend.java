package io.accent.spark;

import io.accent.api.Recommendation;
import io.accent.cli.Backend;
import io.accent.cli.Jobs;
import io.accent.evaluate.RetrainBatches;
import io.accent.explain.Explainer;
import io.accent.explain.ExplanationRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The Spark backend of the command line: {@code explain} partitions its users over tasks, {@code
 * evaluate} its retrains, {@code score} its pairs and {@code recommend} its users; the driver (this
 * process) writes every file and message as {@code accent} does. The Spark context starts with the
 * first job and stops at {@link #close()}.
 */
final class SparkBackend implements Backend, AutoCloseable {

    /** Users per explain task when {@code --users-per-task} is not given. */
    static final int DEFAULT_USERS_PER_TASK = 256;

    private final RemotePaths remote;
    private JavaSparkContext context;

    SparkBackend(RemotePaths remote) {
        this.remote = remote;
    }

    @Override
    public void install(CommandLine root) {
        for (String command : List.of("explain", "evaluate", "score", "recommend")) {
            CommandSpec spec = root.getSubcommands().get(command).getCommandSpec();
            spec.addOption(
                    OptionSpec.builder("--master")
                            .paramLabel("URL")
                            .type(String.class)
                            .description(
                                    "Spark master (default: spark-submit's, else local[*]): the"
                                            + " work runs as Spark tasks, results as without Spark.")
                            .build());
        }
        root.getSubcommands()
                .get("explain")
                .getCommandSpec()
                .addOption(
                        OptionSpec.builder("--users-per-task")
                                .paramLabel("N")
                                .type(Integer.class)
                                .converters(
                                        v -> {
                                            int n = Integer.parseInt(v.trim());
                                            if (n < 1) {
                                                throw new CommandLine.TypeConversionException(
                                                        "must be positive, got " + n);
                                            }
                                            return n;
                                        })
                                .description(
                                        "Users each Spark task explains (default: "
                                                + DEFAULT_USERS_PER_TASK
                                                + "; a multiple of --batch keeps the influence"
                                                + " batches of a run without Spark).")
                                .build());
    }

    @Override
    public ExplanationRun.Workers explainWorkers(Jobs.Explain job) {
        Integer given = job.command().findOption("--users-per-task").getValue();
        int perTask = given == null ? DEFAULT_USERS_PER_TASK : given;
        String master = job.command().findOption("--master").getValue();
        return (model, influence, config, users, sink) -> {
            ExplainTask task =
                    new ExplainTask(
                            remote.source(job.model()),
                            job.family(),
                            new HashMap<>(job.influenceOptions().given()),
                            job.threads(),
                            config.ks(),
                            config.explainers().stream().map(Explainer::name).toList(),
                            config.usersPerBatch());
            List<int[]> parts = new ArrayList<>();
            for (int from = 0; from < users.length; from += perTask) {
                parts.add(Arrays.copyOfRange(users, from, Math.min(users.length, from + perTask)));
            }
            SparkRuns.run(
                    context(master, "explain"),
                    "explain",
                    parts,
                    task,
                    true,
                    w -> sink.accept(w.toResult()));
        };
    }

    @Override
    public RetrainBatches.Workers retrainWorkers(Jobs.Evaluate job) {
        String master = job.command().findOption("--master").getValue();
        int stopAfter = Integer.getInteger("accent.spark.test.stopAfterRetrains", -1);
        return (model, retraining, chunks, batch, rawItems, done, progress) -> {
            List<RetrainTask.Chunk> inputs = new ArrayList<>();
            for (List<RetrainBatches.Pending> chunk : chunks) {
                HashMap<Integer, int[]> items = new HashMap<>();
                for (RetrainBatches.Pending p : chunk) {
                    items.put(p.key().user(), rawItems.apply(p.key().user()));
                }
                inputs.add(new RetrainTask.Chunk(new ArrayList<>(chunk), items));
            }
            RetrainTask task =
                    new RetrainTask(
                            remote.source(job.model()),
                            job.family(),
                            new HashMap<>(job.evaluationOptions().given()),
                            job.threads(),
                            batch);
            AtomicInteger stored = new AtomicInteger();
            Map<RetrainBatches.Pending, Integer> chunkOf = new HashMap<>();
            int[] left = new int[chunks.size()];
            for (int c = 0; c < chunks.size(); c++) {
                left[c] = chunks.get(c).size();
                for (RetrainBatches.Pending p : chunks.get(c)) {
                    chunkOf.put(p, c);
                }
            }
            SparkRuns.run(
                    context(master, "evaluate"),
                    "evaluate",
                    inputs,
                    task,
                    false,
                    d -> {
                        done.accept(d);
                        int c = chunkOf.get(d.pending());
                        if (--left[c] == 0) {
                            progress.step(retraining.work(chunks.get(c).size(), batch));
                        }
                        if (stored.incrementAndGet() == stopAfter) {
                            throw new IllegalStateException(
                                    "accent.spark.test.stopAfterRetrains: stopped after "
                                            + stopAfter
                                            + " retrains");
                        }
                    });
        };
    }

    @Override
    public Jobs.Scorer scorer(Jobs.Model job, io.accent.api.AccentModel model) {
        String master = job.command().findOption("--master").getValue();
        String source = remote.source(job.model());
        return (users, items) -> {
            JavaSparkContext sc = context(master, "score");
            int parts = Math.max(1, Math.min(sc.defaultParallelism(), users.length / 1024 + 1));
            int per = (users.length + parts - 1) / parts;
            List<int[][]> inputs = new ArrayList<>();
            for (int from = 0; from < users.length; from += per) {
                int to = Math.min(users.length, from + per);
                inputs.add(
                        new int[][] {
                            Arrays.copyOfRange(users, from, to), Arrays.copyOfRange(items, from, to)
                        });
            }
            float[] out = new float[users.length];
            int[] next = {0};
            SparkRuns.run(
                    sc,
                    "score",
                    inputs,
                    new ModelTasks.Score(source),
                    true,
                    (float[] s) -> {
                        System.arraycopy(s, 0, out, next[0], s.length);
                        next[0] += s.length;
                    });
            return out;
        };
    }

    @Override
    public Jobs.Recommender recommender(Jobs.Model job, io.accent.api.AccentModel model) {
        String master = job.command().findOption("--master").getValue();
        String source = remote.source(job.model());
        return (users, k) -> {
            JavaSparkContext sc = context(master, "recommend");
            int parts = Math.max(1, Math.min(sc.defaultParallelism() * 4, users.length));
            int per = (users.length + parts - 1) / parts;
            List<int[]> inputs = new ArrayList<>();
            for (int from = 0; from < users.length; from += per) {
                inputs.add(Arrays.copyOfRange(users, from, Math.min(users.length, from + per)));
            }
            List<List<Recommendation>> out = new ArrayList<>(users.length);
            SparkRuns.run(
                    sc, "recommend", inputs, new ModelTasks.Recommend(source, k), true, out::add);
            return out;
        };
    }

    /** The Spark context, started on first use with {@code master} (or spark-submit's). */
    private synchronized JavaSparkContext context(String master, String command) {
        if (context == null) {
            SparkConf conf = new SparkConf().setAppName("accent " + command);
            if (master != null) {
                conf.setMaster(master);
            } else if (!conf.contains("spark.master")) {
                conf.setMaster("local[*]");
            }
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
            if (conf.get("spark.master").startsWith("local")) {
                conf.setIfMissing("spark.ui.enabled", "false");
                conf.setIfMissing("spark.driver.host", "127.0.0.1");
                conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            }
            context = new JavaSparkContext(conf);
        }
        return context;
    }

    @Override
    public synchronized void close() {
        if (context != null) {
            context.stop();
            context = null;
        }
        ExecutorSide.closeAll();
    }
}
