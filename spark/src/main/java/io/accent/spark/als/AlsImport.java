package io.accent.spark.als;

import io.accent.core.DataException;
import io.accent.core.ModelException;
import io.accent.core.OutputTarget;
import io.accent.core.Provenance;
import io.accent.data.Digests;
import io.accent.data.IdMap;
import io.accent.data.PreparedDataset;
import io.accent.data.Ratings;
import io.accent.model.ModelMetadata;
import io.accent.modelio.ModelStore;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.ml.recommendation.ALSModel;

/**
 * {@code accent import spark-als}: reads an {@code ALSModel} saved by Spark MLlib (explicit
 * feedback), places its factors by the prepared data's raw ids, and writes a model directory of the
 * ALS family (MF's layout with zero offsets; {@link AlsFamily}) with its provenance.
 *
 * <p>A saved ALSModel records its rank and factors but not the estimator's regParam, maxIter, seed
 * or blocks, so those come from the request. Since Spark's last half-iteration solves every user's
 * normal equations {@code (Σ_{i∈I_u} y_i y_iᵀ + λn_u I) x_u = Σ_{i∈I_u} r_ui y_i} exactly (up to
 * float32), the import checks the user factors against them with the given λ over the prepared
 * data's training ratings, and reports the λ that fits them best: a large residual means another
 * regParam, other training ratings, or a model that is not explicit, unconstrained ALS.
 */
public final class AlsImport {

    /** Relative residual of the user normal equations above which the import warns. */
    static final double RESIDUAL_WARNING = 1e-3;

    /**
     * What to import.
     *
     * @param source the directory {@code ALSModel.save} wrote
     * @param dataDir the prepared data the model was trained on (its training ratings, by raw ids)
     * @param out the model directory's output rule
     * @param config the hyperparameters (the rank is read from the model and replaces the one
     *     given)
     * @param sparkThreads threads of the local Spark that reads the model (when none is running)
     */
    public record Request(
            Path source, Path dataDir, OutputTarget out, AlsConfig config, int sparkThreads) {}

    /**
     * What an import gives.
     *
     * @param metadata the written {@code model.json}
     * @param warnings things the user should know, one line each
     * @param residual relative residual of the user normal equations with the recorded regParam
     * @param fittedRegParam the regParam that fits the user factors best (least squares)
     */
    public record Report(
            ModelMetadata metadata, List<String> warnings, double residual, double fittedRegParam) {
        public Report {
            warnings = List.copyOf(warnings);
        }
    }

    private AlsImport() {}

