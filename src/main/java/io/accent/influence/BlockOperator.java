package io.accent.influence;

/**
 * A symmetric linear operator applied to several vectors at once (one session call for all of
 * them): {@code out[j] = A·in[j]} for every column j. Used for the curvature matrix of the
 * full-scope influence and for its preconditioner.
 */
public interface BlockOperator {

    /** The length of each vector. */
    int dimension();

    /**
     * Writes A·in[j] into out[j] for every j; {@code in} and {@code out} have the same number of
     * columns, each of {@link #dimension()} values.
     */
    void apply(double[][] in, double[][] out);

    /**
     * {@link #apply(double[][], double[][])} told which columns of a block solve {@code in} holds
     * ({@code columns[c]} for {@code in[c]}): an operator that differs per column (RCF's wider
     * scope has one curvature matrix per removed action) overrides this; by default every column
     * sees the same operator.
     */
    default void apply(int[] columns, double[][] in, double[][] out) {
        apply(in, out);
    }

    /** The identity (no preconditioning). */
    static BlockOperator identity(int dimension) {
        return new BlockOperator() {
            @Override
            public int dimension() {
                return dimension;
            }

            @Override
            public void apply(double[][] in, double[][] out) {
                for (int j = 0; j < in.length; j++) {
                    System.arraycopy(in[j], 0, out[j], 0, dimension);
                }
            }
        };
    }
}
