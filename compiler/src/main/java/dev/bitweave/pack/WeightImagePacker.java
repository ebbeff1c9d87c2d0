package dev.bitweave.pack;

import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.plan.QuantizedModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes weights.img (docs/hardware.md, "weights.img"): one region per linear tensor, in plan
 * order, each a sequence of blocks of S scale beats and N rows of R code beats (3-bit codes as a
 * lo and a hi bit plane, R + ceil(R / 2) beats per row). Only the linear
 * tensors go in for now; norm vectors and the RoPE table are the compiler's next step.
 *
 * <p>Deterministic: the image is a pure function of the plan's linear tensors and the parameters.
 */
public final class WeightImagePacker {
    private WeightImagePacker() {
    }

    /** The packed image and where each tensor went, in plan order. */
    public record PackedWeights(byte[] image, Map<String, LayerRegion> regions) {
    }

    public static PackedWeights pack(QuantizedModel model, HardwareParams hw) {
        List<QuantTensor> tensors = new ArrayList<>();
        for (LinearShape s : HardwareParams.linearShapes(model)) tensors.add(model.matrices().get(s.name()));
        return pack(tensors, hw);
    }

    /** Regions back to back from address 0; each is whole beats, so each starts on a BUS boundary. */
    public static PackedWeights pack(List<QuantTensor> tensors, HardwareParams hw) {
        Map<String, LayerRegion> regions = new LinkedHashMap<>();
        long total = 0;
        for (QuantTensor t : tensors) {
            LinearLayout l = hw.layout(LinearShape.of(t));
            if (regions.put(t.name(), new LayerRegion(t.name(), total, l.regionBytes(), l)) != null) {
                throw new IllegalArgumentException("tensor " + t.name() + " given twice");
            }
            total += l.regionBytes();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("weights.img of " + total + " bytes exceeds what one Java array holds");
        }
        byte[] image = new byte[(int) total];
        for (QuantTensor t : tensors) {
            LayerRegion r = regions.get(t.name());
            writeRegion(t, r.layout(), hw.bus(), image, (int) r.address());
        }
        return new PackedWeights(image, Collections.unmodifiableMap(regions));
    }

    /** One region on its own, for tests and tools that place it themselves. */
    public static byte[] packRegion(QuantTensor t, LinearLayout l, int bus) {
        byte[] out = new byte[Math.toIntExact(l.regionBytes())];
        writeRegion(t, l, bus, out, 0);
        return out;
    }

    private static void writeRegion(QuantTensor t, LinearLayout l, int bus, byte[] out, int base) {
        checkFits(t, l);
        int beatBytes = bus / 8;
        int gpr = t.groupsPerRow();
        int entryBytes = l.entryBits() / 8;
        long beat = 0;
        for (int r0 = 0; r0 < l.rows(); r0 += l.n()) {
            int r1 = Math.min(l.rows(), r0 + l.n());
            // Scale beats: E_row entries per row, back to back; the zero-filled array gives the padding.
            int scaleBase = base + (int) (beat * beatBytes);
            for (int row = r0; row < r1; row++) {
                for (int e = 0; e < gpr; e++) {
                    int at = scaleBase + ((row - r0) * l.eRow() + e) * entryBytes;
                    writeLittleEndian(out, at, entry(t, l, row * gpr + e), entryBytes);
                }
            }
            beat += l.s();
            for (int row = r0; row < r1; row++) {
                int rowBase = base + (int) (beat * beatBytes);
                if (l.b() == 3) {
                    writePlanes(t, l, row, out, rowBase, beatBytes);
                } else {
                    for (int c = 0; c < l.r(); c++) writeCodes(t, l, row, c, l.b(), out, rowBase + c * beatBytes);
                }
                beat += l.rowBeats();
            }
        }
    }

