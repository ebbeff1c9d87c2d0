package dev.bitweave.backend.rtl;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a synthesized design uses, derived from Yosys' cell histogram ({@code stat}), in the
 * units of {@link dev.bitweave.board.Board}'s budget.
 *
 * <p>Counting rules, chosen to match how the vendor tools report a design:
 * <ul>
 *   <li>LUTs: LUT1..LUT6 and SB_LUT4 one each; INV one (a stand-alone inverter, which Yosys
 *       leaves next to carry chains, occupies a LUT); LUTs used as memory or shift registers
 *       (RAM32M, RAM64X1D, SRLC32E...) as many LUTs as the primitive occupies, because the
 *       board's LUT count includes those. MUXF7/8/9 are slice muxes, not LUTs.</li>
 *   <li>FFs: every FD* and LD* (latches occupy a register site) and SB_DFF*.</li>
 *   <li>DSPs: DSP48E1, DSP48E2, SB_MAC16.</li>
 *   <li>Block RAM as the data sheets count it, parity bits included: RAMB18 = 18 Kb,
 *       RAMB36 = 36 Kb, SB_RAM40_4K = 4 Kb. UltraRAM: URAM288 = 288 Kb. iCE40 SPRAM:
 *       SB_SPRAM256KA = 256 Kb, kept apart because the boards use SPRAM as weight memory.</li>
 * </ul>
 * Yosys' figures are an upper estimate of Vivado's: Vivado packs two small LUTs into one
 * LUT6 and absorbs more logic into DSPs.
 *
 * @param luts      LUTs, logic and memory
 * @param ffs       flip-flops and latches
 * @param dsps      DSP blocks
 * @param bramBits  block RAM bits
 * @param uramBits  UltraRAM bits
 * @param spramBits iCE40 single-port RAM bits
 * @param carries   carry-chain cells (CARRY4, CARRY8, SB_CARRY); reported, not budgeted
 * @param cells     the full histogram: cell type to count, sorted by type
 */
public record ResourceUsage(long luts, long ffs, long dsps, long bramBits, long uramBits, long spramBits,
                            long carries, Map<String, Long> cells) {

    public static final long KBIT = 1024;

    /** LUTs occupied by the Xilinx LUT-as-memory and shift-register primitives (UG574, UG474). */
    private static final Map<String, Integer> LUT_MEMORY = Map.ofEntries(
            Map.entry("SRL16E", 1), Map.entry("SRLC16E", 1), Map.entry("SRLC32E", 1),
            Map.entry("RAM16X1S", 1), Map.entry("RAM16X1D", 2),
            Map.entry("RAM32X1S", 1), Map.entry("RAM32X1D", 2),
            Map.entry("RAM64X1S", 1), Map.entry("RAM64X1D", 2),
            Map.entry("RAM128X1S", 2), Map.entry("RAM128X1D", 4),
            Map.entry("RAM256X1S", 4), Map.entry("RAM256X1D", 8), Map.entry("RAM512X1S", 8),
            Map.entry("RAM32M", 4), Map.entry("RAM64M", 4), Map.entry("RAM32M16", 8), Map.entry("RAM64M8", 8));

    private static final Map<String, Long> RAM_BITS = Map.ofEntries(
            Map.entry("RAMB18E1", 18 * KBIT), Map.entry("RAMB18E2", 18 * KBIT),
            Map.entry("RAMB36E1", 36 * KBIT), Map.entry("RAMB36E2", 36 * KBIT),
            Map.entry("SB_RAM40_4K", 4 * KBIT), Map.entry("SB_RAM40_4KNR", 4 * KBIT),
            Map.entry("SB_RAM40_4KNW", 4 * KBIT), Map.entry("SB_RAM40_4KNRNW", 4 * KBIT));

    public ResourceUsage {
        cells = Collections.unmodifiableMap(new TreeMap<>(cells));
    }

    /** Classifies a Yosys cell histogram. */
    public static ResourceUsage fromCells(Map<String, Long> cells) {
        long luts = 0, ffs = 0, dsps = 0, bram = 0, uram = 0, spram = 0, carries = 0;
        for (Map.Entry<String, Long> e : cells.entrySet()) {
            String type = e.getKey();
            long n = e.getValue();
            if (type.matches("LUT[1-6](_2)?") || type.equals("SB_LUT4") || type.equals("INV")) {
                luts += n;
            } else if (LUT_MEMORY.containsKey(type)) {
                luts += n * LUT_MEMORY.get(type);
            } else if (type.matches("(FD|LD)[A-Z]{2}(_1)?") || type.startsWith("SB_DFF")) {
                ffs += n;
            } else if (type.equals("DSP48E1") || type.equals("DSP48E2") || type.equals("SB_MAC16")) {
                dsps += n;
            } else if (RAM_BITS.containsKey(type)) {
                bram += n * RAM_BITS.get(type);
            } else if (type.startsWith("URAM288")) {
                uram += n * 288 * KBIT;
            } else if (type.equals("SB_SPRAM256KA")) {
                spram += n * 256 * KBIT;
            } else if (type.equals("CARRY4") || type.equals("CARRY8") || type.equals("SB_CARRY")) {
                carries += n;
            }
        }
        return new ResourceUsage(luts, ffs, dsps, bram, uram, spram, carries, cells);
    }

    /**
     * Yosys-internal cell types ({@code $mul}, {@code $mem_v2}...) left in the netlist: cells the
     * flow did not map to the device, whose resources the counts above miss.
     */
    public List<String> unmappedCells() {
        return cells.keySet().stream().filter(t -> t.startsWith("$")).toList();
    }
}
