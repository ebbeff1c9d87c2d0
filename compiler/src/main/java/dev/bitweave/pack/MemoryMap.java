package dev.bitweave.pack;

/**
 * Where a build puts things in board memory: weights.img at 0, tables.img and program.img after
 * it, then a scratch area for activation blocks, outputs, the per-entry cycle counts, the logits
 * and the KV cache. Areas start on 4 KiB boundaries: a page is a multiple of every beat, and AXI
 * bursts never cross one.
 *
 * @param tables     tables.img: the decoder's embedding lookup, norm gains and RoPE table
 * @param activation room for one activation block of MAX_COLS codes
 * @param output     room for the output of the tallest linear layer (int32 per row)
 * @param stats      one stats slot of max(8, BUS/8) bytes per program entry (the decode program,
 *                   or a cosim program of LOAD_ACT, LINEAR, STORE_VEC and END, whichever is longer)
 * @param logits     the decode step's logits (vocab int32)
 * @param kv         the KV cache ({@link KvLayout})
 */
public record MemoryMap(Area weights, Area tables, Area program, Area scratch, Area activation, Area output, Area stats,
                        Area logits, Area kv) {
    public static final int PAGE = 4096;

    /** A byte range of board memory. */
    public record Area(long base, long size) {
        public long end() {
            return base + size;
        }
    }

    public static MemoryMap of(long weightsBytes, long tablesBytes, long programBytes, HardwareParams hw, int maxRows,
                               int vocab, long kvBytes) {
        Area weights = new Area(0, weightsBytes);
        Area tables = new Area(alignUp(weights.end()), tablesBytes);
        Area program = new Area(alignUp(tables.end()), programBytes);
        long scratchBase = alignUp(program.end());
        Area activation = new Area(scratchBase, ActivationBlock.bytes(hw.maxCols(), hw.bus()));
        Area output = new Area(alignUp(activation.end()), ActivationBlock.outputBytes(maxRows, hw.bus()));
        long entries = Math.max(4, programBytes / ProgramImage.ENTRY_BYTES);
        Area stats = new Area(alignUp(output.end()), entries * statsSlotBytes(hw.bus()));
        Area logits = new Area(alignUp(stats.end()), ActivationBlock.outputBytes(vocab, hw.bus()));
        Area kv = new Area(alignUp(logits.end()), kvBytes);
        Area scratch = new Area(scratchBase, alignUp(kv.end()) - scratchBase);
        return new MemoryMap(weights, tables, program, scratch, activation, output, stats, logits, kv);
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
