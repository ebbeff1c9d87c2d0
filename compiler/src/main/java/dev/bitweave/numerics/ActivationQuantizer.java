package dev.bitweave.numerics;

/**
 * Per-token dynamic activation quantization (docs/numerics.md, "Activation quantization").
 * q_i = clamp(round(v_i * qmax / max|v|), -qmax, qmax) with qmax = 2^(bits-1) - 1, computed with
 * one reciprocal per vector (hardware: one divider per vector, one multiplier per element).
 */
public final class ActivationQuantizer {
    private ActivationQuantizer() {
    }

    /**
     * @param v       integers whose real value is v_i * 2^unitExp
     * @param unitExp exponent of v's unit
     * @param bits    activation width (4..8)
     */
    public static QuantizedVector quantize(long[] v, int unitExp, int bits) {
        int qmax = (1 << (bits - 1)) - 1;
        long m = 0;
        for (long x : v) m = Math.max(m, Math.abs(x));
        int[] q = new int[v.length];
        if (m == 0) return new QuantizedVector(q, Scale.ZERO);
        Scale toCodes = Scale.of(qmax, 0).times(Scale.of(m, 0).reciprocal());
        for (int i = 0; i < v.length; i++) {
            q[i] = (int) Fixed.clamp(toCodes.apply(v[i], 0), -qmax, qmax);
        }
        Scale step = Scale.of(m, unitExp).times(Scale.of(qmax, 0).reciprocal());
        return new QuantizedVector(q, step);
    }

    /** Convenience for fx vectors (Q15.16 int32). */
    public static QuantizedVector quantizeFx(int[] v, int bits) {
        long[] w = new long[v.length];
        for (int i = 0; i < v.length; i++) w[i] = v[i];
        return quantize(w, -Fixed.FX, bits);
    }
}
