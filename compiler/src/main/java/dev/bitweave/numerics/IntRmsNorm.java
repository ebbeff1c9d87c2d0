package dev.bitweave.numerics;

/**
 * RMSNorm fused with the activation quantization that always follows it (docs/numerics.md,
 * "RMSNorm"). Because the activation step is chosen per vector, 1/rms only changes the step,
 * never the codes: codes come from x * g, and the step is multiplied by 1/sqrt(mean(x^2) + eps).
 */
public final class IntRmsNorm {
    /** Largest vector the 64-bit sum of squares is proven not to overflow for. */
    public static final int MAX_DIM = 1 << 13;

    private final int[] gain;
    private final long epsQ40;

    /**
     * @param gainFx the norm weight in fx (Q15.16)
     * @param eps    RMSNorm epsilon; used as epsQ40 = round(eps * 2^40)
     */
    public IntRmsNorm(int[] gainFx, double eps) {
        if (gainFx.length > MAX_DIM) throw new IllegalArgumentException("dim " + gainFx.length + " > " + MAX_DIM);
        this.gain = gainFx;
        this.epsQ40 = Math.round(eps * 0x1p40);
    }

    public static long epsQ40(double eps) {
        return Math.round(eps * 0x1p40);
    }

    public QuantizedVector apply(int[] x, int activationBits) {
        int n = x.length;
        long m = 0;
        for (int v : x) m = Math.max(m, Math.abs((long) v));
        if (m == 0) return new QuantizedVector(new int[n], Scale.ZERO);
        // Normalise so the largest element has 24 bits: squares then sum in 64 bits for n <= 2^13.
        int a = 24 - Fixed.bitLength(m);
        long[] xs = new long[n];
        long ss = 0;
        for (int i = 0; i < n; i++) {
            xs[i] = Fixed.shiftRound(x[i], -a);
            ss += xs[i] * xs[i];
        }
        long ms = ss / n; // mean(x^2) in units of 2^-(32 + 2a)
        int epsShift = 2 * a - 8;  // epsQ40 is in units of 2^-40
        long epsN;
        if (epsShift > 0) {
            epsN = epsShift >= 62 || epsQ40 >= (1L << (61 - epsShift)) ? 1L << 61 : epsQ40 << epsShift;
        } else {
            epsN = Fixed.shiftRound(epsQ40, -epsShift);
        }
        Scale invRms = Scale.invSqrt(ms + epsN, -(32 + 2 * a));
        long[] u = new long[n];
        for (int i = 0; i < n; i++) u[i] = xs[i] * gain[i]; // units of 2^-(32 + a)
        QuantizedVector q = ActivationQuantizer.quantize(u, -(32 + a), activationBits);
        return new QuantizedVector(q.codes(), q.step().times(invRms));
    }
}
