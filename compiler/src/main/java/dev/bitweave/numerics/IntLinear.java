package dev.bitweave.numerics;

/**
 * The quantized linear layer y = W x, bit-exactly as docs/numerics.md ("Linear layers") defines it:
 * per group an exact integer dot product of activation codes and weight values, rescaled by
 * M_g and aligned by 2^(E_g - E_min) into one accumulator per row, then one requantization to fx
 * by the activation step times 2^E_min.
 */
public final class IntLinear {
    private final QuantTensor w;
    private final long[] values;
    private final int minExp;

    public IntLinear(QuantTensor w, int activationBits) {
        this.w = w;
        this.values = w.spec().codeValues();
        this.minExp = w.minExp();
        int acc = w.accumulatorBits(activationBits);
        if (acc > 64) {
            throw new IllegalArgumentException(w.name() + ": accumulator needs " + acc + " bits, more than 64");
        }
    }

    public QuantTensor weights() {
        return w;
    }

    /** Output of every row in fx. */
    public int[] apply(QuantizedVector x) {
        int[] y = new int[w.rows()];
        applyRows(x, y, 0, w.rows());
        return y;
    }

    public void applyRows(QuantizedVector x, int[] y, int rowFrom, int rowTo) {
        int cols = w.cols();
        int g = w.spec().groupSize();
        int gpr = w.groupsPerRow();
        int[] a = x.codes();
        byte[] codes = w.codes();
        int[] zero = w.zero();
        Scale out = x.step().timesPow2(minExp);
        for (int r = rowFrom; r < rowTo; r++) {
            long acc = 0;
            int base = r * cols;
            for (int gi = 0; gi < gpr; gi++) {
                int c0 = gi * g;
                int c1 = Math.min(cols, c0 + g);
                int group = r * gpr + gi;
                long z = zero == null ? 0 : zero[group];
                long p = 0;
                for (int c = c0; c < c1; c++) {
                    p += a[c] * (values[codes[base + c] & 0xFF] - z);
                }
                acc += (p * (w.mult()[group] & 0xFFFFFFFFL)) << (w.exp()[group] - minExp);
            }
            y[r] = Fixed.sat32(out.apply(acc, Fixed.FX));
        }
    }

    /** Row r dequantized to fx (the embedding lookup): round((w - z) * M * 2^(E + 16)). */
    public int[] dequantizeRow(int r) {
        int cols = w.cols();
        int g = w.spec().groupSize();
        int gpr = w.groupsPerRow();
        int[] out = new int[cols];
        for (int c = 0; c < cols; c++) {
            int group = r * gpr + c / g;
            long z = w.zero() == null ? 0 : w.zero()[group];
            long v = (values[w.codes()[r * cols + c] & 0xFF] - z) * (w.mult()[group] & 0xFFFFFFFFL);
            out[c] = Fixed.sat32(Scale.of(1, w.exp()[group]).apply(v, Fixed.FX));
        }
        return out;
    }
}
