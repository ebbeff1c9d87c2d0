package dev.bitweave.numerics;

/**
 * exp(d) for d <= 0 (fx in, Q0.16 out) as 2^(d * log2 e): the integer part of the exponent is a
 * right shift, the fractional part indexes a 1024-entry table of 2^(-i/1024) (docs/numerics.md,
 * "Exponential"). The table is generated with StrictMath, so every JVM builds the same bits, and
 * the hardware gets the same table from the compiler.
 */
public final class IntExp {
    private IntExp() {
    }

    /** round(log2(e) * 2^30) */
    public static final long LOG2E_Q30 = 1549082005L;
    public static final int TABLE_BITS = 10;
    private static final int[] TABLE = buildTable();

    private static int[] buildTable() {
        int[] t = new int[1 << TABLE_BITS];
        for (int i = 0; i < t.length; i++) {
            t[i] = (int) Math.round(StrictMath.pow(2.0, -(double) i / t.length) * Fixed.FX_ONE);
        }
        return t;
    }

    /** The 2^(-i/1024) table in Q0.16 (a copy), for backends that build ROMs from it. */
    public static int[] table() {
        return TABLE.clone();
    }

    /** exp(d / 2^16) * 2^16 for d <= 0. */
    public static int expFx(long d) {
        if (d > 0) throw new IllegalArgumentException("expFx needs d <= 0");
        long u = Fixed.mulShiftRound(-d, LOG2E_Q30, 30); // -d * log2(e), fx
        long k = u >> Fixed.FX;
        if (k > Fixed.FX) return 0;
        int f = (int) (u & (Fixed.FX_ONE - 1));
        return (int) Fixed.shiftRound(TABLE[f >> (Fixed.FX - TABLE_BITS)], (int) k);
    }
}
