package dev.bitweave.pack;

import dev.bitweave.board.Board;

/**
 * An analytic <em>estimate</em> of the cycles one LINEAR takes, written to the manifest next to the
 * roofline so that measured cycles (STATS) have something to be compared with. It assumes what
 * docs/hardware.md describes: the region streams in order at one beat per cycle unless the memory
 * delivers fewer bytes per cycle, scale beats cost a cycle like code beats, and a fixed cost per
 * layer covers the first read's latency and the requantization pipeline. The fixed figure is a
 * guess until cosim measures it.
 *
 * @param bytesPerCycle what the memory delivers per kernel cycle: min(BUS / 8, peak bandwidth / clock),
 *                      the same budget the simulated board's memory model uses
 * @param fixedCycles   per-LINEAR overhead: {@value #LATENCY_CYCLES} cycles of memory latency plus
 *                      {@value #PIPELINE_CYCLES} of pipeline fill and the last row's requantization
 */
public record CycleEstimate(double bytesPerCycle, int fixedCycles) {
    static final int LATENCY_CYCLES = 64;
    static final int PIPELINE_CYCLES = 16;
    public static final String METHOD = "estimate, not a measurement: ceil(region bytes / bytesPerCycle) + fixedCycles";

    public static CycleEstimate of(Board board) {
        double memory = board.memory().peakBandwidthBytesPerSecond() / (board.kernelClockMHz() * 1e6);
        return new CycleEstimate(Math.min(board.bytesPerBeat(), memory), LATENCY_CYCLES + PIPELINE_CYCLES);
    }

    public long expectedCycles(LinearLayout l) {
        return (long) Math.ceil(l.regionBytes() / bytesPerCycle) + fixedCycles;
    }
}
