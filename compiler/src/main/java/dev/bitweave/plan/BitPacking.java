package dev.bitweave.plan;

/**
 * Codes of 2..8 bits packed back to back, least significant bit first, across byte boundaries
 * (3-bit codes straddle bytes). The whole tensor is one bit stream; rows are not padded.
 */
public final class BitPacking {
    private BitPacking() {
    }

    public static long packedBytes(long count, int bits) {
        return (count * bits + 7) / 8;
    }

    public static byte[] pack(byte[] codes, int bits) {
        byte[] out = new byte[(int) packedBytes(codes.length, bits)];
        long bit = 0;
        int mask = (1 << bits) - 1;
        for (byte c : codes) {
            int v = c & mask;
            int i = (int) (bit >>> 3);
            int o = (int) (bit & 7);
            int wide = v << o; // at most 15 bits
            out[i] |= (byte) wide;
            if (o + bits > 8) out[i + 1] |= (byte) (wide >>> 8);
            bit += bits;
        }
        return out;
    }

    public static byte[] unpack(byte[] packed, int bits, int count) {
        byte[] out = new byte[count];
        long bit = 0;
        int mask = (1 << bits) - 1;
        for (int k = 0; k < count; k++) {
            int i = (int) (bit >>> 3);
            int o = (int) (bit & 7);
            int wide = packed[i] & 0xFF;
            if (o + bits > 8) wide |= (packed[i + 1] & 0xFF) << 8;
            out[k] = (byte) ((wide >>> o) & mask);
            bit += bits;
        }
        return out;
    }
}
