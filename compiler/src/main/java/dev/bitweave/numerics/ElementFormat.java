package dev.bitweave.numerics;

import java.util.Arrays;
import java.util.Locale;

/**
 * How one weight code of a few bits turns into an integer the MAC array multiplies. Integer
 * formats are two's complement (symmetric) or unsigned with a zero point (asymmetric). The
 * small floats (OCP FP8 E4M3, FP8 E5M2, FP4 E2M1) become exact integers in units of their
 * smallest subnormal, so that the array stays an integer array: the unit 2^unitExp is folded
 * into the group exponent.
 */
public enum ElementFormat {
    INT("int", 0, 0, 0),
    FP8_E4M3("fp8-e4m3", 8, 4, 3),
    FP8_E5M2("fp8-e5m2", 8, 5, 2),
    FP4_E2M1("fp4-e2m1", 4, 2, 1);

    private final String id;
    private final int fixedBits;
    private final int expBits;
    private final int mantBits;

    ElementFormat(String id, int fixedBits, int expBits, int mantBits) {
        this.id = id;
        this.fixedBits = fixedBits;
        this.expBits = expBits;
        this.mantBits = mantBits;
    }

    public String id() {
        return id;
    }

    public boolean isFloat() {
        return this != INT;
    }

    /** Bits per element of a float format (INT takes its width from the plan). */
    public int fixedBits() {
        return fixedBits;
    }

    public static ElementFormat parse(String s) {
        for (ElementFormat f : values()) if (f.id.equals(s.toLowerCase(Locale.ROOT))) return f;
        return null;
    }

    public static String validIds() {
        return String.join(", ", Arrays.stream(values()).map(ElementFormat::id).toList());
    }

    private int bias() {
        return (1 << (expBits - 1)) - 1;
    }

    /** Exponent of the integer unit of a float code: value = intValue * 2^unitExp. */
    public int unitExp() {
        return isFloat() ? 1 - bias() - mantBits : 0;
    }

    /** True for codes that are not finite numbers (E4M3 NaN, E5M2 Inf/NaN); quantizers never emit them. */
    public boolean isSpecial(int code) {
        int e = (code >> mantBits) & ((1 << expBits) - 1);
        int m = code & ((1 << mantBits) - 1);
        return switch (this) {
            case FP8_E4M3 -> e == 15 && m == 7;
            case FP8_E5M2 -> e == 31;
            default -> false;
        };
    }

    /**
     * Integer value of every code of a float format, indexed by code (special codes map to 0).
     * value(code) = (-1)^s * (e == 0 ? m : (2^mantBits + m) << (e - 1)).
     */
    public long[] floatCodeValues() {
        int n = 1 << fixedBits;
        long[] v = new long[n];
        for (int c = 0; c < n; c++) {
            if (isSpecial(c)) continue;
            int s = (c >> (fixedBits - 1)) & 1;
            int e = (c >> mantBits) & ((1 << expBits) - 1);
            int m = c & ((1 << mantBits) - 1);
            long mag = e == 0 ? m : ((long) ((1 << mantBits) + m)) << (e - 1);
            v[c] = s == 1 ? -mag : mag;
        }
        return v;
    }

    /** Largest finite integer value of a float format. */
    public long floatMaxValue() {
        long max = 0;
        for (long x : floatCodeValues()) max = Math.max(max, x);
        return max;
    }
}
