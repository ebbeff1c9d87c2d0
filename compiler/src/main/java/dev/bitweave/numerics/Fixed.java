package dev.bitweave.numerics;

/**
 * The integer primitives every bit-exact operation is built from. There is exactly one rounding
 * mode in the integer path: round half up ({@code (a + 2^(s-1)) >> s}, arithmetic shift), which is
 * one adder and a shifter in hardware. Products that need more than 64 bits are formed exactly
 * in 128 bits before the shift, so nothing is lost in between.
 */
public final class Fixed {
    private Fixed() {
    }

    /** Fraction bits of the fixed-point format ("fx", Q15.16 in an int32) used for vectors between ops. */
    public static final int FX = 16;
    public static final int FX_ONE = 1 << FX;

    /** round(a / 2^s), half up; a left shift when s is negative (caller guarantees no overflow). */
    public static long shiftRound(long a, int s) {
        if (s <= 0) {
            return a << -s;
        }
        if (s >= 63) {
            return a >= 0 ? (s == 63 && a >= (1L << 62) ? 1 : 0) : (s == 63 && a < -(1L << 62) ? -1 : 0);
        }
        return (a + (1L << (s - 1))) >> s;
    }

    /** round(a * b / 2^s), half up, with the product formed exactly in 128 bits; s in [0, 126]. */
    public static long mulShiftRound(long a, long b, int s) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (s == 0) {
            if ((hi != (lo >> 63))) throw new ArithmeticException("product overflows 64 bits");
            return lo;
        }
        // add 2^(s-1) to the 128-bit value (hi:lo)
        long add = s - 1 < 64 ? 1L << (s - 1) : 0;
        long addHi = s - 1 >= 64 ? 1L << (s - 1 - 64) : 0;
        long nlo = lo + add;
        long carry = Long.compareUnsigned(nlo, lo) < 0 ? 1 : 0;
        long nhi = hi + addHi + carry;
        long r;
        if (s < 64) {
            r = (nlo >>> s) | (nhi << (64 - s));
            long top = nhi >> s; // must be the sign extension of r
            if (top != (r >> 63)) throw new ArithmeticException("shifted product overflows 64 bits");
        } else {
            r = nhi >> (s - 64);
        }
        return r;
    }

    /** Clamp to the int32 range: every vector between operations saturates rather than wraps. */
    public static int sat32(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
    }

    public static long clamp(long v, long lo, long hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    /** Number of bits needed for the magnitude of a non-negative value (0 for 0). */
    public static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /** floor(sqrt(v)) for v >= 0, by the restoring bit-by-bit method hardware uses (one bit per step). */
    public static long isqrt(long v) {
        if (v < 0) throw new ArithmeticException("isqrt of negative");
        long rem = v;
        long root = 0;
        long bit = 1L << 62;
        while (bit > rem) bit >>= 2;
        while (bit != 0) {
            if (rem >= root + bit) {
                rem -= root + bit;
                root = (root >> 1) + bit;
            } else {
                root >>= 1;
            }
            bit >>= 2;
        }
        return root;
    }
}
