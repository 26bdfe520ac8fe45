package io.accent.influence;

/**
 * A symmetric linear operator x ↦ Hx on R^n, typically a (damped) Hessian. Implementations may
 * compute the product with TensorFlow (one session call per product) or from an explicit matrix.
 */
public interface HessianVectorProduct {

    /** n, the dimension. */
    int dimension();

    /** Writes H·p into {@code out} (both of length n; they must not alias). */
    void apply(double[] p, double[] out);
}
