package dev.bitweave.pack;

import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The vectors the host and the hardware exchange through board memory (docs/hardware.md):
 * activation blocks that LOAD_ACT reads (a 64-byte header with the step, then int8 codes padded
 * to a whole beat) and the int32 outputs STORE_VEC writes.
 */
public final class ActivationBlock {
    /** The step's two words, then zeros: 64 bytes keep the codes beat-aligned at every supported bus. */
    public static final int HEADER_BYTES = 64;

    private ActivationBlock() {
    }

    /** Size of the block of n codes at this bus width. */
    public static int bytes(int n, int bus) {
        return HEADER_BYTES + roundUp(n, bus / 8);
    }

    public static byte[] encode(QuantizedVector x, int bus) {
        int[] codes = x.codes();
        ByteBuffer b = ByteBuffer.allocate(bytes(codes.length, bus)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, (int) x.step().mant()); // below 2^31, so the uint32 word is the plain value
        b.putInt(4, x.step().exp());
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < -128 || codes[i] > 127) {
                throw new IllegalArgumentException("activation code " + codes[i] + " at " + i + " does not fit int8");
            }
            b.put(HEADER_BYTES + i, (byte) codes[i]);
        }
        return b.array();
    }

    /** The n codes and step of the block at {@code offset} of {@code memory}. */
    public static QuantizedVector decode(byte[] memory, int offset, int n) {
        ByteBuffer b = ByteBuffer.wrap(memory).order(ByteOrder.LITTLE_ENDIAN);
        long mant = b.getInt(offset) & 0xFFFF_FFFFL;
        int exp = b.getInt(offset + 4);
        Scale step = mant == 0 ? Scale.ZERO : new Scale(mant, exp); // the constructor refuses an unnormalised mantissa
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = memory[offset + HEADER_BYTES + i];
        return new QuantizedVector(codes, step);
    }

    /** Size of an output of n int32 values, padded to whole beats as STORE_VEC writes it. */
    public static int outputBytes(int n, int bus) {
        return roundUp(4 * n, bus / 8);
    }

    /** What STORE_VEC writes for these values (the simulated board and tests use it). */
    public static byte[] encodeOutput(int[] y, int bus) {
        ByteBuffer b = ByteBuffer.allocate(outputBytes(y.length, bus)).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : y) b.putInt(v);
        return b.array();
    }

    public static int[] decodeOutput(byte[] memory, int offset, int n) {
        ByteBuffer b = ByteBuffer.wrap(memory, offset, 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = b.getInt();
        return y;
    }

    static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }
}
