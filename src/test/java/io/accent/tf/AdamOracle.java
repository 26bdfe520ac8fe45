package io.accent.tf;

import io.accent.data.Ratings;
import io.accent.ncf.NcfNetwork;
import io.accent.ncf.NcfTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A plain-Java float64 oracle of NCF training (docs/SPEC.md §2.3, §2.4), written from the spec and
 * independent of the TensorFlow graphs: a hand-written backward pass of the §2.2 forward pass, the
 * loss (1/|B|) Σ (ŷ − r)² + λ·Σ ½‖W‖² over the decayed tensors, and TF1 Adam with bias correction:
 * m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², θ ← θ − lr·√(1−β2ᵗ)/(1−β1ᵗ)·m/(√v + ε), with β1ᵗ, β2ᵗ
 * the powers before the step (then both multiplied by β). Batches follow §2.4: the first epoch in
 * row order, an incomplete tail dropped, later epochs in a given permutation.
 */
public final class AdamOracle {

    public static final double B1 = 0.9;
    public static final double B2 = 0.999;
    public static final double EPS = 1e-8;

    /**
     * Weights and moments by name (weights: {@link NcfNetwork#VARIABLES}; moments: name.adam_m/v).
     */
    final Map<String, double[]> w = new TreeMap<>();

    final Map<String, double[]> m = new TreeMap<>();
    final Map<String, double[]> v = new TreeMap<>();
    final Map<String, long[]> shapes = new TreeMap<>();
    double b1p;
    double b2p;
    final int e;

    public AdamOracle(ParameterSet start) {
        for (String n : NcfNetwork.VARIABLES) {
            NamedArray a = start.get(n);
            w.put(n, toDouble(a.data()));
            shapes.put(n, a.shape());
            m.put(
                    n,
                    start.find(n + ".adam_m")
                            .map(x -> toDouble(x.data()))
                            .orElse(new double[a.data().length]));
            v.put(
                    n,
                    start.find(n + ".adam_v")
                            .map(x -> toDouble(x.data()))
                            .orElse(new double[a.data().length]));
        }
        b1p = start.find("adam.beta1_power").map(x -> (double) x.data()[0]).orElse(B1);
        b2p = start.find("adam.beta2_power").map(x -> (double) x.data()[0]).orElse(B2);
        e = (int) shapes.get("P_mlp")[1];
    }

    /**
     * A seeded warm-start state: the trainer's initial weights plus nonzero Adam moments after t
     * steps.
     */
    public static ParameterSet warmStart(
            NcfTrainer t, int users, int items, long seed, int stepsDone) {
        SplittableRandom r = new SplittableRandom(seed);
        List<NamedArray> out = new ArrayList<>(t.initialWeights(users, items).arrays());
        List<NamedArray> moments = new ArrayList<>();
        for (NamedArray a : out) {
            float[] mm = new float[a.data().length];
            float[] vv = new float[a.data().length];
            for (int k = 0; k < mm.length; k++) {
                mm[k] = (float) (0.05 * r.nextGaussian());
                vv[k] = (float) (1e-3 + 1e-2 * r.nextDouble());
            }
            moments.add(new NamedArray(a.name() + ".adam_m", a.shape(), mm));
            moments.add(new NamedArray(a.name() + ".adam_v", a.shape(), vv));
        }
        // biases start at zero in the initialization; give them values so the test sees them move
        for (int k = 0; k < out.size(); k++) {
            NamedArray a = out.get(k);
            if (a.name().startsWith("b")) {
                float[] d = new float[a.data().length];
                for (int j = 0; j < d.length; j++) {
                    d[j] = (float) (0.1 * r.nextGaussian());
                }
                out.set(k, new NamedArray(a.name(), a.shape(), d));
            }
        }
        out.addAll(moments);
        out.add(
                new NamedArray(
                        "adam.beta1_power",
                        new long[0],
                        new float[] {(float) Math.pow(B1, stepsDone + 1)}));
        out.add(
                new NamedArray(
                        "adam.beta2_power",
                        new long[0],
                        new float[] {(float) Math.pow(B2, stepsDone + 1)}));
        return new ParameterSet(out);
    }

