package io.accent.ncf;

import io.accent.core.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperparameters of NCF training (docs/SPEC.md §2). Defaults are the reference's.
 *
 * @param embeddingSize E, the size of each user/item embedding (16)
 * @param learningRate Adam learning rate, constant (1e-3)
 * @param weightDecay λ of the L2 term λ·½‖W‖² over embeddings and MLP weights (1e-3)
 * @param batchSize rows per step (the reference's 1246); the tail of an epoch that does not fill a
 *     batch is dropped
 * @param steps number of Adam updates (119,999 in the reference)
 * @param seed seed of the initialization and of the epoch shuffles
 * @param stepsPerCall training steps fused into one session call (a speed knob; results do not
 *     depend on it)
 */
public record NcfConfig(
        int embeddingSize,
        double learningRate,
        double weightDecay,
        int batchSize,
        long steps,
        long seed,
        int stepsPerCall) {

    public static final int REFERENCE_EMBEDDING = 16;
    public static final int REFERENCE_BATCH = 1246;
    public static final long REFERENCE_STEPS = 119_999;

    public NcfConfig {
        if (embeddingSize < 1) {
            throw new ConfigException("embedding size must be positive, got " + embeddingSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new ConfigException("learning rate must be positive, got " + learningRate);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new ConfigException("weight decay must be >= 0, got " + weightDecay);
        }
        if (batchSize < 1) {
            throw new ConfigException("batch size must be positive, got " + batchSize);
        }
        if (steps < 0) {
            throw new ConfigException("steps must be >= 0, got " + steps);
        }
        if (stepsPerCall < 1 || stepsPerCall > 64) {
            throw new ConfigException("steps per call must be in 1..64, got " + stepsPerCall);
        }
    }

    /** The reference configuration with the given step count and seed. */
    public static NcfConfig reference(long steps, long seed) {
        return new NcfConfig(REFERENCE_EMBEDDING, 1e-3, 1e-3, REFERENCE_BATCH, steps, seed, 7);
    }

    public NcfConfig withSteps(long newSteps) {
        return new NcfConfig(
                embeddingSize, learningRate, weightDecay, batchSize, newSteps, seed, stepsPerCall);
    }

    public NcfConfig withSeed(long newSeed) {
        return new NcfConfig(
                embeddingSize, learningRate, weightDecay, batchSize, steps, newSeed, stepsPerCall);
    }

    public NcfConfig withBatchSize(int b) {
        return new NcfConfig(
                embeddingSize, learningRate, weightDecay, b, steps, seed, stepsPerCall);
    }

    public NcfConfig withStepsPerCall(int k) {
        return new NcfConfig(embeddingSize, learningRate, weightDecay, batchSize, steps, seed, k);
    }

    /** The values as an ordered map, for metadata and provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("embedding_size", embeddingSize);
        m.put("learning_rate", learningRate);
        m.put("weight_decay", weightDecay);
        m.put("batch_size", batchSize);
        m.put("steps", steps);
        m.put("seed", seed);
        m.put("adam_beta1", 0.9);
        m.put("adam_beta2", 0.999);
        m.put("adam_epsilon", 1e-8);
        return m;
    }

    /** Reads the values written by {@link #asMap()}. */
    public static NcfConfig fromMap(Map<String, ?> m) {
        try {
            return new NcfConfig(
                    ((Number) m.get("embedding_size")).intValue(),
                    ((Number) m.get("learning_rate")).doubleValue(),
                    ((Number) m.get("weight_decay")).doubleValue(),
                    ((Number) m.get("batch_size")).intValue(),
                    ((Number) m.get("steps")).longValue(),
                    ((Number) m.get("seed")).longValue(),
                    7);
        } catch (NullPointerException | ClassCastException e) {
            throw new ConfigException("incomplete NCF configuration in model metadata: " + m);
        }
    }
}
