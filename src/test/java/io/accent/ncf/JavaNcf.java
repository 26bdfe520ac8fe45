package io.accent.ncf;

import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;

/**
 * A plain-Java, float64 NCF forward pass (docs/SPEC.md §2.2): the oracle for the TensorFlow graph.
 */
final class JavaNcf {

    private JavaNcf() {}

    static double score(ParameterSet s, int u, int i) {
        NamedArray pm = s.get("P_mlp");
        int e = pm.rowSize();
        double[] x = new double[2 * e];
        float[] pu = pm.row(u);
        float[] qi = s.get("Q_mlp").row(i);
        for (int k = 0; k < e; k++) {
            x[k] = pu[k];
            x[e + k] = qi[k];
        }
        double[] h1 = dense(x, s.get("W1"), s.get("b1"), true);
        double[] h2 = dense(h1, s.get("W2"), s.get("b2"), true);
        float[] pg = s.get("P_gmf").row(u);
        float[] qg = s.get("Q_gmf").row(i);
        double[] z = new double[h2.length + e];
        System.arraycopy(h2, 0, z, 0, h2.length);
        for (int k = 0; k < e; k++) {
            z[h2.length + k] = (double) pg[k] * qg[k];
        }
        return dense(z, s.get("W3"), s.get("b3"), false)[0];
    }

    private static double[] dense(double[] x, NamedArray w, NamedArray b, boolean relu) {
        int out = w.rowSize();
        double[] y = new double[out];
        for (int j = 0; j < out; j++) {
            double acc = b.data()[j];
            for (int k = 0; k < x.length; k++) {
                acc += x[k] * w.data()[k * out + j];
            }
            y[j] = relu ? Math.max(acc, 0) : acc;
        }
        return y;
    }
}
