package dev.bitweave.importer;

/**
 * IEEE 754 binary16 ("half") conversions. Java 17 has no Float.float16ToFloat, and GGUF stores
 * F16 tensors and the Q8_0 / Q4_0 block scales as halves.
 */
public final class Fp16 {
    private Fp16() {
    }

    /** Exact: every half is representable as a float. */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            // Subnormal or zero: mant * 2^-24, exact in float.
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
    }

    /** Round to nearest, ties to even; overflow gives infinity, NaN stays NaN. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            // Subnormal half: shift the implicit-one mantissa right, rounding to nearest even.
            int m = mant | 0x800000;
            int shift = 14 - e;
            int q = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (q & 1) != 0)) q++;
            return (short) (sign | q);
        }
        int q = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        // A carry out of the mantissa correctly bumps the exponent, up to infinity.
        if (rem > 0x1000 || (rem == 0x1000 && (q & 1) != 0)) q++;
        return (short) (sign | q);
    }
}