    /**
     * Runs {@code steps} updates over {@code rows}: first epoch in order, the tail (rows mod batch)
     * dropped, the next epochs in the orders given by {@code laterEpochs} (each a permutation of
     * rows).
     */
    public void train(
            Ratings rows,
            int batch,
            double lr,
            double lambda,
            long steps,
            List<int[]> laterEpochs) {
        int perEpoch = rows.size() / batch;
        int[] order = new int[rows.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        int epoch = 0;
        int inEpoch = 0;
        for (long s = 0; s < steps; s++) {
            if (inEpoch == perEpoch) {
                order = laterEpochs.get(epoch++);
                inEpoch = 0;
            }
            int[] b = new int[batch];
            System.arraycopy(order, inEpoch * batch, b, 0, batch);
            step(rows, b, lr, lambda);
            inEpoch++;
        }
    }

    /** One Adam step on the rows {@code batch} of {@code rows}. */
    public void step(Ratings rows, int[] batch, double lr, double lambda) {
        Map<String, double[]> g = new TreeMap<>();
        for (String n : NcfNetwork.VARIABLES) {
            double[] grad = new double[w.get(n).length];
            if (NcfNetwork.DECAYED.contains(n)) {
                double[] x = w.get(n);
                for (int k = 0; k < x.length; k++) {
                    grad[k] = lambda * x[k]; // d/dθ of λ·½‖θ‖²
                }
            }
            g.put(n, grad);
        }
        for (int row : batch) {
            backward(rows.user(row), rows.item(row), rows.rating(row), 1.0 / batch.length, g);
        }
        double lrT = lr * Math.sqrt(1 - b2p) / (1 - b1p);
        for (String n : NcfNetwork.VARIABLES) {
            double[] x = w.get(n);
            double[] mm = m.get(n);
            double[] vv = v.get(n);
            double[] gg = g.get(n);
            for (int k = 0; k < x.length; k++) {
                mm[k] = B1 * mm[k] + (1 - B1) * gg[k];
                vv[k] = B2 * vv[k] + (1 - B2) * gg[k] * gg[k];
                x[k] -= lrT * mm[k] / (Math.sqrt(vv[k]) + EPS);
            }
        }
        b1p *= B1;
        b2p *= B2;
    }

    /** Adds scale · ∂(ŷ(u,i) − r)²/∂θ to {@code g}. */
    private void backward(int u, int i, double r, double scale, Map<String, double[]> g) {
        int h1n = (int) shapes.get("b1")[0];
        int h2n = (int) shapes.get("b2")[0];
        double[] pm = w.get("P_mlp");
        double[] qm = w.get("Q_mlp");
        double[] pg = w.get("P_gmf");
        double[] qg = w.get("Q_gmf");
        double[] w1 = w.get("W1");
        double[] w2 = w.get("W2");
        double[] w3 = w.get("W3");
        double[] x = new double[2 * e];
        for (int k = 0; k < e; k++) {
            x[k] = pm[u * e + k];
            x[e + k] = qm[i * e + k];
        }
        double[] a1 = new double[h1n];
        double[] h1 = new double[h1n];
        for (int j = 0; j < h1n; j++) {
            double s = w.get("b1")[j];
            for (int k = 0; k < 2 * e; k++) {
                s += x[k] * w1[k * h1n + j];
            }
            a1[j] = s;
            h1[j] = Math.max(0, s);
        }
        double[] a2 = new double[h2n];
        double[] h2 = new double[h2n];
        for (int j = 0; j < h2n; j++) {
            double s = w.get("b2")[j];
            for (int k = 0; k < h1n; k++) {
                s += h1[k] * w2[k * h2n + j];
            }
            a2[j] = s;
            h2[j] = Math.max(0, s);
        }
        double y = w.get("b3")[0];
        for (int k = 0; k < h2n; k++) {
            y += h2[k] * w3[k];
        }
        for (int k = 0; k < e; k++) {
            y += pg[u * e + k] * qg[i * e + k] * w3[h2n + k];
        }
        double dy = scale * 2 * (y - r);
        g.get("b3")[0] += dy;
        double[] dh2 = new double[h2n];
        for (int k = 0; k < h2n; k++) {
            g.get("W3")[k] += dy * h2[k];
            dh2[k] = dy * w3[k];
        }
        for (int k = 0; k < e; k++) {
            double dg = dy * w3[h2n + k];
            g.get("W3")[h2n + k] += dy * pg[u * e + k] * qg[i * e + k];
            g.get("P_gmf")[u * e + k] += dg * qg[i * e + k];
            g.get("Q_gmf")[i * e + k] += dg * pg[u * e + k];
        }
        double[] da2 = new double[h2n];
        for (int j = 0; j < h2n; j++) {
            da2[j] = a2[j] > 0 ? dh2[j] : 0;
            g.get("b2")[j] += da2[j];
        }
        double[] da1 = new double[h1n];
        for (int k = 0; k < h1n; k++) {
            double s = 0;
            for (int j = 0; j < h2n; j++) {
                g.get("W2")[k * h2n + j] += h1[k] * da2[j];
                s += w2[k * h2n + j] * da2[j];
            }
            da1[k] = a1[k] > 0 ? s : 0;
            g.get("b1")[k] += da1[k];
        }
        for (int k = 0; k < 2 * e; k++) {
            double s = 0;
            for (int j = 0; j < h1n; j++) {
                g.get("W1")[k * h1n + j] += x[k] * da1[j];
                s += w1[k * h1n + j] * da1[j];
            }
            if (k < e) {
                g.get("P_mlp")[u * e + k] += s;
            } else {
                g.get("Q_mlp")[i * e + k - e] += s;
            }
        }
    }

    /**
     * Largest |oracle − actual| over the weights and (when {@code state} has them) the Adam
     * moments.
     */
    public double maxAbsDiff(ParameterSet state) {
        double worst = 0;
        for (String n : NcfNetwork.VARIABLES) {
            worst = Math.max(worst, diff(w.get(n), state.get(n).data()));
            if (state.find(n + ".adam_m").isPresent()) {
                worst = Math.max(worst, diff(m.get(n), state.get(n + ".adam_m").data()));
                worst = Math.max(worst, diff(v.get(n), state.get(n + ".adam_v").data()));
            }
        }
        return worst;
    }

    /**
     * Largest |oracle − start| over the weights: the size of the change the comparison must
     * resolve.
     */
    public double maxAbsChange(ParameterSet start) {
        double worst = 0;
        for (String n : NcfNetwork.VARIABLES) {
            worst = Math.max(worst, diff(w.get(n), start.get(n).data()));
        }
        return worst;
    }

    private static double diff(double[] a, float[] b) {
        double worst = 0;
        for (int k = 0; k < a.length; k++) {
            worst = Math.max(worst, Math.abs(a[k] - b[k]));
        }
        return worst;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            d[k] = a[k];
        }
        return d;
    }
}
