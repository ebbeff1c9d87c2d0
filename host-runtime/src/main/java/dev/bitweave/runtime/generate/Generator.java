package dev.bitweave.runtime.generate;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;

import java.util.function.Consumer;

/**
 * run.c's generate loop over any decoder: feed the prompt (BOS first) position by position,
 * forcing the prompt's own tokens while inside it, then sample; stop at the step budget or
 * when BOS is sampled.
 */
public final class Generator {
    private final Decoder decoder;
    private final Tokenizer tokenizer;
    private final Sampler sampler;

    public Generator(Decoder decoder, Tokenizer tokenizer, Sampler sampler) {
        if (tokenizer.vocabSize() != decoder.vocabSize()) {
            throw new BadInputException("the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocab_size is " + decoder.vocabSize());
        }
        if (sampler.vocabSize() != decoder.vocabSize()) {
            throw new IllegalArgumentException("sampler vocabSize " + sampler.vocabSize()
                    + " differs from the model's vocab_size " + decoder.vocabSize());
        }
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.sampler = sampler;
    }

    /**
     * @param prompt   text to continue; null or empty means BOS only
     * @param steps    positions to run, at most seq_len; 0 means seq_len (run.c's -n 0)
     * @param listener receives every step that produced a piece, in order
     */
    public Generation generate(String prompt, int steps, Consumer<Step> listener) {
        int seqLen = decoder.seqLen();
        if (steps < 0) {
            throw new BadInputException("steps is " + steps + ", expected a value >= 0 (0 = seq_len " + seqLen + ")");
        }
        if (steps == 0 || steps > seqLen) {
            steps = seqLen;
        }
        int[] promptTokens = tokenizer.encode(prompt == null ? "" : prompt, true, false);
        if (promptTokens.length > seqLen) {
            throw new BadInputException("the prompt is " + promptTokens.length + " tokens (with BOS) but the model's seq_len is "
                    + seqLen);
        }
        int token = promptTokens[0];
        int pos = 0;
        while (pos < steps) {
            float[] logits = decoder.forward(token, pos);
            int next = pos < promptTokens.length - 1 ? promptTokens[pos + 1] : sampler.sample(logits);
            int fed = pos++;
            if (next == Tokenizer.BOS) {
                return new Generation(promptTokens, pos, true);
            }
            listener.accept(new Step(fed, next, tokenizer.decode(token, next)));
            token = next;
        }
        return new Generation(promptTokens, pos, false);
    }
}
