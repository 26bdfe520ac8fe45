package io.accent.rcf;

import io.accent.core.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperparameters of RCF (docs/SPEC.md §4), parsed once. Defaults are the reference's.
 *
 * @param hidden H, embedding size (64)
 * @param attention A, attention size (32)
 * @param mlp width of the GELU MLP layer (64)
 * @param alpha smoothing exponent of the item attention normalization (0.5)
 * @param relationalWeight weight of the relational loss (reg_t, 0.01)
 * @param learningRate Adagrad learning rate (0.05)
 * @param initialAccumulator Adagrad initial accumulator (1e-8)
 * @param batchSize training triples per step (512)
 * @param epochs epochs (50)
 * @param initSeed seed of the initialization (2016)
 * @param seed seed of the epoch shuffles (2512 for the main model)
 */
public record RcfConfig(
        int hidden,
        int attention,
        int mlp,
        double alpha,
        double relationalWeight,
        double learningRate,
        double initialAccumulator,
        int batchSize,
        int epochs,
        long initSeed,
        long seed) {

    public static final long REFERENCE_INIT_SEED = 2016;
    public static final long REFERENCE_SEED = 2512;
    public static final int REFERENCE_EPOCHS = 50;

    public RcfConfig {
        if (hidden < 1 || attention < 1 || mlp < 1) {
            throw new ConfigException(
                    "RCF layer sizes must be positive, got hidden "
                            + hidden
                            + ", attention "
                            + attention
                            + ", mlp "
                            + mlp);
        }
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new ConfigException("alpha must be >= 0, got " + alpha);
        }
        if (!(relationalWeight >= 0) || !Double.isFinite(relationalWeight)) {
            throw new ConfigException("relational weight must be >= 0, got " + relationalWeight);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new ConfigException("learning rate must be positive, got " + learningRate);
        }
        if (!(initialAccumulator > 0)) {
            throw new ConfigException(
                    "initial accumulator must be positive, got " + initialAccumulator);
        }
        if (batchSize < 1) {
            throw new ConfigException("batch size must be positive, got " + batchSize);
        }
        if (epochs < 0) {
            throw new ConfigException("epochs must be >= 0, got " + epochs);
        }
    }

    /** The reference configuration with the given epochs and shuffle seed. */
    public static RcfConfig reference(int epochs, long seed) {
        return new RcfConfig(
                64, 32, 64, 0.5, 0.01, 0.05, 1e-8, 512, epochs, REFERENCE_INIT_SEED, seed);
    }

    public RcfConfig withEpochs(int n) {
        return new RcfConfig(
                hidden,
                attention,
                mlp,
                alpha,
                relationalWeight,
                learningRate,
                initialAccumulator,
                batchSize,
                n,
                initSeed,
                seed);
    }

    public RcfConfig withSeed(long s) {
        return new RcfConfig(
                hidden,
                attention,
                mlp,
                alpha,
                relationalWeight,
                learningRate,
                initialAccumulator,
                batchSize,
                epochs,
                initSeed,
                s);
    }

    /** The values as an ordered map, for metadata and provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", hidden);
        m.put("attention", attention);
        m.put("mlp", mlp);
        m.put("alpha", alpha);
        m.put("relational_weight", relationalWeight);
        m.put("learning_rate", learningRate);
        m.put("initial_accumulator", initialAccumulator);
        m.put("batch_size", batchSize);
        m.put("epochs", epochs);
        m.put("init_seed", initSeed);
        m.put("seed", seed);
        m.put("optimizer", "adagrad");
        m.put("activation", "gelu_tanh");
        return m;
    }

    /** Reads the values written by {@link #asMap()}. */
    public static RcfConfig fromMap(Map<String, ?> m) {
        try {
            return new RcfConfig(
                    ((Number) m.get("hidden")).intValue(),
                    ((Number) m.get("attention")).intValue(),
                    ((Number) m.get("mlp")).intValue(),
                    ((Number) m.get("alpha")).doubleValue(),
                    ((Number) m.get("relational_weight")).doubleValue(),
                    ((Number) m.get("learning_rate")).doubleValue(),
                    ((Number) m.get("initial_accumulator")).doubleValue(),
                    ((Number) m.get("batch_size")).intValue(),
                    ((Number) m.get("epochs")).intValue(),
                    ((Number) m.get("init_seed")).longValue(),
                    ((Number) m.get("seed")).longValue());
        } catch (NullPointerException | ClassCastException e) {
            throw new ConfigException("incomplete RCF configuration in model metadata: " + m);
        }
    }
}