    /** Runs the import. */
    public static Report run(Request request) {
        request.out().check();
        Path source = request.source();
        if (!Files.isDirectory(source)) {
            throw new ModelException(
                    "ALS model directory "
                            + source
                            + (Files.exists(source) ? " is not a directory" : " does not exist"));
        }
        PreparedDataset data = PreparedDataset.load(request.dataDir());
        int rank;
        Map<Integer, float[]> userFactors;
        Map<Integer, float[]> itemFactors;
        try (AlsSpark spark = AlsSpark.open(request.sparkThreads())) {
            ALSModel m;
            try {
                m = ALSModel.load(source.toAbsolutePath().toString());
            } catch (RuntimeException e) {
                throw new ModelException(
                        "cannot read a Spark ALSModel from " + source + ": " + firstLine(e), e);
            }
            rank = m.rank();
            userFactors = AlsSpark.users(m);
            itemFactors = AlsSpark.items(m);
        }
        AlsConfig c = request.config();
        AlsConfig config =
                new AlsConfig(
                        rank, c.regParam(), c.maxIter(), c.seed(), c.userBlocks(), c.itemBlocks());
        List<String> warnings = new ArrayList<>();
        Ratings train = data.train();
        float[] p = place(userFactors, data.users(), counts(train, true), rank, "user", warnings);
        float[] q = place(itemFactors, data.items(), counts(train, false), rank, "item", warnings);
        int numUsers = data.users().size();
        int numItems = data.items().size();

        double[] fit = normalEquations(train, p, q, rank, numUsers, config.regParam());
        double residual = fit[0];
        double fitted = fit[1];
        if (!(residual <= RESIDUAL_WARNING)) {
            warnings.add(
                    String.format(
                            "the user factors do not solve ALS's normal equations with regParam"
                                    + " %s over the prepared training ratings (relative residual"
                                    + " %.2e; the regParam that fits best is %.4g): was the model"
                                    + " trained with another --reg-param, on other ratings, or"
                                    + " with implicitPrefs or nonnegative? Its explanations"
                                    + " would not describe it",
                            config.regParam(), residual, fitted));
        }

        double trainMse = mse(train, p, q, rank);
        double heldMse = data.heldOut().size() == 0 ? Double.NaN : mse(data.heldOut(), p, q, rank);

        Map<String, Object> importInfo = new LinkedHashMap<>();
        importInfo.put("format", "spark-als");
        importInfo.put("source", source.toAbsolutePath().normalize().toString());
        importInfo.put("files_sha256", digests(source));
        importInfo.put("spark_version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        importInfo.put("normal_equation_residual", residual);
        importInfo.put("fitted_reg_param", fitted);
        Map<String, Object> provConfig = new LinkedHashMap<>(config.asMap());
        provConfig.put("import", importInfo);
        ModelMetadata meta =
                new ModelMetadata(
                        ModelMetadata.FORMAT,
                        AlsFamily.NAME,
                        numUsers,
                        numItems,
                        config.asMap(),
                        config.maxIter(),
                        config.seed(),
                        trainMse,
                        heldMse,
                        Provenance.now(
                                "accent import spark-als",
                                "cpu",
                                data.name(),
                                data.fingerprint(),
                                provConfig,
                                config.seed(),
                                "spark-als:" + importInfo.get("source")));
        ParameterSet state =
                new ParameterSet(
                        List.of(
                                new NamedArray("P", new long[] {numUsers, rank}, p),
                                new NamedArray("Q", new long[] {numItems, rank}, q),
                                new NamedArray("Bu", new long[] {numUsers, 1}, new float[numUsers]),
                                new NamedArray("Bi", new long[] {numItems, 1}, new float[numItems]),
                                new NamedArray("mu", new long[] {}, new float[1])));
        ModelStore.save(request.out(), meta, state, request.dataDir());
        return new Report(meta, warnings, residual, fitted);
    }

    /** Ratings per dense user (or item) of {@code r}. */
    static int[] counts(Ratings r, boolean byUser) {
        int n = byUser ? r.userCount() : r.itemCount();
        int[] c = new int[n];
        for (int row = 0; row < r.size(); row++) {
            c[byUser ? r.user(row) : r.item(row)]++;
        }
        return c;
    }

    /**
     * The factors as a dense row-major table in the data's order. A factor for an id the data
     * lacks, a missing factor of an id with training ratings, or a factor of another length or with
     * a non-finite value is a data error; an id without training ratings gets a zero factor and a
     * warning.
     */
    static float[] place(
            Map<Integer, float[]> factors,
            IdMap ids,
            int[] ratings,
            int rank,
            String what,
            List<String> warnings) {
        List<Integer> unknown = new ArrayList<>();
        for (int id : factors.keySet()) {
            if (ids.index(id).isEmpty()) {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(null);
            throw new DataException(
                    "the ALS model has factors of "
                            + unknown.size()
                            + " "
                            + what
                            + " ids that the prepared data lacks (first: "
                            + unknown.get(0)
                            + "); import a model trained on these data's training ratings, by"
                            + " their raw ids");
        }
        float[] out = new float[ids.size() * rank];
        int zero = 0;
        for (int d = 0; d < ids.size(); d++) {
            float[] f = factors.get(ids.raw(d));
            if (f == null) {
                if (d < ratings.length && ratings[d] > 0) {
                    throw new DataException(
                            what
                                    + " "
                                    + ids.raw(d)
                                    + " has "
                                    + ratings[d]
                                    + " training ratings in the prepared data but no factor in the"
                                    + " ALS model; import a model trained on these data's training"
                                    + " ratings, by their raw ids");
                }
                zero++;
                continue;
            }
            if (f.length != rank) {
                throw new ModelException(
                        what + " " + ids.raw(d) + " has a factor of " + f.length + ", not " + rank);
            }
            for (int k = 0; k < rank; k++) {
                if (!Float.isFinite(f[k])) {
                    throw new ModelException(
                            what + " " + ids.raw(d) + " has a non-finite factor value " + f[k]);
                }
            }
            System.arraycopy(f, 0, out, d * rank, rank);
        }
        if (zero > 0) {
            warnings.add(
                    zero
                            + " "
                            + what
                            + "s of the prepared data have no training ratings and no ALS factor;"
                            + " their factors are zero");
        }
        return out;
    }

    /**
     * The user normal equations of ALS-WR with {@code lambda} over {@code train}: the relative
     * residual sqrt(Σ_u‖(Y_uᵀY_u + λn_u I)x_u − Y_uᵀr_u‖² / Σ_u‖Y_uᵀr_u‖²) and the λ minimizing it,
     * in float64.
     */
    static double[] normalEquations(
            Ratings train, float[] p, float[] q, int rank, int users, double lambda) {
        double[][] g = new double[users][rank]; // Y_uᵀY_u x_u − Y_uᵀr_u
        double[][] bu = new double[users][rank];
        int[] n = new int[users];
        for (int r = 0; r < train.size(); r++) {
            int u = train.user(r);
            int i = train.item(r);
            double yx = 0;
            for (int k = 0; k < rank; k++) {
                yx += (double) q[i * rank + k] * p[u * rank + k];
            }
            double rating = train.rating(r);
            for (int k = 0; k < rank; k++) {
                double y = q[i * rank + k];
                g[u][k] += y * (yx - rating);
                bu[u][k] += y * rating;
            }
            n[u]++;
        }
        double hg = 0;
        double hh = 0;
        double res = 0;
        double bb = 0;
        for (int u = 0; u < users; u++) {
            for (int k = 0; k < rank; k++) {
                double h = n[u] * (double) p[u * rank + k];
                hg += h * g[u][k];
                hh += h * h;
                double e = g[u][k] + lambda * h;
                res += e * e;
                bb += bu[u][k] * bu[u][k];
            }
        }
        return new double[] {
            Math.sqrt(res / Math.max(bb, Double.MIN_NORMAL)), hh == 0 ? 0 : -hg / hh
        };
    }

    /** Mean squared error of x_u·y_i against the ratings of {@code r}. */
    static double mse(Ratings r, float[] p, float[] q, int rank) {
        double s = 0;
        for (int row = 0; row < r.size(); row++) {
            double yhat = 0;
            for (int k = 0; k < rank; k++) {
                yhat += (double) p[r.user(row) * rank + k] * q[r.item(row) * rank + k];
            }
            double e = yhat - r.rating(row);
            s += e * e;
        }
        return s / r.size();
    }

    private static Map<String, String> digests(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .forEach(f -> out.put(dir.relativize(f).toString(), Digests.sha256(f)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
