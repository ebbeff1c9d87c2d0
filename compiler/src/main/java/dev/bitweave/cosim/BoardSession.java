package dev.bitweave.cosim;

import dev.bitweave.board.Board;
import dev.bitweave.pack.ActivationBlock;
import dev.bitweave.pack.LayerRegion;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.MemoryMap;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.SimConfig;
import dev.bitweave.runtime.board.SimLibrary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A simulated board loaded with a build's weights, running one linear layer at a time through a
 * small layer program: LOAD_ACT, the layer's LINEAR entry, STORE_VEC, END.
 */
public final class BoardSession implements AutoCloseable {
    /** Memory latency assumed by the simulated board: a DRAM/HBM access of about 120 ns. */
    static final double LATENCY_NS = 120;

    public record Run(int[] output, long linearCycles) {
    }

    private final dev.bitweave.runtime.board.Board hw;
    private final Manifest manifest;
    private final MemoryMap mem;
    private final int bus;

    public BoardSession(SimLibrary lib, Manifest manifest, Board board, byte[] weights) {
        this(lib, manifest, simConfig(manifest, board), weights);
    }

    public BoardSession(SimLibrary lib, Manifest manifest, SimConfig config, byte[] weights) {
        this.manifest = manifest;
        this.mem = manifest.memory();
        this.bus = manifest.hardware().bus();
        this.hw = lib.open(config);
        hw.memWrite(mem.weights().base(), weights);
    }

    /** The board's memory as the simulated board sees it: bus-limited unless memory is slower. */
    public static SimConfig simConfig(Manifest manifest, Board board) {
        int bus = manifest.hardware().bus();
        double clock = board.kernelClockMHz() * 1e6;
        double bytesPerCycle = Math.min(bus / 8.0, board.memory().peakBandwidthBytesPerSecond() / clock);
        int latency = (int) Math.round(LATENCY_NS * board.kernelClockMHz() / 1000);
        return SimConfig.DEFAULT.withMemBytes(manifest.memory().totalBytes()).withLatency(latency).withBytesPerCycle(bytesPerCycle);
    }

    public long cycles() {
        return hw.cycles();
    }

    public Run linear(Manifest.Layer layer, QuantizedVector input) throws IOException {
        LayerRegion region = new LayerRegion(layer.name(), layer.address(), layer.size(), layer.layout());
        int rows = layer.layout().rows();
        hw.memWrite(mem.activation().base(), ActivationBlock.encode(input, bus));
        byte[] program = ProgramImage.encode(List.of(
                new ProgramImage.LoadAct(input.codes().length, mem.activation().base()),
                ProgramImage.Linear.of(region),
                new ProgramImage.StoreVec(rows, mem.output().base()),
                new ProgramImage.End()));
        hw.memWrite(mem.program().base(), program); // the test program stands in for program.img
        hw.regWrite(BoardRegisters.PROG_LO, (int) mem.program().base());
        hw.regWrite(BoardRegisters.PROG_HI, (int) (mem.program().base() >>> 32));
        hw.regWrite(BoardRegisters.STATS_LO, (int) mem.stats().base());
        hw.regWrite(BoardRegisters.STATS_HI, (int) (mem.stats().base() >>> 32));
        hw.start();
        hw.waitDone(100L * layer.expectedCycles() + 1_000_000L, 600_000);
        int status = hw.regRead(BoardRegisters.STATUS);
        if ((status & 4) != 0) {
            throw new IOException(layer.name() + ": the board reported error " + hw.regRead(BoardRegisters.ERROR)
                    + " at program entry " + hw.regRead(BoardRegisters.PC));
        }
        int[] got = ActivationBlock.decodeOutput(hw.memRead(mem.output().base(), ActivationBlock.outputBytes(rows, bus)), 0, rows);
        int slot = MemoryMap.statsSlotBytes(bus);
        long cycles = ByteBuffer.wrap(hw.memRead(mem.stats().base() + slot, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new Run(got, cycles);
    }

    public Manifest manifest() {
        return manifest;
    }

    @Override
    public void close() {
        hw.close();
    }
}
