package dev.bitweave.pack;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;

/**
 * Where every bit of one linear tensor goes in its weights.img region (docs/hardware.md,
 * "weights.img"): rows of R code beats of C_b codes of b bits (for b = 3, R lo beats of C_3 = BUS / 2
 * codes and ceil(R / 2) hi beats, see {@link #rowBeats()}), E_row scale entries of w_s bits per
 * row, grouped into blocks of N rows that start with S scale beats.
 *
 * @param name            tensor name
 * @param rows            output features
 * @param cols            input features
 * @param bits            the plan's code width (2, 3, 4 or 8)
 * @param b               stored code width, equal to bits: 3-bit codes are stored as bit planes
 * @param symmetric       two's complement codes (else unsigned codes with a zero point)
 * @param scaleEncoding   how the plan stores a group's scale
 * @param groupSize       G; equals cols when {@code perChannel}
 * @param perChannel      one group per row
 * @param cb              C_b = BUS / b, codes per code beat; for b = 3, C_3 = BUS / 2 codes per lo beat
 * @param r               R = ceil(cols / C_b), code beats per row; for b = 3, lo beats per row
 * @param eRow            scale entries per row, padding included
 * @param entryBits       w_s, bits per scale entry: 16 (M) + 8 (E) + 8 (Z) for the fields present
 * @param n               N, rows per block
 * @param s               S, scale beats per block (the last block too, even when it has fewer rows)
 * @param blocks          ceil(rows / N)
 * @param imageBeats      beats of the region: blocks * S + rows * {@link #rowBeats()}
 * @param regionBytes     imageBeats * BUS / 8
 * @param eMin            E_min, the smallest group exponent
 * @param tensorExponent  the E of every group when entries carry none (mul-shift), else 0
 * @param hasM            entries carry a multiplier
 * @param hasE            entries carry an exponent
 * @param hasZ            entries carry a zero point (asymmetric)
 * @param planBits        bits the plan stores for this tensor: packed codes plus uint16 multipliers,
 *                        int8 exponents and uint8 zero points per group
 * @param rooflineCycles  ceil(planBits / BUS): the cycles a perfect stream of the plan's bits takes
 * @param floatCodes      the codes are small floats (fp4-e2m1 at b = 4, fp8-e4m3 at b = 8; docs/numerics.md), not ints
 */
