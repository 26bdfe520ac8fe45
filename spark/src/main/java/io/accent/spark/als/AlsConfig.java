package io.accent.spark.als;

import io.accent.core.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyperparameters of a Spark MLlib ALS model (explicit feedback), as {@code model.json} records
 * them. A saved {@code ALSModel} stores only its rank and factors, so the others come from {@code
 * accent import spark-als}'s options (Spark's defaults when not given); the retrains of the
 * evaluation ({@link AlsRetraining}) use them all.
 *
 * @param rank the factor size
 * @param regParam λ of ALS-WR's penalty λ(Σ_u n_u‖x_u‖² + Σ_i n_i‖y_i‖²) (Spark's regParam)
 * @param maxIter ALS iterations (each solves the item factors, then the user factors)
 * @param seed the seed of the initial factors (retrain r uses seed + r)
 * @param userBlocks Spark's numUserBlocks
 * @param itemBlocks Spark's numItemBlocks
 */
public record AlsConfig(
        int rank, double regParam, int maxIter, long seed, int userBlocks, int itemBlocks) {

    /** Spark's default regParam. */
    public static final double DEFAULT_REG_PARAM = 0.1;

    /** Spark's default maxIter. */
    public static final int DEFAULT_MAX_ITER = 10;

    /** Spark's default numUserBlocks and numItemBlocks. */
    public static final int DEFAULT_BLOCKS = 10;

    /** Spark's default seed ({@code ALS}'s class name's hash, as Spark computes it). */
    public static final long DEFAULT_SEED = "org.apache.spark.ml.recommendation.ALS".hashCode();

    public AlsConfig {
        if (rank < 1) {
            throw new ConfigException("ALS rank must be positive, got " + rank);
        }
        if (!(regParam >= 0) || !Double.isFinite(regParam)) {
            throw new ConfigException("--reg-param must be >= 0, got " + regParam);
        }
        if (maxIter < 1) {
            throw new ConfigException("--max-iter must be positive, got " + maxIter);
        }
        if (userBlocks < 1 || itemBlocks < 1) {
            throw new ConfigException(
                    "--user-blocks and --item-blocks must be positive, got "
                            + userBlocks
                            + " and "
                            + itemBlocks);
        }
    }

    /** The values as an ordered map, for model.json and provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainer", "spark-mllib ALS (explicit feedback)");
        m.put("rank", rank);
        m.put("reg_param", regParam);
        m.put("max_iter", maxIter);
        m.put("seed", seed);
        m.put("user_blocks", userBlocks);
        m.put("item_blocks", itemBlocks);
        m.put("implicit_prefs", false);
        m.put("nonnegative", false);
        return m;
    }

    /** Reads the values written by {@link #asMap()}. */
    public static AlsConfig fromMap(Map<String, ?> m) {
        try {
            return new AlsConfig(
                    ((Number) m.get("rank")).intValue(),
                    ((Number) m.get("reg_param")).doubleValue(),
                    ((Number) m.get("max_iter")).intValue(),
                    ((Number) m.get("seed")).longValue(),
                    ((Number) m.get("user_blocks")).intValue(),
                    ((Number) m.get("item_blocks")).intValue());
        } catch (NullPointerException | ClassCastException e) {
            throw new ConfigException("incomplete ALS configuration in model metadata: " + m);
        }
    }

    /** This configuration with another seed. */
    public AlsConfig withSeed(long newSeed) {
        return new AlsConfig(rank, regParam, maxIter, newSeed, userBlocks, itemBlocks);
    }
}
