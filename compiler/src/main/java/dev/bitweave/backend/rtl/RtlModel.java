package dev.bitweave.backend.rtl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything the RTL templates print, computed here so that templates only loop and substitute:
 * lane multiplexing per mode, tree levels, group slots and buffer geometry.
 */
public final class RtlModel {
    private RtlModel() {
    }

    public record Mode(int bits, int lanes, int log2Lanes, int slices, int log2Slices) {
    }

    /**
     * How lane i takes its code and activation in one mode (and activation slice). For 3-bit
     * codes, codeLow addresses the 2-bit lo plane and hiBit the lane's bit in the hi-plane half.
     */
    public record LaneOption(int bits, int slices, int slice, int codeLow, int actLow, boolean plane, int hiBit) {
    }

    /** lutProduct: the lane multiplies by shift-and-add in LUTs instead of a DSP. */
    public record Lane(int index, int weightBits, boolean lutProduct, List<LaneOption> options) {
    }

    /**
     * Products with weights of at most this many bits (a 4-bit value plus sign) are built from
     * shifts and adds: Yosys would otherwise give each its own DSP, which is worth it only for the
     * 8-bit lanes.
     */
    static final int LUT_PRODUCT_MAX_WEIGHT_BITS = 5;

    /**
     * The constant scales of the activation quantizer at one width: of(qmax, 0) and its
     * reciprocal (exponents as unsigned 32-bit patterns, for the templates).
     */
    public record QmaxScale(int bits, long qmMant, long qmExp, long qrMant, long qrExp) {
    }

    public record Level(int level, int nodes) {
    }

    /** Slot j reads tree level lg; ext/actExt are the sign-extension widths to the root. */
    public record SlotOption(int lg, int ext, int actExt) {
    }

    static int log2(int v) {
        if (Integer.bitCount(v) != 1) throw new IllegalArgumentException(v + " is not a power of two");
        return Integer.numberOfTrailingZeros(v);
    }

