package dev.bitweave.numerics;

/**
 * Rotary position embedding with fixed-point tables (docs/numerics.md, "RoPE"): for position p and
 * pair j of a head, cos and sin of p * theta^(-2j/headSize) in Q1.30, computed once with StrictMath
 * so every JVM (and the weight image the compiler writes) holds the same bits.
 */
public final class RopeTable {
    public static final int FRAC = 30;
    private final int pairs;
    private final int[] cos;
    private final int[] sin;

    public RopeTable(int headSize, int seqLen, double theta) {
        this.pairs = headSize / 2;
        this.cos = new int[seqLen * pairs];
        this.sin = new int[seqLen * pairs];
        for (int p = 0; p < seqLen; p++) {
            for (int j = 0; j < pairs; j++) {
                double freq = StrictMath.pow(theta, -(2.0 * j) / headSize);
                double angle = p * freq;
                cos[p * pairs + j] = (int) Math.round(StrictMath.cos(angle) * (1 << FRAC));
                sin[p * pairs + j] = (int) Math.round(StrictMath.sin(angle) * (1 << FRAC));
            }
        }
    }

    public int cos(int pos, int pair) {
        return cos[pos * pairs + pair];
    }

    public int sin(int pos, int pair) {
        return sin[pos * pairs + pair];
    }

    /** Rotates every head of an fx vector in place (x has a multiple of headSize elements). */
    public void rotate(int[] x, int pos) {
        int headSize = pairs * 2;
        for (int i = 0; i < x.length; i += 2) {
            int j = (i % headSize) / 2;
            long c = cos(pos, j);
            long s = sin(pos, j);
            long x0 = x[i];
            long x1 = x[i + 1];
            x[i] = Fixed.sat32(Fixed.shiftRound(x0 * c - x1 * s, FRAC));
            x[i + 1] = Fixed.sat32(Fixed.shiftRound(x0 * s + x1 * c, FRAC));
        }
    }
}
