package dev.bitweave.numerics;

/**
 * Integer KV cache of one layer: per position and KV head, the head's key (after RoPE) and value
 * quantized like any activation vector: kvBits-bit codes plus one step (docs/numerics.md,
 * "Attention").
 */
public final class KvCache {
    private final int kvHeads;
    private final int headSize;
    private final int bits;
    private final int[][] keyCodes;
    private final Scale[] keySteps;
    private final int[][] valueCodes;
    private final Scale[] valueSteps;

    public KvCache(int seqLen, int kvHeads, int headSize, int bits) {
        this.kvHeads = kvHeads;
        this.headSize = headSize;
        this.bits = bits;
        this.keyCodes = new int[seqLen * kvHeads][];
        this.keySteps = new Scale[seqLen * kvHeads];
        this.valueCodes = new int[seqLen * kvHeads][];
        this.valueSteps = new Scale[seqLen * kvHeads];
    }

    /** Stores the fx key and value vectors (kvHeads * headSize each) of a position. */
    public void store(int pos, int[] k, int[] v) {
        for (int h = 0; h < kvHeads; h++) {
            int slot = pos * kvHeads + h;
            QuantizedVector qk = ActivationQuantizer.quantizeFx(slice(k, h), bits);
            QuantizedVector qv = ActivationQuantizer.quantizeFx(slice(v, h), bits);
            keyCodes[slot] = qk.codes();
            keySteps[slot] = qk.step();
            valueCodes[slot] = qv.codes();
            valueSteps[slot] = qv.step();
        }
    }

    private int[] slice(int[] x, int head) {
        int[] s = new int[headSize];
        System.arraycopy(x, head * headSize, s, 0, headSize);
        return s;
    }

    public int[] keyCodes(int pos, int head) { return keyCodes[pos * kvHeads + head]; }
    public Scale keyStep(int pos, int head) { return keySteps[pos * kvHeads + head]; }
    public int[] valueCodes(int pos, int head) { return valueCodes[pos * kvHeads + head]; }
    public Scale valueStep(int pos, int head) { return valueSteps[pos * kvHeads + head]; }
}
