package dev.bitweave.backend.rtl;

import java.util.List;
import java.util.SortedSet;

/**
 * What the generated lane array must support, decided from the plan and the board: the bus width,
 * the stored weight widths, the (width, group) pairs of the linear layers, and buffer sizes.
 *
 * @param bus        memory bus width in bits
 * @param widths     stored weight widths (subset of 2, 3, 4, 8)
 * @param groupModes every (stored width, log2 group size or 31 for per channel) a layer uses
 * @param asymmetric some layer has zero points
 * @param maxCols    largest input width of a linear layer
 * @param maxRows    largest output width of a linear layer
 * @param scaleBits  scale buffer capacity in bits (a multiple of bus)
 * @param entryShifts bits of scale entries one code beat can consume (entry width times groups per beat);
 *                   the scale buffer shifts by exactly these amounts instead of by any amount
 * @param accBits    accumulator width: the largest that docs/numerics.md derives for any layer (<= 64)
 * @param fp4        some 4-bit layer holds fp4-e2m1 codes: the 4-bit lanes decode them
 * @param fp8        some 8-bit layer holds fp8-e4m3 codes: the 8-bit lanes decode them (19-bit weights)
 * @param packedLanes the 8-bit lanes share one multiplier per pair: a beat whose activations fit 4 bits takes
 *                   one cycle, any other beat two (docs/hardware.md, "Packed lanes")
 */
public record ArrayShape(int bus, SortedSet<Integer> widths, List<GroupMode> groupModes, boolean asymmetric,
                         int maxCols, int maxRows, int scaleBits, SortedSet<Integer> entryShifts, int accBits, boolean fp4,
                         boolean fp8, boolean packedLanes) {

    public ArrayShape(int bus, SortedSet<Integer> widths, List<GroupMode> groupModes, boolean asymmetric, int maxCols, int maxRows,
                      int scaleBits, SortedSet<Integer> entryShifts, int accBits, boolean fp4, boolean fp8) {
        this(bus, widths, groupModes, asymmetric, maxCols, maxRows, scaleBits, entryShifts, accBits, fp4, fp8, false);
    }

    public ArrayShape(int bus, SortedSet<Integer> widths, List<GroupMode> groupModes, boolean asymmetric, int maxCols, int maxRows,
                      int scaleBits, SortedSet<Integer> entryShifts, int accBits) {
        this(bus, widths, groupModes, asymmetric, maxCols, maxRows, scaleBits, entryShifts, accBits, false, false);
    }

    /** Every entry shift these group modes can need, for any entry width (8, 16, 24 or 32 bits). */
    public static SortedSet<Integer> allEntryShifts(int bus, List<GroupMode> modes) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (GroupMode g : modes) {
            int cb = bus / (g.bits() == 3 ? 2 : g.bits());
            int groups = g.log2Group() < Integer.numberOfTrailingZeros(cb) ? cb >> g.log2Group() : 1;
            for (int ws : List.of(8, 16, 24, 32)) out.add(ws * groups);
        }
        return out;
    }

    /** log2Group is 31 for per-channel groups. */
    public record GroupMode(int bits, int log2Group) {
    }

    /** Codes per code beat: 3-bit codes travel as a 2-bit lo plane plus a hi plane (docs/hardware.md). */
    public int lanes(int bits) {
        return bus / (bits == 3 ? 2 : bits);
    }

    /**
     * An array that runs everything either array runs: one overlay (one bitstream, one simulated
     * board) can then serve several plans.
     */
    public ArrayShape union(ArrayShape o) {
        if (o.bus != bus) throw new IllegalArgumentException("bus widths differ: " + bus + " and " + o.bus);
        java.util.TreeSet<Integer> w = new java.util.TreeSet<>(widths);
        w.addAll(o.widths);
        List<GroupMode> g = new java.util.ArrayList<>(groupModes);
        for (GroupMode m : o.groupModes) if (!g.contains(m)) g.add(m);
        g.sort(java.util.Comparator.comparingInt(GroupMode::bits).thenComparingInt(GroupMode::log2Group));
        java.util.TreeSet<Integer> shifts = new java.util.TreeSet<>(entryShifts);
        shifts.addAll(o.entryShifts);
        return new ArrayShape(bus, w, g, asymmetric || o.asymmetric, Math.max(maxCols, o.maxCols), Math.max(maxRows, o.maxRows),
                Math.max(scaleBits, o.scaleBits), shifts, Math.max(accBits, o.accBits), fp4 || o.fp4, fp8 || o.fp8,
                packedLanes || o.packedLanes);
    }

    public ArrayShape withPackedLanes() {
        return new ArrayShape(bus, widths, groupModes, asymmetric, maxCols, maxRows, scaleBits, entryShifts, accBits, fp4, fp8, true);
    }

    /**
     * Why this array cannot pack its lanes, or empty if it can. Only 8-bit lanes multiply in DSPs;
     * fp8 values are 19 bits wide, and two of them with their products do not fit one DSP's 27x18
     * multiplier; a pair is summed before the tree, so no group may be narrower than two lanes.
     */
    public java.util.Optional<String> packingRefusal() {
        if (!widths.contains(8)) return java.util.Optional.of("no layer has 8-bit weights, the only lanes that multiply in DSPs");
        if (fp8) return java.util.Optional.of("fp8-e4m3 weights are 19-bit values: two of them do not fit one DSP multiplier");
        for (GroupMode g : groupModes) {
            if (g.log2Group() == 0) return java.util.Optional.of("a layer of " + g.bits() + "-bit weights has groups of one column");
        }
        return java.util.Optional.empty();
    }

    /** Lanes of the narrowest width: the physical lane count. */
    public int maxLanes() {
        return lanes(widths.first());
    }
}
