package dev.bitweave.model;

/**
 * Shape and hyper-parameters of a Llama-family decoder.
 *
 * @param dim            residual stream width
 * @param hiddenDim      FFN inner width
 * @param layers         number of transformer blocks
 * @param heads          query heads
 * @param kvHeads        key/value heads (grouped-query attention when fewer than heads)
 * @param vocabSize      vocabulary size
 * @param seqLen         maximum context length
 * @param ropeTheta      RoPE base frequency
 * @param normEps        RMSNorm epsilon
 * @param tiedClassifier true when the classifier reuses the token embedding table
 */
public record ModelConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize,
                          int seqLen, double ropeTheta, double normEps, boolean tiedClassifier) {

    public int headSize() {
        return dim / heads;
    }

    public int kvDim() {
        return headSize() * kvHeads;
    }

    /** Problems with the shape itself, or an empty string; callers prefix where it came from. */
    public String problems() {
        StringBuilder p = new StringBuilder();
        if (dim <= 0) p.append("dim must be positive; ");
        if (hiddenDim <= 0) p.append("hidden_dim must be positive; ");
        if (layers <= 0) p.append("n_layers must be positive; ");
        if (heads <= 0) p.append("n_heads must be positive; ");
        if (kvHeads <= 0) p.append("n_kv_heads must be positive; ");
        if (vocabSize <= 0) p.append("vocab_size must be positive; ");
        if (seqLen <= 0) p.append("seq_len must be positive; ");
        if (heads > 0 && dim % heads != 0) p.append("dim ").append(dim).append(" is not a multiple of n_heads ").append(heads).append("; ");
        if (heads > 0 && kvHeads > 0 && heads % kvHeads != 0) p.append("n_heads ").append(heads).append(" is not a multiple of n_kv_heads ").append(kvHeads).append("; ");
        if (heads > 0 && dim % heads == 0 && (dim / heads) % 2 != 0) p.append("head size ").append(dim / heads).append(" must be even for RoPE; ");
        if (!(ropeTheta > 0)) p.append("rope theta must be positive; ");
        if (!(normEps > 0)) p.append("norm epsilon must be positive; ");
        return p.toString();
    }
}
