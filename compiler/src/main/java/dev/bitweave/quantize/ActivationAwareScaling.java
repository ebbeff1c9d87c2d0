package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.WeightSpec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Activation-aware salient-weight protection by per-channel scaling (AWQ style, docs/quantization.md):
 * input channel j of a linear layer is multiplied by s_j = m_j^alpha before rounding (m_j the mean
 * |x_j| on calibration data), and the input is divided by s_j in the op before it, where that costs
 * nothing: the RMSNORM gains (q/k/v, gate/up), the v rows (the attention output is linear in v,
 * so it feeds wo divided by s), the up rows (SwiGLU's output is linear in up, so it feeds down
 * divided by s). In exact arithmetic the model is unchanged; after rounding, the channels that
 * carry large activations lose less. alpha is chosen per scaling group from a grid by the smallest
 * output error of the rounded layers on the calibration inputs; alpha = 0 is plain RTN, so the
 * chosen scaling never measures worse than RTN on that data. Then, per layer, the group ranges
 * are clipped to the ratio (1, 0.95, .., 0.5) with the smallest output error (AWQ's clipping
 * search, per tensor here): ratio 1 is no clipping, so that step cannot measure worse either.
 * The classifier gets the clipping search only: no op before it can take a scaling when it is
 * tied to the embedding, whose rows feed the residual stream directly.
 */
public final class ActivationAwareScaling {
    static final int GRID = 10;
    static final double[] CLIPS = {1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5};
    /** Calibration rows used for the output error (all of them for small models). */
    static final int ERROR_ROWS = 256;

    /** One scaling: the consumers' columns times s, the fold divides by s. */
    public record Group(String input, List<String> consumers, String foldInto, boolean foldRows, double alpha, double[] s,
                        double errorRtn, double errorScaled, double[] clips, double errorClipped) {
    }

    /** The scalings of a model, and how they change its tensors. */
    public record Scales(List<Group> groups, Map<String, double[]> columns, Map<String, double[]> rowDivisors,
                         Map<String, double[]> gainDivisors, Map<String, Double> clips) {

        public double clip(String tensor) {
            return clips.getOrDefault(tensor, 1.0);
        }

        public float[] matrix(String tensor, float[] w, int rows, int cols) {
            double[] cs = columns.get(tensor);
            double[] rd = rowDivisors.get(tensor);
            if (cs == null && rd == null) return w;
            float[] out = new float[w.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = w[r * cols + c];
                    if (cs != null) v *= cs[c];
                    if (rd != null) v /= rd[r];
                    out[r * cols + c] = (float) v;
                }
            }
            return out;
        }

