package dev.bitweave.numerics;

/**
 * The width an activation vector is quantized to (docs/numerics.md, "Token-adaptive activation
 * precision"). Fixed, or per vector: {@code lowBits} when the vector's peak-to-mean ratio
 * P = max|x| * n / sum|x| is at most {@code peakToMeanQ8} / 256, else {@code bits}. A vector without
 * outliers (small P) loses little at 4 bits; one with an outlier channel would see its other
 * channels rounded to a few codes. The test is integer-only, so the board decides exactly as this
 * class does: {@code 256 * max|x| * n <= peakToMeanQ8 * sum|x|}, both sides below 2^63.
 *
 * @param bits         width when the test fails, or always when not adaptive
 * @param lowBits      0 (fixed width) or the low width, 2 .. bits - 1
 * @param peakToMeanQ8 the largest P (in units of 1/256) that still takes lowBits; 0 .. 65535
 */
public record ActivationPrecision(int bits, int lowBits, int peakToMeanQ8) {
    /** Longest vector the test is proven not to overflow for (n < 2^16, |x| <= 2^31). */
    public static final int MAX_N = (1 << 16) - 1;

    public ActivationPrecision {
        if (bits < 2 || bits > 8) throw new IllegalArgumentException("activation bits " + bits);
        if (lowBits != 0 && (lowBits < 2 || lowBits >= bits)) throw new IllegalArgumentException("low activation bits " + lowBits);
        if (peakToMeanQ8 < 0 || peakToMeanQ8 > 0xFFFF) throw new IllegalArgumentException("peak-to-mean threshold " + peakToMeanQ8);
    }

    public static ActivationPrecision fixed(int bits) {
        return new ActivationPrecision(bits, 0, 0);
    }

    public boolean adaptive() {
        return lowBits != 0;
    }

    /** The width this vector is quantized to. */
    public int bitsFor(int[] x) {
        if (!adaptive()) return bits;
        if (x.length > MAX_N) throw new IllegalArgumentException("vector of " + x.length + " > " + MAX_N);
        Magnitude m = Magnitude.of(x);
        return 256 * m.max() * x.length <= peakToMeanQ8 * m.sum() ? lowBits : bits;
    }

    /** max|x_i| and sum |x_i|, each |x_i| taken in 64 bits (|-2^31| = 2^31). */
    private record Magnitude(long max, long sum) {
        static Magnitude of(int[] x) {
            long max = 0;
            long sum = 0;
            for (int v : x) {
                long a = Math.abs((long) v);
                max = Math.max(max, a);
                sum += a;
            }
            return new Magnitude(max, sum);
        }
    }

    /** 256 * P, rounded up: the smallest peakToMeanQ8 for which x takes lowBits (saturated at 65535). */
    public static int scoreQ8(int[] x) {
        Magnitude m = Magnitude.of(x);
        if (m.sum() == 0) return 0;
        long num = 256 * m.max() * x.length;
        return (int) Math.min(0xFFFF, (num + m.sum() - 1) / m.sum());
    }
}
