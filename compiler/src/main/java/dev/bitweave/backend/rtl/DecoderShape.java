package dev.bitweave.backend.rtl;

/**
 * Model-shape limits of the decoder units (docs/decoder.md), fixed when the hardware is
 * generated: any plan within them runs on the same hardware; entries beyond them are refused.
 *
 * @param maxDim      largest model dimension (and largest q/k/v width)
 * @param maxHidden   largest FFN hidden width
 * @param maxHeadSize largest head size (a power of two)
 * @param maxSeqLen   largest sequence length (KV positions)
 * @param vrfWords    vector register file size in int32 words (a power of two)
 * @param adaptiveActivations RMSNORM/QUANT choose each vector's width by its peak-to-mean ratio
 *                    (generated only when a plan asks: other builds keep the same Verilog)
 */
public record DecoderShape(int maxDim, int maxHidden, int maxHeadSize, int maxSeqLen, int vrfWords,
                           boolean adaptiveActivations) {
    public DecoderShape {
        if (Integer.bitCount(vrfWords) != 1) throw new IllegalArgumentException("vrfWords must be a power of two: " + vrfWords);
        if (Integer.bitCount(maxHeadSize) != 1) throw new IllegalArgumentException("maxHeadSize must be a power of two: " + maxHeadSize);
    }

    /**
     * Room for the decode step's vectors (pack.DecoderProgram.VrfLayout): x, q, k, v and the
     * attention output (dim each), gate, up and their product (hidden), logits (vocab), each padded
     * to 16 words.
     */
    public static DecoderShape forModel(int dim, int hidden, int headSize, int seqLen, int vocab, int bus) {
        return forModel(dim, hidden, headSize, seqLen, vocab, bus, 0);
    }

    /** @param extraWords more VRF words (the low-rank corrections' slots) */
    public static DecoderShape forModel(int dim, int hidden, int headSize, int seqLen, int vocab, int bus, int extraWords) {
        long words = 5L * dim + 3L * hidden + vocab + 144 + extraWords;
        return new DecoderShape(dim, hidden, headSize, seqLen, Integer.highestOneBit((int) Math.max(2, words - 1)) << 1, false);
    }

    public DecoderShape union(DecoderShape o) {
        return new DecoderShape(Math.max(maxDim, o.maxDim), Math.max(maxHidden, o.maxHidden), Math.max(maxHeadSize, o.maxHeadSize),
                Math.max(maxSeqLen, o.maxSeqLen), Math.max(vrfWords, o.vrfWords), adaptiveActivations || o.adaptiveActivations);
    }

    public DecoderShape withAdaptiveActivations() {
        return new DecoderShape(maxDim, maxHidden, maxHeadSize, maxSeqLen, vrfWords, true);
    }
}