        public float[] gains(String norm, float[] g) {
            double[] d = gainDivisors.get(norm);
            if (d == null) return g;
            float[] out = new float[g.length];
            for (int j = 0; j < g.length; j++) out[j] = (float) (g[j] / d[j]);
            return out;
        }
    }

    private ActivationAwareScaling() {
    }

    public static Scales fit(Checkpoint ckpt, java.util.function.Function<String, LayerSpec> specFor, Calibration cal)
            throws IOException {
        ModelConfig c = ckpt.config();
        List<Group> groups = new ArrayList<>();
        Map<String, double[]> columns = new HashMap<>();
        Map<String, double[]> rows = new HashMap<>();
        Map<String, double[]> gains = new HashMap<>();
        Map<String, Double> clips = new HashMap<>();
        for (int l = 0; l < c.layers(); l++) {
            Group attnIn = search(ckpt, specFor, cal, TensorName.attnQ(l), cal.meanAbs(TensorName.attnQ(l)),
                    List.of(TensorName.attnQ(l), TensorName.attnK(l), TensorName.attnV(l)), TensorName.attnNorm(l), false);
            Group attnOut = search(ckpt, specFor, cal, TensorName.attnOut(l), sharedByKvHeads(c, cal.meanAbs(TensorName.attnOut(l))),
                    List.of(TensorName.attnOut(l)), TensorName.attnV(l), true);
            Group ffnIn = search(ckpt, specFor, cal, TensorName.ffnGate(l), cal.meanAbs(TensorName.ffnGate(l)),
                    List.of(TensorName.ffnGate(l), TensorName.ffnUp(l)), TensorName.ffnNorm(l), false);
            Group ffnDown = search(ckpt, specFor, cal, TensorName.ffnDown(l), cal.meanAbs(TensorName.ffnDown(l)),
                    List.of(TensorName.ffnDown(l)), TensorName.ffnUp(l), true);
            for (Group g : List.of(attnIn, attnOut, ffnIn, ffnDown)) {
                groups.add(g);
                for (int k = 0; k < g.consumers().size(); k++) {
                    columns.put(g.consumers().get(k), g.s());
                    clips.put(g.consumers().get(k), g.clips()[k]);
                }
            }
            gains.put(TensorName.attnNorm(l), attnIn.s());
            gains.put(TensorName.ffnNorm(l), ffnIn.s());
            rows.put(TensorName.attnV(l), kvRows(c, attnOut.s()));
            rows.put(TensorName.ffnUp(l), ffnDown.s());
        }
        String classifier = c.tiedClassifier() ? TensorName.TOKEN_EMBD : TensorName.OUTPUT;
        if (cal.inputs().containsKey(classifier)) {
            float[] w = ckpt.readFiniteFloat(classifier);
            float[][] x = cal.inputs().get(classifier);
            double[] ones = ones(c.dim());
            WeightSpec spec = specFor.apply(classifier).forColumns(c.dim());
            int use = Math.min(ERROR_ROWS / 4, x.length);   // the widest layer: a quarter of the rows suffices
            double best = Double.POSITIVE_INFINITY;
            double rtn = 0;
            double clip = 1;
            for (double r : CLIPS) {
                double err = outputError(spec, classifier, w, c.vocabSize(), c.dim(), ones, x, use, r);
                if (r == 1.0) rtn = err;
                if (err < best) {
                    best = err;
                    clip = r;
                }
            }
            clips.put(classifier, clip);
            groups.add(new Group(classifier, List.of(classifier), "", false, 0, ones, rtn, rtn, new double[]{clip}, best));
        }
        return new Scales(List.copyOf(groups), Map.copyOf(columns), Map.copyOf(rows), Map.copyOf(gains), Map.copyOf(clips));
    }

    /**
     * wo's input channel h * headSize + d comes from v channel (h / kvMul) * headSize + d, so the
     * heads sharing a KV head must share s: their mean |x| is averaged.
     */
    static double[] sharedByKvHeads(ModelConfig c, double[] m) {
        int hs = c.headSize();
        int kvMul = c.heads() / c.kvHeads();
        double[] out = new double[m.length];
        for (int kv = 0; kv < c.kvHeads(); kv++) {
            for (int d = 0; d < hs; d++) {
                double sum = 0;
                for (int k = 0; k < kvMul; k++) sum += m[(kv * kvMul + k) * hs + d];
                for (int k = 0; k < kvMul; k++) out[(kv * kvMul + k) * hs + d] = sum / kvMul;
            }
        }
        return out;
    }

    /** The v rows' divisors: v channel kv * headSize + d carries s of wo's column (kv * kvMul) * headSize + d. */
    static double[] kvRows(ModelConfig c, double[] s) {
        int hs = c.headSize();
        int kvMul = c.heads() / c.kvHeads();
        double[] out = new double[c.kvDim()];
        for (int kv = 0; kv < c.kvHeads(); kv++) {
            for (int d = 0; d < hs; d++) out[kv * hs + d] = s[kv * kvMul * hs + d];
        }
        return out;
    }

    private static Group search(Checkpoint ckpt, java.util.function.Function<String, LayerSpec> specFor, Calibration cal, String input, double[] m,
                                List<String> consumers, String foldInto, boolean foldRows) throws IOException {
        float[][] x = cal.inputs().get(input);
        int n = m.length;
        int use = Math.min(ERROR_ROWS, x.length);
        List<float[]> weights = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (String t : consumers) {
            float[] w = ckpt.readFiniteFloat(t);
            weights.add(w);
            shapes.add(new int[]{w.length / n, n});
        }
        double mMax = 0;
        for (double v : m) mMax = Math.max(mMax, v);
        double floor = mMax > 0 ? mMax * 1e-6 : 1;
        double bestErr = Double.POSITIVE_INFINITY;
        double rtnErr = 0;
        double bestAlpha = 0;
        double[] bestS = ones(n);
        for (int a = 0; a <= GRID; a++) {
            double alpha = a / (double) GRID;
            double[] s = scales(m, alpha, floor);
            double err = 0;
            for (int k = 0; k < consumers.size(); k++) {
                err += outputError(specFor.apply(consumers.get(k)).forColumns(n), consumers.get(k), weights.get(k),
                        shapes.get(k)[0], n, s, x, use, 1.0);
            }
            if (a == 0) rtnErr = err;
            if (err < bestErr) {
                bestErr = err;
                bestAlpha = alpha;
                bestS = s;
            }
        }
        double[] clips = new double[consumers.size()];
        double clipped = 0;
        for (int k = 0; k < consumers.size(); k++) {
            double best = Double.POSITIVE_INFINITY;
            for (double clip : CLIPS) {
                double err = outputError(specFor.apply(consumers.get(k)).forColumns(n), consumers.get(k), weights.get(k),
                        shapes.get(k)[0], n, bestS, x, use, clip);
                if (err < best) {
                    best = err;
                    clips[k] = clip;
                }
            }
            clipped += best;
        }
        return new Group(input, List.copyOf(consumers), foldInto, foldRows, bestAlpha, bestS, rtnErr, bestErr, clips, clipped);
    }

    /** s = max(m, floor)^alpha, normalized so that max(s) * min(s) = 1. */
    static double[] scales(double[] m, double alpha, double floor) {
        double[] s = new double[m.length];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int j = 0; j < m.length; j++) {
            s[j] = Math.pow(Math.max(m[j], floor), alpha);
            lo = Math.min(lo, s[j]);
            hi = Math.max(hi, s[j]);
        }
        double norm = Math.sqrt(lo * hi);
        for (int j = 0; j < s.length; j++) s[j] /= norm;
        return s;
    }

    private static double[] ones(int n) {
        double[] s = new double[n];
        java.util.Arrays.fill(s, 1);
        return s;
    }

    /** Sum over calibration rows of |(deq(Q(W diag(s))) diag(1/s) - W) x|^2. */
    static double outputError(WeightSpec spec, String name, float[] w, int rows, int cols, double[] s, float[][] x, int use,
                              double clip) {
        float[] scaled = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) scaled[r * cols + c] = (float) (w[r * cols + c] * s[c]);
        }
        QuantTensor q = new RoundToNearest(spec).quantize(name, scaled, rows, cols, clip);
        double[] delta = q.dequantize();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) delta[r * cols + c] = delta[r * cols + c] / s[c] - w[r * cols + c];
        }
        double err = 0;
        for (int i = 0; i < use; i++) {
            float[] xi = x[i];
            for (int r = 0; r < rows; r++) {
                double y = 0;
                int base = r * cols;
                for (int c = 0; c < cols; c++) y += delta[base + c] * xi[c];
                err += y * y;
            }
        }
        return err;
    }
}
