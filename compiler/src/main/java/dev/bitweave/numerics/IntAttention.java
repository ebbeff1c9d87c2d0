package dev.bitweave.numerics;

/**
 * Grouped-query attention of one query head over an integer KV cache (docs/numerics.md,
 * "Attention"): scores = q . k_code * step_k / sqrt(headSize) in fx, integer softmax, then the
 * probabilities weight the value codes through each position's value step.
 */
public final class IntAttention {
    private final int headSize;
    private final Scale invSqrtHead;

    public IntAttention(int headSize) {
        this.headSize = headSize;
        this.invSqrtHead = Scale.invSqrt(headSize, 0);
    }

    /**
     * @param q       fx query vector of all heads (after RoPE)
     * @param head    query head index
     * @param kvHead  the KV head it reads
     * @param pos     current position (attends to 0..pos)
     * @param out     fx output of all heads; this head's slice is written
     */
    public void attend(int[] q, int head, int kvHead, int pos, KvCache cache, int[] out) {
        int qo = head * headSize;
        int[] scores = new int[pos + 1];
        for (int t = 0; t <= pos; t++) {
            int[] k = cache.keyCodes(t, kvHead);
            long dot = 0;
            for (int i = 0; i < headSize; i++) dot += (long) q[qo + i] * k[i];
            scores[t] = Fixed.sat32(cache.keyStep(t, kvHead).times(invSqrtHead).apply(dot, 0));
        }
        int[] p = IntSoftmax.apply(scores, pos + 1);
        long[] acc = new long[headSize];
        for (int t = 0; t <= pos; t++) {
            long w = cache.valueStep(t, kvHead).apply(p[t], 0); // fx of p_t * step_v
            int[] v = cache.valueCodes(t, kvHead);
            for (int i = 0; i < headSize; i++) acc[i] += w * v[i];
        }
        for (int i = 0; i < headSize; i++) out[qo + i] = Fixed.sat32(acc[i]);
    }
}
