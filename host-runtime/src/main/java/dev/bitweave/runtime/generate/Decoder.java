package dev.bitweave.runtime.generate;

/**
 * One decode step of a causal language model: feed the token at a position, get the logits of
 * the next token. Implementations keep their own KV cache and require positions to be fed in
 * order 0, 1, 2, ... (as llama2.c's forward does).
 */
public interface Decoder {
    int vocabSize();

    int seqLen();

    /** Logits for the token after {@code token} at {@code pos}; the array may be reused by the next call. */
    float[] forward(int token, int pos);
}
