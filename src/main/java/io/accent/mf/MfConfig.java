package io.accent.mf;

import io.accent.core.ConfigException;
import io.accent.ncf.NcfConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyperparameters of MF training (docs/SPEC.md §11.1). Everything except the factor size follows
 * NCF's reference protocol ({@link NcfConfig#reference}): Adam at 1e-3, L2 1e-3 on the factor
 * tables, 119,999 updates in batches of 1246 rows (or, trained by {@code accent train}, the
 * reference's 49 batches per epoch of the data set's training rows).
 *
 * @param embeddingSize d, the size of each user and item factor (16)
 * @param learningRate Adam learning rate, constant (1e-3)
 * @param weightDecay λ of the term λ·½(‖P‖² + ‖Q‖²); biases are not decayed (1e-3)
 * @param batchSize rows per step; an epoch's tail that does not fill a batch is dropped
 * @param steps number of Adam updates
 * @param seed seed of the initialization and of the epoch shuffles
 * @param stepsPerCall training steps fused into one session call (speed only; results do not depend
 *     on it)
 */
public record MfConfig(
        int embeddingSize,
        double learningRate,
        double weightDecay,
        int batchSize,
        long steps,
        long seed,
        int stepsPerCall) {

    /** Default factor size. */
    public static final int DEFAULT_EMBEDDING = 16;

    public MfConfig {
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

    /** NCF's reference protocol with factors of size {@code embedding}. */
    public static MfConfig reference(int embedding, long steps, long seed) {
        NcfConfig n = NcfConfig.reference(steps, seed);
        return new MfConfig(
                embedding,
                n.learningRate(),
                n.weightDecay(),
                n.batchSize(),
                steps,
                seed,
                n.stepsPerCall());
    }

    public MfConfig withSteps(long newSteps) {
        return new MfConfig(
                embeddingSize, learningRate, weightDecay, batchSize, newSteps, seed, stepsPerCall);
    }

    public MfConfig withSeed(long newSeed) {
        return new MfConfig(
                embeddingSize, learningRate, weightDecay, batchSize, steps, newSeed, stepsPerCall);
    }

    public MfConfig withBatchSize(int b) {
        return new MfConfig(embeddingSize, learningRate, weightDecay, b, steps, seed, stepsPerCall);
    }

    /** The values as an ordered map, for model.json and provenance. */
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
    public static MfConfig fromMap(Map<String, ?> m) {
        try {
            return new MfConfig(
                    ((Number) m.get("embedding_size")).intValue(),
                    ((Number) m.get("learning_rate")).doubleValue(),
                    ((Number) m.get("weight_decay")).doubleValue(),
                    ((Number) m.get("batch_size")).intValue(),
                    ((Number) m.get("steps")).longValue(),
                    ((Number) m.get("seed")).longValue(),
                    NcfConfig.reference(0, 0).stepsPerCall());
        } catch (NullPointerException | ClassCastException e) {
            throw new ConfigException("incomplete MF configuration in model metadata: " + m);
        }
    }
}
