package dev.bitweave.quantize;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs the float model feeds its linear layers on calibration tokens: the model's own
 * sampled continuations of BOS (temperature 1, a fixed seed), so no dataset is needed and the
 * activations are the ones the model produces on text like its training data.
 *
 * @param inputs per consuming tensor (attn_q for q/k/v, attn_output, ffn_gate for gate/up,
 *               ffn_down): one row per calibration position
 */
public record Calibration(Map<String, float[][]> inputs, int positions) {

    /** Sequences of at most 128 positions from BOS until {@code positions} are collected. */
    public static Calibration sample(FloatTransformer model, int positions, long seed) {
        List<int[]> sequences = sequences(model, positions, seed);
        Map<String, List<float[]>> rows = new HashMap<>();
        model.tap((tensor, x, n) -> {
            float[] copy = new float[n];
            System.arraycopy(x, 0, copy, 0, n);
            rows.computeIfAbsent(tensor, k -> new ArrayList<>()).add(copy);
        });
        try {
            for (int[] s : sequences) for (int pos = 0; pos < s.length; pos++) model.forward(s[pos], pos);
        } finally {
            model.tap(FloatTransformer.LinearInputs.NONE);
        }
        Map<String, float[][]> out = new HashMap<>();
        rows.forEach((k, v) -> out.put(k, v.toArray(new float[0][])));
        return new Calibration(Map.copyOf(out), positions);
    }

    /**
     * The model's own text: the input token of every position, each sequence starting at BOS,
     * {@code positions} in all. Another quantizer stage replays them through the integer model.
     */
    public static List<int[]> sequences(FloatTransformer model, int positions, long seed) {
        ModelConfig c = model.config();
        Sampler sampler = new Sampler(c.vocabSize(), 1.0f, 1.0f, seed);
        int sequence = Math.min(128, c.seqLen());
        List<int[]> out = new ArrayList<>();
        int done = 0;
        while (done < positions) {
            int token = Tokenizer.BOS;
            List<Integer> inputs = new ArrayList<>();
            for (int pos = 0; pos < sequence && done < positions; pos++, done++) {
                inputs.add(token);
                token = sampler.sample(model.forward(token, pos).clone());
                if (token == Tokenizer.BOS) break;
            }
            out.add(inputs.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Mean |x_j| over the calibration rows of tensor's input. */
    public double[] meanAbs(String tensor) {
        float[][] x = inputs.get(tensor);
        double[] m = new double[x[0].length];
        for (float[] row : x) for (int j = 0; j < m.length; j++) m[j] += Math.abs(row[j]);
        for (int j = 0; j < m.length; j++) m[j] /= x.length;
        return m;
    }
}
