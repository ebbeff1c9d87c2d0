package dev.bitweave.pack;

/**
 * Where a build puts things in board memory: weights.img at 0, program.img after it, then a
 * scratch area the host uses for activation blocks, outputs and the per-entry cycle counts.
 * Areas start on 4 KiB boundaries: a page is a multiple of every beat, and AXI bursts never cross one.
 *
 * @param activation room for one activation block of MAX_COLS codes
 * @param output     room for the output of the tallest linear layer (int32 per row)
 * @param stats      one stats slot of max(8, BUS/8) bytes per program entry, for a program of a
 *                   LOAD_ACT, LINEAR and STORE_VEC per linear layer plus END
 */
public record MemoryMap(Area weights, Area program, Area scratch, Area activation, Area output, Area stats) {
    public static final int PAGE = 4096;

    /** A byte range of board memory. */
    public record Area(long base, long size) {
        public long end() {
            return base + size;
        }
    }

    public static MemoryMap of(long weightsBytes, long programBytes, HardwareParams hw, int maxRows, int linearLayers) {
        Area weights = new Area(0, weightsBytes);
        Area program = new Area(alignUp(weights.end()), programBytes);
        long scratchBase = alignUp(program.end());
        Area activation = new Area(scratchBase, ActivationBlock.bytes(hw.maxCols(), hw.bus()));
        Area output = new Area(alignUp(activation.end()), ActivationBlock.outputBytes(maxRows, hw.bus()));
        Area stats = new Area(alignUp(output.end()), (3L * linearLayers + 1) * statsSlotBytes(hw.bus()));
        Area scratch = new Area(scratchBase, alignUp(stats.end()) - scratchBase);
        return new MemoryMap(weights, program, scratch, activation, output, stats);
    }

    /** docs/hardware.md, STATS register: one cycle count per entry, in a slot of at least a beat. */
    public static int statsSlotBytes(int bus) {
        return Math.max(8, bus / 8);
    }

    /** Bytes of board memory the build occupies. */
    public long totalBytes() {
        return scratch.end();
    }

    static long alignUp(long v) {
        return (v + PAGE - 1) / PAGE * PAGE;
    }
}
