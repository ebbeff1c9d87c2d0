package dev.bitweave.numerics;

/**
 * The number format of one quantized weight matrix.
 *
 * @param format        element format
 * @param bits          bits per code (2..8 for INT; 8 or 4 for the floats)
 * @param symmetric     INT only: two's complement codes (true) or unsigned codes with a zero point
 * @param groupSize     elements of a row sharing one scale; the last group of a row may be shorter
 * @param scaleEncoding how a group's scale M * 2^E is stored
 * @param scaleBits     width of the per-group multiplier M (mul-shift, mul-exp)
 */
public record WeightSpec(ElementFormat format, int bits, boolean symmetric, int groupSize,
                         ScaleEncoding scaleEncoding, int scaleBits) {

    /** Largest |code value - zero| an element can contribute to a product. */
    public long maxMagnitude() {
        if (format.isFloat()) return format.floatMaxValue();
        return symmetric ? 1L << (bits - 1) : (1L << bits) - 1;
    }

    /** Integer value of each code (before subtracting a zero point), indexed by code. */
    public long[] codeValues() {
        if (format.isFloat()) return format.floatCodeValues();
        long[] v = new long[1 << bits];
        for (int c = 0; c < v.length; c++) {
            v[c] = symmetric && c >= (1 << (bits - 1)) ? c - (1L << bits) : c;
        }
        return v;
    }
}