    /**
     * Code beat c of a row at width b (b divides 8, so a code never straddles bytes): code i at bits
     * [i*b, i*b + b). For the lo plane of 3-bit codes, b = 2 and the codes' top bits are masked off.
     */
    private static void writeCodes(QuantTensor t, LinearLayout l, int row, int c, int b, byte[] out, int beatBase) {
        int from = c * l.cb();
        int to = Math.min(l.cols(), from + l.cb());
        int mask = (1 << b) - 1;
        for (int col = from; col < to; col++) {
            int code = t.codes()[row * t.cols() + col] & mask;
            int bit = (col - from) * b;
            out[beatBase + (bit >>> 3)] |= (byte) (code << (bit & 7));
        }
    }

    /**
     * A row of 3-bit codes as bit planes: for each pair p of lo beats, the hi beat (top bits of lo
     * beat 2p's codes at [0, C_3), of lo beat 2p+1's at [C_3, 2*C_3)), then lo beat 2p, then lo beat
     * 2p+1 if the row has it. A lo beat is the codes' low two bits packed as 2-bit codes.
     */
    private static void writePlanes(QuantTensor t, LinearLayout l, int row, byte[] out, int rowBase, int beatBytes) {
        int at = rowBase;
        for (int c = 0; c < l.r(); c += 2) {
            int hiBase = at;
            at += beatBytes;
            for (int half = 0; half < 2 && c + half < l.r(); half++) {
                int from = (c + half) * l.cb();
                int to = Math.min(l.cols(), from + l.cb());
                for (int col = from; col < to; col++) {
                    int hi = (t.codes()[row * t.cols() + col] >>> 2) & 1;
                    int bit = half * l.cb() + col - from;
                    out[hiBase + (bit >>> 3)] |= (byte) (hi << (bit & 7));
                }
                writeCodes(t, l, row, c + half, 2, out, at);
                at += beatBytes;
            }
        }
    }

    /** M, then E, then Z, from the least significant bit; absent fields take no bits. */
    private static long entry(QuantTensor t, LinearLayout l, int group) {
        long v = 0;
        int pos = 0;
        if (l.hasM()) {
            v |= (t.mult()[group] & 0xFFFFL) << pos;
            pos += 16;
        }
        if (l.hasE()) {
            v |= (t.exp()[group] & 0xFFL) << pos;
            pos += 8;
        }
        if (l.hasZ()) v |= (t.zero()[group] & 0xFFL) << pos;
        return v;
    }

    private static void writeLittleEndian(byte[] out, int at, long v, int bytes) {
        for (int i = 0; i < bytes; i++) out[at + i] = (byte) (v >>> (8 * i));
    }

    /** The entry fields are narrower than the reference's ints; a value that does not fit is a bug upstream. */
    private static void checkFits(QuantTensor t, LinearLayout l) {
        if (t.rows() != l.rows() || t.cols() != l.cols()) throw new IllegalArgumentException(t.name() + ": layout is for another shape");
        for (int g = 0; g < t.groupCount(); g++) {
            if (l.hasM() && (t.mult()[g] < 0 || t.mult()[g] > 0xFFFF)) {
                throw new IllegalArgumentException(t.name() + ": group " + g + " multiplier " + t.mult()[g] + " exceeds 16 bits");
            }
            if (!l.hasM() && t.mult()[g] != 1) {
                throw new IllegalArgumentException(t.name() + ": group " + g + " multiplier " + t.mult()[g] + " but entries carry no M");
            }
            if (l.hasE() && (t.exp()[g] < -128 || t.exp()[g] > 127)) {
                throw new IllegalArgumentException(t.name() + ": group " + g + " exponent " + t.exp()[g] + " exceeds int8");
            }
            if (!l.hasE() && t.exp()[g] != l.tensorExponent()) {
                throw new IllegalArgumentException(t.name() + ": group " + g + " exponent " + t.exp()[g]
                        + " differs from the tensor exponent " + l.tensorExponent());
            }
            if (l.hasZ() && (t.zero()[g] < 0 || t.zero()[g] > 0xFF)) {
                throw new IllegalArgumentException(t.name() + ": group " + g + " zero point " + t.zero()[g] + " exceeds 8 bits");
            }
        }
    }
}
