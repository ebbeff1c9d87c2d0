package dev.bitweave.pack;

import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;

/**
 * A LINEAR computed the way the hardware computes it: from the bytes of board memory and the
 * words of the program entry only, beat by beat (docs/hardware.md, "Datapath"). It shares no code
 * with {@link WeightImagePacker} or {@link LinearLayout} on purpose: it re-derives C_b, E_row, the
 * block pattern and the order of 3-bit bit-plane beats from the entry, as the RTL must, so that agreeing with
 * {@link dev.bitweave.numerics.IntLinear} proves the packer and the contract, not just one of
 * them against itself. It is the oracle the RTL and the simulated board are checked against.
 */
public final class PackedLinearReference {
    private PackedLinearReference() {
    }

    /** fp4-e2m1 codes as integers in units of 2^-1 (docs/numerics.md), re-derived here on purpose. */
    private static final long[] E2M1 = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    /** fp8-e4m3 code as an integer in units of 2^-9: (e == 0 ? m : (8 + m) << (e - 1)), signed. */
    private static long e4m3(int c) {
        int e = (c >>> 3) & 15;
        int m = c & 7;
        long mag = e == 0 ? m : (long) (8 + m) << (e - 1);
        return (c & 0x80) != 0 ? -mag : mag;
    }

    /**
     * @param op         the LINEAR entry (as decoded from program.img)
     * @param memory     board memory from address 0 (weights.img is placed at 0)
     * @param bus        BUS
     * @param activation what LOAD_ACT put in the activation buffer; columns past its length read as 0
     * @return the output buffer: one fx value per row
     * @throws IllegalArgumentException for an entry the hardware would flag as a bad field, or
     *                                  an accumulator that the numerics bound says cannot overflow but does
     */
    public static int[] apply(ProgramImage.Linear op, byte[] memory, int bus, QuantizedVector activation) {
        int b = op.b();
        if (b != 2 && b != 3 && b != 4 && b != 8) throw badField("b", b);
        if (op.floatCodes() && (b != 4 && b != 8 || op.asymmetric())) throw badField("float codes", b);
        boolean planes = b == 3;
        int cb = planes ? bus / 2 : bus / b;                // codes per code beat (per lo beat for planes)
        if (op.r() != (op.cols() + cb - 1) / cb) throw badField("R", op.r());
        boolean perChannel = op.perChannel();
        if (!perChannel && (op.log2Group() < 2 || op.log2Group() > 30)) throw badField("log2(G)", op.log2Group());
        long g = perChannel ? (long) op.r() * cb : 1L << op.log2Group();
        int slots = g < cb ? (int) (cb / g) : 1;           // groups per code beat
        int eRow = g < cb ? op.r() * slots : (int) ((op.r() * (long) cb + g - 1) / g);
        int ws = (op.hasM() ? 16 : 0) + (op.hasE() ? 8 : 0) + (op.asymmetric() ? 8 : 0);
        if (op.entryBits() != ws) throw badField("w_s", op.entryBits());
        if (op.n() < 1) throw badField("N", op.n());
        if (op.s() != ((long) op.n() * eRow * ws + bus - 1) / bus) throw badField("S", op.s());
        int beatBytes = bus / 8;
        // With planes, each pair of lo beats is preceded by the hi beat of its top bits.
        long rowBeats = planes ? op.r() + (op.r() + 1L) / 2 : op.r();
        long blockBeats = op.s() + op.n() * rowBeats;
        long blocks = (op.rows() + op.n() - 1) / op.n();
        long beats = blocks * op.s() + op.rows() * rowBeats;
        if (op.size() != beats * beatBytes) throw badField("size", op.size());
        if (op.address() % beatBytes != 0 || op.address() + op.size() > memory.length) throw badField("address", op.address());

        int[] a = activation.codes();
        Scale out = activation.step().timesPow2(op.eMin());
        int lanesPerSlot = cb / slots;
        int[] y = new int[op.rows()];
        for (int row = 0; row < op.rows(); row++) {
            int block = row / op.n();
            int inBlock = row % op.n();
            long blockStart = op.address() + block * blockBeats * beatBytes;
            long entries = blockStart + (long) inBlock * eRow * ws / 8;
            long codes = blockStart + (op.s() + inBlock * rowBeats) * beatBytes;
            long acc = 0;
            for (int c = 0; c < op.r(); c++) {
                // Without planes lo beat c is code beat c. With planes, pair c / 2 starts at beat 3 * (c / 2)
                // with its hi beat; lo beat c follows it at offset 1 + c % 2, its top bits at [c % 2 * C_3, ...).
                long hiBeat = codes + 3L * (c / 2) * beatBytes;
                long beat = planes ? hiBeat + (1 + c % 2) * (long) beatBytes : codes + (long) c * beatBytes;
                int loBits = planes ? 2 : b;
                for (int slot = 0; slot < slots; slot++) {
                    long entryIndex = perChannel ? 0 : g < cb ? (long) c * slots + slot : (long) c * cb / g;
                    long entry = readLittleEndian(memory, entries + entryIndex * ws / 8, ws / 8);
                    int pos = 0;
                    long m = 1;
                    int e = op.tensorExponent();
                    long z = 0;
                    if (op.hasM()) {
                        m = entry & 0xFFFF;
                        pos += 16;
                    }
                    if (op.hasE()) {
                        e = (byte) (entry >>> pos);
                        pos += 8;
                    }
                    if (op.asymmetric()) z = (entry >>> pos) & 0xFF;
                    long p = 0;
                    for (int lane = slot * lanesPerSlot; lane < (slot + 1) * lanesPerSlot; lane++) {
                        int col = c * cb + lane;
                        int bit = lane * loBits;
                        int code = (memory[(int) (beat + bit / 8)] >>> (bit % 8)) & ((1 << loBits) - 1);
                        if (planes) {
                            int hiBit = c % 2 * cb + lane;
                            code |= ((memory[(int) (hiBeat + hiBit / 8)] >>> (hiBit % 8)) & 1) << 2;
                        }
                        long w = op.floatCodes() ? (b == 4 ? E2M1[code] : e4m3(code)) : op.asymmetric() ? code - z : code >= 1 << (b - 1) ? code - (1 << b) : code;
                        long x = col < a.length ? a[col] : 0;
                        p += x * w;
                    }
                    acc = Math.addExact(acc, rescale(p, m, e - op.eMin()));
                }
            }
            y[row] = Fixed.sat32(out.apply(acc, Fixed.FX));
        }
        return y;
    }

    /** (p * M) << (E - E_min); a zero partial (padding slots) is zero at any shift. */
    private static long rescale(long p, long m, int shift) {
        long pm = Math.multiplyExact(p, m);
        if (pm == 0) return 0;
        if (shift < 0 || shift > 62) throw new IllegalArgumentException("group shift " + shift + " outside [0, 62]");
        return Math.multiplyExact(pm, 1L << shift);
    }

    private static long readLittleEndian(byte[] memory, long at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) v |= (memory[(int) (at + i)] & 0xFFL) << (8 * i);
        return v;
    }

    private static IllegalArgumentException badField(String field, long value) {
        return new IllegalArgumentException("LINEAR: bad field " + field + " = " + value);
    }
}
