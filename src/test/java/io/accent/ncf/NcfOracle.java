package io.accent.ncf;

import io.accent.tf.ParameterSet;

/**
 * An independent float64 NCF in plain Java with a hand-written backward pass: the oracle for the
 * TensorFlow gradients, Hessians and influences. Side vectors are (mlp row, gmf row).
 */
final class NcfOracle {

    final int e;
    final double[] w1;
    final double[] b1;
    final double[] w2;
    final double[] b2;
    final double[] w3;
    final double b3;
    final int h1;
    final int h2;

    NcfOracle(ParameterSet p) {
        e = p.get("P_mlp").rowSize();
        w1 = d(p.get("W1").data());
        b1 = d(p.get("b1").data());
        w2 = d(p.get("W2").data());
        b2 = d(p.get("b2").data());
        w3 = d(p.get("W3").data());
        b3 = p.get("b3").data()[0];
        h1 = b1.length;
        h2 = b2.length;
    }

    static double[] d(float[] f) {
        double[] o = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            o[k] = f[k];
        }
        return o;
    }

    /** ŷ and, if {@code gu}/{@code gi} are non-null, ∂ŷ/∂user and ∂ŷ/∂item (length 2e each). */
    double score(double[] u, double[] i, double[] gu, double[] gi) {
        double[] x = new double[2 * e];
        for (int k = 0; k < e; k++) {
            x[k] = u[k];
            x[e + k] = i[k];
        }
        double[] a1 = new double[h1];
        for (int j = 0; j < h1; j++) {
            double s = b1[j];
            for (int k = 0; k < 2 * e; k++) {
                s += x[k] * w1[k * h1 + j];
            }
            a1[j] = s;
        }
        double[] a2 = new double[h2];
        for (int j = 0; j < h2; j++) {
            double s = b2[j];
            for (int k = 0; k < h1; k++) {
                s += Math.max(a1[k], 0) * w2[k * h2 + j];
            }
            a2[j] = s;
        }
        double y = b3;
        for (int j = 0; j < h2; j++) {
            y += Math.max(a2[j], 0) * w3[j];
        }
        for (int k = 0; k < e; k++) {
            y += u[e + k] * i[e + k] * w3[h2 + k];
        }
        if (gu != null) {
            double[] da2 = new double[h2];
            for (int j = 0; j < h2; j++) {
                da2[j] = a2[j] > 0 ? w3[j] : 0;
            }
            double[] da1 = new double[h1];
            for (int k = 0; k < h1; k++) {
                double s = 0;
                for (int j = 0; j < h2; j++) {
                    s += w2[k * h2 + j] * da2[j];
                }
                da1[k] = a1[k] > 0 ? s : 0;
            }
            for (int k = 0; k < 2 * e; k++) {
                double s = 0;
                for (int j = 0; j < h1; j++) {
                    s += w1[k * h1 + j] * da1[j];
                }
                if (k < e) {
                    gu[k] = s;
                } else {
                    gi[k - e] = s;
                }
            }
            for (int k = 0; k < e; k++) {
                gu[e + k] = w3[h2 + k] * i[e + k];
                gi[e + k] = w3[h2 + k] * u[e + k];
            }
        }
        return y;
    }
}
