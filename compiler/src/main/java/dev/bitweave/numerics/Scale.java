package dev.bitweave.numerics;

/**
 * A per-vector scalar (an activation step size, an inverse RMS) as a tiny integer float:
 * value = mant * 2^exp with mant normalised to [2^30, 2^31) (or 0). Elements stay integers; only
 * these few scalars per vector need the range a fixed format cannot give. Hardware needs one
 * 31x31-bit multiplier, a leading-zero count and a shifter for them.
 */
public record Scale(long mant, int exp) {
    public static final int MANT_BITS = 31;
    public static final Scale ZERO = new Scale(0, 0);

    public Scale {
        if (mant != 0 && (mant < (1L << (MANT_BITS - 1)) || mant >= (1L << MANT_BITS))) {
            throw new IllegalArgumentException("unnormalised mantissa " + mant);
        }
    }

    /** v * 2^e rounded (half up) to a 31-bit mantissa; v >= 0. */
    public static Scale of(long v, int e) {
        if (v < 0) throw new IllegalArgumentException("negative scale");
        if (v == 0) return ZERO;
        int n = Fixed.bitLength(v);
        if (n > MANT_BITS) {
            int k = n - MANT_BITS;
            long m = Fixed.shiftRound(v, k);
            if (m == 1L << MANT_BITS) { // rounding carried into a new bit
                m >>= 1;
                k++;
            }
            return new Scale(m, e + k);
        }
        return new Scale(v << (MANT_BITS - n), e - (MANT_BITS - n));
    }

    public Scale times(Scale o) {
        if (mant == 0 || o.mant == 0) return ZERO;
        return of(mant * o.mant, exp + o.exp); // < 2^62, exact before rounding
    }

    public Scale timesPow2(int k) {
        return mant == 0 ? ZERO : new Scale(mant, exp + k);
    }

    /** 1 / this, as floor(2^62 / mant) renormalised. */
    public Scale reciprocal() {
        if (mant == 0) throw new ArithmeticException("reciprocal of zero scale");
        return of(Long.divideUnsigned(1L << 62, mant), -62 - exp);
    }

    /**
     * 1 / sqrt(v * 2^e) for v > 0: v is shifted (rounding if it must shift right) so that it has 61
     * or 62 bits and the remaining exponent is even, its integer square root (31 bits) is taken,
     * and the reciprocal formed as above.
     */
    public static Scale invSqrt(long v, int e) {
        if (v <= 0) throw new ArithmeticException("invSqrt of non-positive");
        int s = 62 - Fixed.bitLength(v);
        if (((e - s) & 1) != 0) s -= 1;
        long t = s >= 0 ? v << s : Fixed.shiftRound(v, -s);
        long r = Fixed.isqrt(t); // sqrt(v * 2^e) = r * 2^((e - s) / 2)
        return of(r, (e - s) / 2).reciprocal();
    }

    /** round(v * this * 2^outFrac), half up, exact: how a scale is applied to an integer. */
    public long apply(long v, int outFrac) {
        if (mant == 0) return 0;
        int s = -(exp + outFrac);
        if (s < 0) {
            long p = Math.multiplyExact(v, mant);
            if (-s >= 63 || (Math.abs(p) >> (62 + s)) != 0) {
                throw new ArithmeticException("scaled value overflows");
            }
            return p << -s;
        }
        if (s > 126) return 0;
        return Fixed.mulShiftRound(v, mant, s);
    }

    public double toDouble() {
        return mant * Math.pow(2, exp);
    }

    @Override
    public String toString() {
        return mant + "*2^" + exp + " (" + toDouble() + ")";
    }
}
