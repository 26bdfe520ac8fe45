package io.accent.rcf;

import io.accent.core.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Settings of the RCF influence engine (docs/SPEC.md §5).
 *
 * @param damping added to the diagonal of H_p = (1/n_u) Σ_{T_u} ∇²ℓ (0.01)
 * @param hessian which Hessian each removal uses
 * @param pinvCutoff relative cutoff of the pseudo-inverse: eigenvalues λ of the damped Hessian with
 *     |λ| ≤ pinvCutoff · max|λ| are treated as zero (numpy's {@code pinv} default rcond, 1e-15)
 * @param topK K, the number of top items whose influences are computed (20)
 * @param rowsPerCall score rows per session call of the double-backprop Hessians (each row is
 *     replicated 64 times in it; the tests' oracle); also sets {@link #hessianPairsPerCall}, the
 *     bound on the memory of one call of the closed-form Hessians
 * @param threads TensorFlow threads
 */
public record RcfInfluenceConfig(
        double damping,
        Hessian hessian,
        double pinvCutoff,
        int topK,
        int rowsPerCall,
        int threads) {

    /** Which Hessian the removal of a positive p uses. */
    public enum Hessian {
        /**
         * SPEC §5 exactly: H_p over all of u's triples with every list built without p, one Hessian
         * per (u, p). Costs about n_u times {@link #SHARED}.
         */
        EXACT,
        /**
         * An approximation: one Hessian per user over all of u's triples with the full lists
         * (nothing removed), used for every p; g_p and the final forward pass still use the lists
         * without p. Removing one of n_u positives changes each list by one item.
         */
        SHARED;

        /** Parses "exact" or "shared". */
        public static Hessian byName(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "unknown Hessian mode '"
                                + s
                                + "'; valid: "
                                + Arrays.stream(values())
                                        .map(v -> v.name().toLowerCase(Locale.ROOT))
                                        .toList());
            }
        }
    }

    public RcfInfluenceConfig {
        if (!(damping >= 0) || !Double.isFinite(damping)) {
            throw new ConfigException("damping must be >= 0, got " + damping);
        }
        if (!(pinvCutoff >= 0) || pinvCutoff >= 1) {
            throw new ConfigException("pseudo-inverse cutoff must be in [0, 1), got " + pinvCutoff);
        }
        if (topK < 1) {
            throw new ConfigException("top-K must be positive, got " + topK);
        }
        if (rowsPerCall < 2) {
            throw new ConfigException("rows per call must be at least 2, got " + rowsPerCall);
        }
    }

    /** The reference settings: damping 0.01, exact Hessians, rcond 1e-15, K = 20. */
    public static RcfInfluenceConfig defaults() {
        return new RcfInfluenceConfig(0.01, Hessian.EXACT, 1e-15, 20, 512, 2);
    }

    /**
     * (removal, row) pairs per call of the closed-form Hessians ({@code RcfRemovalHessians}): 16 ×
     * {@link #rowsPerCall}, about 25 KB each (8,192 pairs, about 200 MB, by default).
     */
    public int hessianPairsPerCall() {
        return 16 * rowsPerCall;
    }

    public RcfInfluenceConfig withHessian(Hessian h) {
        return new RcfInfluenceConfig(damping, h, pinvCutoff, topK, rowsPerCall, threads);
    }

    public RcfInfluenceConfig withThreads(int t) {
        return new RcfInfluenceConfig(damping, hessian, pinvCutoff, topK, rowsPerCall, t);
    }

    public RcfInfluenceConfig withDamping(double d) {
        return new RcfInfluenceConfig(d, hessian, pinvCutoff, topK, rowsPerCall, threads);
    }

    public RcfInfluenceConfig withTopK(int k) {
        return new RcfInfluenceConfig(damping, hessian, pinvCutoff, k, rowsPerCall, threads);
    }

    public RcfInfluenceConfig withRowsPerCall(int r) {
        return new RcfInfluenceConfig(damping, hessian, pinvCutoff, topK, r, threads);
    }
}