    static int bitsFor(long maxValue) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(maxValue));
    }

    public static Map<String, Object> of(ArrayShape s, DecoderShape d) {
        int bus = s.bus();
        int cmax = s.maxLanes();
        int log2Cmax = log2(cmax);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bus", bus);

        List<Mode> modes = new ArrayList<>();
        int mask = 0;
        for (int b : s.widths()) {
            int lanes = s.lanes(b);
            int slices = cmax / lanes;
            modes.add(new Mode(b, lanes, log2(lanes), slices, log2(slices)));
            mask |= 1 << b; // PARAMS bit 16 + b (docs/hardware.md)
        }
        m.put("modes", modes);
        m.put("hasPlanes", s.widths().contains(3));
        m.put("modesMask", mask);
        int maxSlices = cmax / s.lanes(s.widths().last());
        m.put("sliceBits", Math.max(1, log2(maxSlices)));
        m.put("hasSlices", maxSlices > 1);

        // weights are signed values of b+1 bits (asymmetric codes are unsigned b-bit numbers)
        List<Lane> lanes = new ArrayList<>();
        int maxWeightBits = 0;
        for (int i = 0; i < cmax; i++) {
            List<LaneOption> opts = new ArrayList<>();
            int wb = 0;
            for (Mode mode : modes) {
                if (i >= mode.lanes()) continue;
                // fp8-e4m3 values reach (8 + 7) << 14: 18 bits and a sign
                wb = Math.max(wb, mode.bits() == 8 && s.fp8() ? 19 : mode.bits() + 1);
                for (int sl = 0; sl < mode.slices(); sl++) {
                    boolean plane = mode.bits() == 3;
                    opts.add(new LaneOption(mode.bits(), mode.slices(), sl, i * (plane ? 2 : mode.bits()),
                            (sl * mode.lanes() + i) * 8, plane, i));
                }
            }
            lanes.add(new Lane(i, wb, wb <= LUT_PRODUCT_MAX_WEIGHT_BITS, opts));
            maxWeightBits = Math.max(maxWeightBits, wb);
        }
        m.put("lanes", lanes);
        s.packingRefusal().filter(why -> s.packedLanes()).ifPresent(why -> {
            throw new IllegalArgumentException("this array cannot pack its lanes: " + why);
        });
        // packed: lanes 0 .. 2 * pairs - 1 (the 8-bit lanes, the only DSP products) share a multiplier per pair;
        // bw_linear's 22x18-bit operands and its split at bit 13 assume their 9-bit weights, which the
        // refusal above guarantees (an 8-bit mode, no fp8)
        m.put("packed", s.packedLanes());
        m.put("pairs", s.packedLanes() ? s.lanes(8) / 2 : 0);
        int prodBits = 8 + maxWeightBits;
        m.put("prodBits", prodBits);
        m.put("log2Cmax", log2Cmax);
        List<Level> levels = new ArrayList<>();
        for (int l = 1; l <= log2Cmax; l++) levels.add(new Level(l, cmax >> l));
        m.put("levels", levels);
        int rootBits = prodBits + log2Cmax;
        int rootActBits = 8 + log2Cmax;
        m.put("rootBits", rootBits);
        m.put("rootActBits", rootActBits);
        m.put("hasAsym", s.asymmetric());
        m.put("hasFp4", s.fp4() && s.widths().contains(4));
        m.put("hasFp8", s.fp8() && s.widths().contains(8));
        m.put("accBits", s.accBits());

        // group slots: slot j exists for (b, G) with G < C_b and j < C_b / G
        int slots = 1;
        List<TreeSet<Integer>> slotLevels = new ArrayList<>();
        for (ArrayShape.GroupMode g : s.groupModes()) {
            int cb = s.lanes(g.bits());
            if (g.log2Group() >= log2(cb)) continue;
            int n = cb >> g.log2Group();
            slots = Math.max(slots, n);
            while (slotLevels.size() < n) slotLevels.add(new TreeSet<>());
            for (int j = 0; j < n; j++) slotLevels.get(j).add(g.log2Group());
        }
        while (slotLevels.size() < slots) slotLevels.add(new TreeSet<>());
        List<List<SlotOption>> slotOptions = new ArrayList<>();
        for (TreeSet<Integer> lv : slotLevels) {
            List<SlotOption> o = new ArrayList<>();
            for (int lg : lv) o.add(new SlotOption(lg, rootBits - (prodBits + lg), rootActBits - (8 + lg)));
            slotOptions.add(o);
        }
        m.put("slots", slots);
        m.put("slotOptions", slotOptions);

        int scaleBits = Math.max(s.scaleBits(), ((slots * 32 + bus - 1) / bus) * bus);
        m.put("scaleBits", scaleBits);
        m.put("scaleBeats", scaleBits / bus);
        m.put("entryShifts", List.copyOf(s.entryShifts()));
        long maxConsume = Math.max(32L * Math.max(1, slots), s.entryShifts().isEmpty() ? 0 : s.entryShifts().last());
        m.put("shiftBits", Math.max(7, bitsFor(maxConsume)));

        int actWordBits = cmax * 8;
        int actWords = Math.max(2, (s.maxCols() + cmax - 1) / cmax);
        m.put("actWordBits", actWordBits);
        m.put("actWords", actWords);
        m.put("actAddrBits", bitsFor(actWords - 1));
        m.put("actParts", actWordBits / bus);

        int outValues = bus / 32;
        int outWords = Math.max(2, (s.maxRows() + outValues - 1) / outValues);
        m.put("outValues", outValues);
        m.put("outValueBits", Math.max(1, log2(outValues)));
        m.put("log2OutValues", log2(outValues));
        m.put("outWords", outWords);
        m.put("outWordBits", bitsFor(outWords - 1));
        m.put("outAddrBits", bitsFor((long) outWords * outValues - 1));

        int vrfWords = Math.max(d.vrfWords(), Integer.highestOneBit(Math.max(2, outWords * outValues - 1)) << 1);
        m.put("vrfWords", vrfWords);
        m.put("vrfAddrBits", log2(vrfWords));
        m.put("actCodeBits", bitsFor((long) actWords * cmax - 1));
        m.put("maxDim", d.maxDim());
        m.put("maxHidden", d.maxHidden());
        m.put("maxHeadSize", d.maxHeadSize());
        m.put("log2MaxHeadSize", log2(d.maxHeadSize()));
        m.put("maxSeqLen", d.maxSeqLen());
        m.put("units", List.of("bw_embed", "bw_norm", "bw_kvstore", "bw_attn", "bw_rope", "bw_swiglu"));
        m.put("expTable", dev.bitweave.numerics.IntExp.table());

        int beatBytes = bus / 8;
        int programCapacity = 512;
        m.put("programCapacity", programCapacity);
        m.put("log2WeightFifo", 8); // 256 beats: several times the memory latency
        m.put("progAddrBits", log2(programCapacity * Math.max(1, 64 / beatBytes)));
        // decoder units: bw_norm (RMSNORM, QUANT), bw_kvstore, bw_embed
        long actCodes = (long) actWords * cmax;
        int vecMax = (int) Math.min(Math.max(d.maxDim(), d.maxHidden()), actCodes);
        int normMax = Math.min(vecMax, dev.bitweave.numerics.IntRmsNorm.MAX_DIM);
        m.put("quantMaxN", vecMax);
        m.put("normMaxN", normMax);
        m.put("wordsPerBeatBits", log2(bus / 32));
        // RMSNORM/QUANT codes a cycle: a lane costs about ten DSP slices, which narrow (64-bit)
        // boards such as the PYNQ-Z2 have already given to the linear array
        int normLanes = bus >= 128 ? bus / 32 : 1;
        m.put("normLanes", normLanes);
        m.put("adaptiveActivations", d.adaptiveActivations());
        m.put("log2NormLanes", log2(normLanes));
        int gainWords = Math.max(2, (normMax + bus / 32 - 1) / (bus / 32));
        m.put("gainWords", gainWords);
        m.put("gainWordBits", bitsFor(gainWords - 1));
        List<QmaxScale> qmax = new ArrayList<>();
        for (int b = 2; b <= 8; b++) {
            dev.bitweave.numerics.Scale q = dev.bitweave.numerics.Scale.of((1 << (b - 1)) - 1, 0);
            dev.bitweave.numerics.Scale r = q.reciprocal();
            qmax.add(new QmaxScale(b, q.mant(), q.exp() & 0xFFFFFFFFL, r.mant(), r.exp() & 0xFFFFFFFFL));
        }
        m.put("qmaxScales", qmax);
        // embedding row: header entries (4 bytes per group of >= 4 columns) and int16 values
        int embValueWords = Math.max(2, (2 * d.maxDim() + beatBytes - 1) / beatBytes);
        int embHeaderWords = Math.max(2, (d.maxDim() + beatBytes - 1) / beatBytes);
        m.put("embedMaxN", d.maxDim());
        m.put("embValueWords", embValueWords);
        m.put("embValueWordBits", bitsFor(embValueWords - 1));
        m.put("embHeaderWords", embHeaderWords);
        m.put("embHeaderWordBits", bitsFor(embHeaderWords - 1));
        m.put("valuesPerBeatBits", log2(bus / 16));
        // KV codes of one head, placed at their byte offset in the first beat
        int kvBufBeats = Math.max(2, (d.maxHeadSize() + 2 * beatBytes - 2) / beatBytes);
        m.put("kvBufBeats", kvBufBeats);
        m.put("kvBufBeatBits", bitsFor(kvBufBeats - 1));
        m.put("kvBufByteBits", bitsFor((long) kvBufBeats * beatBytes - 1));
        m.put("beatByteBits", log2(beatBytes));
        m.put("entryBeats", Math.max(1, 64 / beatBytes));
        m.put("headerBeats", Math.max(1, 64 / beatBytes));
        m.put("statsBeats", Math.max(1, 8 / beatBytes));
        m.put("statsSlotBytes", Math.max(8, beatBytes));
        return m;
    }
}