public record LinearLayout(String name, int rows, int cols, int bits, int b, boolean symmetric,
                           ScaleEncoding scaleEncoding, int groupSize, boolean perChannel, int cb, int r, int eRow,
                           int entryBits, int n, int s, long blocks, long imageBeats, long regionBytes, int eMin,
                           int tensorExponent, boolean hasM, boolean hasE, boolean hasZ, long planBits,
                           long rooflineCycles, boolean floatCodes) {

    /** The element format: int, or the small float of this width when the codes are floats. */
    public ElementFormat format() {
        return !floatCodes ? ElementFormat.INT : b == 4 ? ElementFormat.FP4_E2M1 : ElementFormat.FP8_E4M3;
    }

    /** Value of the LINEAR entry's log2(G) word for a per-channel tensor. */
    public static final int LOG2_PER_CHANNEL = 31;

    /** The layout of a tensor the hardware supports ({@link Compatibility#checkTensor}) at this bus and scale buffer. */
    public static LinearLayout of(LinearShape t, int bus, int scaleBits) {
        WeightSpec spec = t.spec();
        int b = storedWidth(spec.bits());
        int cb = codesPerBeat(bus, b);
        int r = ceilDiv(t.cols(), cb);
        boolean perChannel = Compatibility.isPerChannel(spec.groupSize(), t.cols());
        int g = perChannel ? t.cols() : spec.groupSize();
        int eRow = entriesPerRow(perChannel, g, cb, r);
        boolean hasM = spec.scaleEncoding().perGroupMultiplier();
        boolean hasE = spec.scaleEncoding().perGroupExponent();
        boolean hasZ = !spec.symmetric();
        int ws = (hasM ? 16 : 0) + (hasE ? 8 : 0) + (hasZ ? 8 : 0);
        long rowBits = (long) eRow * ws;
        if (rowBits > scaleBits) {
            throw new IllegalArgumentException(t.name() + ": one row's scale entries (" + rowBits
                    + " bits) exceed SCALE_BITS " + scaleBits);
        }
        // Smallest N that fills whole beats, unless the scale buffer cannot hold that many rows.
        long n = bus / gcd(rowBits, bus);
        n = Math.min(n, scaleBits / rowBits);
        int s = (int) ceilDiv(n * rowBits, bus);
        long blocks = ceilDiv(t.rows(), n);
        long beats = blocks * s + (long) t.rows() * rowBeats(b, r);
        long planBits = planBits(spec, t.rows(), t.cols());
        return new LinearLayout(t.name(), t.rows(), t.cols(), spec.bits(), b, spec.symmetric(), spec.scaleEncoding(),
                g, perChannel, cb, r, eRow, ws, (int) n, s, blocks, beats, beats * (bus / 8), t.eMin(),
                t.tensorExponent(), hasM, hasE, hasZ, planBits, ceilDiv(planBits, bus), spec.format().isFloat());
    }

    /**
     * Bits the plan stores, and the weight stream carries, for a rows x cols tensor of this spec:
     * the packed codes plus, per group, a 16-bit multiplier, an 8-bit exponent and an 8-bit zero
     * point for the fields the encoding has (the per-tensor exponent of mul-shift is not counted).
     */
    public static long planBits(WeightSpec spec, long rows, long cols) {
        long g = Compatibility.isPerChannel(spec.groupSize(), (int) cols) ? cols : spec.groupSize();
        int ws = (spec.scaleEncoding().perGroupMultiplier() ? 16 : 0) + (spec.scaleEncoding().perGroupExponent() ? 8 : 0)
                + (spec.symmetric() ? 0 : 8);
        return 8 * ceilDiv(rows * cols * spec.bits(), 8) + rows * ceilDiv(cols, g) * ws;
    }

    /** Every supported width is its own mode: 3-bit codes are stored as a 2-bit lo plane and a 1-bit hi plane. */
    public static int storedWidth(int bits) {
        return bits;
    }

    /** C_b: codes per code beat, BUS / b; for b = 3 codes per lo beat, C_3 = BUS / 2. */
    public static int codesPerBeat(int bus, int b) {
        return b == 3 ? bus / 2 : bus / b;
    }

    /** Code beats of one row of R (lo) beats: R, or R + ceil(R / 2) for 3-bit planes (one hi beat per pair of lo beats). */
    public static int rowBeats(int b, int r) {
        return b == 3 ? r + ceilDiv(r, 2) : r;
    }

    /** Code beats of one row: {@link #r()}, plus the hi beats for 3-bit planes. */
    public int rowBeats() {
        return rowBeats(b, r);
    }

    /** E_row of docs/hardware.md: one entry per group slot of each beat, or per group when a group spans beats. */
    static int entriesPerRow(boolean perChannel, int g, int cb, int r) {
        if (perChannel) return 1;
        return g < cb ? r * (cb / g) : ceilDiv(r * cb, g);
    }

    /** Scale bits of one row, what the scale buffer must hold at least (for N = 1). */
    public long rowEntryBits() {
        return (long) eRow * entryBits;
    }

    /** The LINEAR entry's w4: log2(G), or {@value #LOG2_PER_CHANNEL} for per channel. */
    public int log2Group() {
        return perChannel ? LOG2_PER_CHANNEL : Integer.numberOfTrailingZeros(groupSize);
    }

    /** Groups of one row that hold real columns; entries beyond them in a row are padding. */
    public int groupsPerRow() {
        return ceilDiv(cols, groupSize);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
