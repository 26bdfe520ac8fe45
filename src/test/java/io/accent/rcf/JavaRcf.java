package io.accent.rcf;

import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A plain-Java float64 evaluation of the RCF score (docs/SPEC.md §4.2–4.3) and relational loss
 * (§4.4) for K attribute kinds (§11.2), written from the spec independently of the TensorFlow graph
 * and of {@link RcfNeighbourLists}: the oracle of the tests. Attributes are given per kind and item
 * ({@code attrs[t − 1][item]}, the value ids of relation type t).
 */
final class JavaRcf {

    final RcfNetwork.Sizes sizes;
    final double[][][] w; // in RcfNetwork.variables(K) order, vectors as [n][1]
    final double alpha;

    JavaRcf(RcfNetwork.Sizes sizes, long seed, double scale, double alpha) {
        this.sizes = sizes;
        this.alpha = alpha;
        long[][] shapes = RcfNetwork.shapes(sizes);
        Random r = new Random(seed);
        w = new double[shapes.length][][];
        for (int k = 0; k < shapes.length; k++) {
            int rows = (int) shapes[k][0];
            int cols = shapes[k].length > 1 ? (int) shapes[k][1] : 1;
            w[k] = new double[rows][cols];
            for (double[] row : w[k]) {
                for (int c = 0; c < cols; c++) {
                    row[c] = r.nextGaussian() * scale;
                }
            }
        }
    }

    double[][] get(String name) {
        return w[sizes.variables().indexOf(name)];
    }

    /** As a ParameterSet (float32). */
    ParameterSet parameters() {
        long[][] shapes = RcfNetwork.shapes(sizes);
        List<NamedArray> out = new ArrayList<>();
        for (int k = 0; k < shapes.length; k++) {
            double[][] a = w[k];
            float[] d = new float[a.length * a[0].length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[0].length; j++) {
                    d[i * a[0].length + j] = (float) a[i][j];
                }
            }
            out.add(new NamedArray(sizes.variables().get(k), shapes[k], d));
        }
        return new ParameterSet(out);
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** ŷ(u, i) with N_u = positives (the target itself skipped). */
    double score(int u, int i, int[] positives, int[][][] attrs) {
        return score(get("e_user")[u], u, i, positives, attrs);
    }

    double score(double[] e, int u, int i, int[] positives, int[][][] attrs) {
        int h = sizes.hidden();
        int a = sizes.attention();
        int types = sizes.types();
        double[][] q = get("q");
        // lists
        List<List<int[]>> lists = new ArrayList<>();
        for (int t = 0; t < types; t++) {
            lists.add(new ArrayList<>());
        }
        for (int j : positives) {
            if (j == i) {
                continue;
            }
            boolean any = false;
            for (int t = 1; t < types; t++) {
                int[] mi = attrs[t - 1][i];
                for (int v : attrs[t - 1][j]) {
                    for (int x : mi) {
                        if (x == v) {
                            lists.get(t).add(new int[] {j, v});
                            any = true;
                        }
                    }
                }
            }
            if (!any) {
                lists.get(0).add(new int[] {j, -1});
            }
        }
        // type attention
        double[] logit = new double[types];
        for (int t = 0; t < types; t++) {
            for (int c = 0; c < a; c++) {
                double z = get("bt")[c][0];
                for (int k = 0; k < h; k++) {
                    z += e[k] * get("R")[t][k] * get("Wt")[k][c];
                }
                logit[t] += get("wt")[c][0] * gelu(z);
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double x : logit) {
            max = Math.max(max, x);
        }
        double zs = 0;
        double[] beta = new double[types];
        for (int t = 0; t < types; t++) {
            beta[t] = Math.exp(logit[t] - max);
            zs += beta[t];
        }
        double[] mu = e.clone();
        for (int t = 0; t < types; t++) {
            beta[t] /= zs;
            List<int[]> l = lists.get(t);
            double[] s = new double[l.size()];
            double den = 0;
            for (int k = 0; k < l.size(); k++) {
                int j = l.get(k)[0];
                for (int c = 0; c < a; c++) {
                    double z = 0;
                    for (int x = 0; x < h; x++) {
                        z +=
                                q[i][x] * get("W" + t + "i")[x][c]
                                        + q[j][x] * get("W" + t + "j")[x][c];
                        if (t > 0) {
                            z += get("V" + t)[l.get(k)[1]][x] * get("W" + t + "e")[x][c];
                        }
                    }
                    s[k] += get("a" + t)[c][0] * Math.tanh(z);
                }
                den += Math.exp(s[k]);
            }
            double norm = Math.pow(den + 1e-9, alpha);
            for (int k = 0; k < l.size(); k++) {
                double wk = Math.exp(s[k]) / norm;
                for (int x = 0; x < h; x++) {
                    mu[x] += beta[t] * wk * q[l.get(k)[0]][x];
                }
            }
        }
        double y = 0;
        for (int c = 0; c < sizes.mlp(); c++) {
            double z = get("c0")[c][0];
            for (int x = 0; x < h; x++) {
                z += mu[x] * q[i][x] * get("M0")[x][c];
            }
            y += gelu(z) * get("wp")[c][0];
        }
        return y;
    }

    /**
     * The relational term −log σ(score_t(h,v,tp) − score_t(h,v,tn)) of §4.4 with the trilinear
     * score Σ q_h ⊙ (R_t + V_t[v]) ⊙ q_x.
     */
    double relational(int head, int t, int v, int tailPos, int tailNeg) {
        double[][] q = get("q");
        double[] r = get("R")[t];
        double[] value = get("V" + t)[v];
        double sp = 0;
        double sn = 0;
        for (int x = 0; x < sizes.hidden(); x++) {
            double hr = q[head][x] * (r[x] + value[x]);
            sp += hr * q[tailPos][x];
            sn += hr * q[tailNeg][x];
        }
        return Math.log1p(Math.exp(sn - sp));
    }
}
