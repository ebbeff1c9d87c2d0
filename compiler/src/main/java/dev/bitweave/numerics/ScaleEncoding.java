package dev.bitweave.numerics;

import java.util.Arrays;

/**
 * How a group's scale M_g * 2^E_g is stored. The arithmetic is the same for all three (see
 * docs/numerics.md); the encodings only differ in what varies per group and so in bits streamed.
 */
public enum ScaleEncoding {
    /** Per-group unsigned multiplier M_g of scaleBits bits, one exponent for the whole tensor. */
    MUL_SHIFT("mul-shift"),
    /** Per-group power-of-two exponent E_g (int8), M_g = 1: the group rescale is a shift. */
    POW2("pow2"),
    /** Per-group multiplier and exponent: exact images of fp16 block scales (GGUF Q8_0/Q4_0). */
    MUL_EXP("mul-exp");

    private final String id;

    ScaleEncoding(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean perGroupMultiplier() {
        return this != POW2;
    }

    public boolean perGroupExponent() {
        return this != MUL_SHIFT;
    }

    public static ScaleEncoding parse(String s) {
        for (ScaleEncoding e : values()) if (e.id.equals(s)) return e;
        return null;
    }

    public static String validIds() {
        return String.join(", ", Arrays.stream(values()).map(ScaleEncoding::id).toList());
    }
}
