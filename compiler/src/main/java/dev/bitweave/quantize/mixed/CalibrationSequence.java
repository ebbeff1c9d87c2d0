package dev.bitweave.quantize.mixed;

import dev.bitweave.runtime.generate.Decoder;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;

/**
 * The tokens sensitivities are measured on, and the float model's logits at each of them: the
 * float model's own sampled continuation of BOS. Sampling (default temperature 1, fixed seed)
 * keeps it apart from eval's greedy continuation, so the benchmark does not score plans on the
 * tokens they were tuned on.
 *
 * @param tokens token fed at each position, tokens[0] = BOS
 * @param logits float logits after each position
 */
record CalibrationSequence(int[] tokens, float[][] logits) {

    static CalibrationSequence sample(Decoder floatModel, MixedPrecision.Calibration c) {
        int n = Math.min(c.positions(), floatModel.seqLen());
        Sampler sampler = new Sampler(floatModel.vocabSize(), c.temperature(), 0f, c.seed());
        int[] tokens = new int[n];
        float[][] logits = new float[n][];
        int token = Tokenizer.BOS;
        for (int pos = 0; pos < n; pos++) {
            tokens[pos] = token;
            logits[pos] = floatModel.forward(token, pos).clone();
            token = sampler.sample(logits[pos]);
        }
        return new CalibrationSequence(tokens, logits);
    }
}
