package dev.bitweave.hw.decoder;

import dev.bitweave.backend.rtl.RtlGenerator;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.SimBoardBuilder;
import dev.bitweave.runtime.board.SimConfig;
import dev.bitweave.runtime.board.SimLibrary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated board running the decoder units one program at a time, for unit tests: the same
 * Verilog the hw-tests overlays compile (so the Verilator build is shared through the cache),
 * memory the test fills, and helpers to move VRF vectors and the activation buffer in and out
 * with LOAD_VEC, STORE_VEC and STORE_ACT.
 */
public final class UnitBench implements AutoCloseable {
    /** Board memory layout of the bench: program, stats, a scratch area for readbacks, then test data. */
    static final long PROGRAM = 0x0, STATS = 0x1_0000, SCRATCH = 0x2_0000, DATA = 0x10_0000;
    static final long MEM_BYTES = 64L << 20;

    private static final Map<Integer, SimLibrary> LIBRARIES = new ConcurrentHashMap<>();
    private static final Map<Integer, SimLibrary> ADAPTIVE = new ConcurrentHashMap<>();

    private final Board hw;
    private final int bus;
    private long lastCycles;

    private UnitBench(Board hw, int bus) {
        this.hw = hw;
        this.bus = bus;
    }

    /** A fresh board (zeroed memory) with latency 36 cycles and one beat per cycle. */
    public static UnitBench open(int bus) {
        SimLibrary lib = LIBRARIES.computeIfAbsent(bus, b -> build(b, Overlays.DECODER));
        return new UnitBench(lib.open(SimConfig.DEFAULT.withMemBytes(MEM_BYTES).withLatency(36).withBytesPerCycle(bus / 8.0)), bus);
    }

    /** As {@link #open(int)}, on units generated with token-adaptive activation widths. */
    public static UnitBench openAdaptive(int bus) {
        SimLibrary lib = ADAPTIVE.computeIfAbsent(bus, b -> build(b, Overlays.DECODER.withAdaptiveActivations()));
        return new UnitBench(lib.open(SimConfig.DEFAULT.withMemBytes(MEM_BYTES).withLatency(36).withBytesPerCycle(bus / 8.0)), bus);
    }

    /** The simulated board library UnitBench runs (the hw-tests decoder overlay at this bus width), built once per JVM. */
    public static SimLibrary library(int bus) {
        return LIBRARIES.computeIfAbsent(bus, b -> build(b, Overlays.DECODER));
    }

    private static SimLibrary build(int bus, dev.bitweave.backend.rtl.DecoderShape decoder) {
        try {
            Path dir = Files.createTempDirectory("bitweave-unitbench-" + bus + "-");
            dir.toFile().deleteOnExit();
            for (var e : RtlGenerator.generate(Overlays.overlay(bus), decoder).entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.writeString(f, e.getValue());
                f.toFile().deleteOnExit();
            }
            return SimBoardBuilder.forRtl(dir).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int bus() {
        return bus;
    }

    public Board board() {
        return hw;
    }

    public void mem(long addr, byte[] data) {
        hw.memWrite(addr, data);
    }

    public byte[] mem(long addr, int len) {
        return hw.memRead(addr, len);
    }

    public void token(int t) {
        hw.regWrite(BoardRegisters.TOKEN, t);
    }

    public void pos(int p) {
        hw.regWrite(BoardRegisters.POS, p);
    }

    /** Cycles of the last program, from start to done (all entries, END included). */
    public long lastCycles() {
        return lastCycles;
    }

    /**
     * Runs the entries, then END. Returns the cycles of each entry (from the STATS area).
     *
     * @throws IllegalStateException when the board reports an error, naming the entry
     */
    public long[] run(List<? extends ProgramImage.Entry> entries) {
        List<ProgramImage.Entry> program = new ArrayList<>(entries);
        program.add(new ProgramImage.End());
        hw.memWrite(PROGRAM, ProgramImage.encode(program));
        hw.regWrite(BoardRegisters.PROG_LO, (int) PROGRAM);
        hw.regWrite(BoardRegisters.PROG_HI, 0);
        hw.regWrite(BoardRegisters.STATS_LO, (int) STATS);
        hw.regWrite(BoardRegisters.STATS_HI, 0);
        long before = hw.cycles();
        hw.start();
        hw.waitDone(200_000_000L, 600_000);
        lastCycles = hw.cycles() - before;
        int status = hw.regRead(BoardRegisters.STATUS);
        if ((status & 4) != 0) {
            throw new IllegalStateException("board error " + hw.regRead(BoardRegisters.ERROR) + " at entry "
                    + hw.regRead(BoardRegisters.PC) + " of " + program);
        }
        int slot = Math.max(8, bus / 8);
        ByteBuffer b = ByteBuffer.wrap(hw.memRead(STATS, slot * entries.size())).order(ByteOrder.LITTLE_ENDIAN);
        long[] cycles = new long[entries.size()];
        for (int i = 0; i < cycles.length; i++) cycles[i] = b.getLong(i * slot);
        return cycles;
    }

    public long[] run(ProgramImage.Entry... entries) {
        return run(List.of(entries));
    }

    /** Writes v to VRF words [dst, dst + n) through LOAD_VEC (dst a multiple of BUS/32). */
    public void loadVec(int dst, int[] v) {
        hw.memWrite(SCRATCH, ints(v));
        run(DecoderOps.loadVec(v.length, SCRATCH, dst));
    }

    /** VRF words [src, src + n) through STORE_VEC (src a multiple of BUS/32). */
    public int[] vec(int src, int n) {
        run(new ProgramImage.StoreVec(n, SCRATCH, src));
        ByteBuffer b = ByteBuffer.wrap(hw.memRead(SCRATCH, 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = b.getInt();
        return out;
    }

    /** The activation buffer's first n codes and its step, through STORE_ACT. */
    public QuantizedVector act(int n) {
        run(DecoderOps.storeAct(n, SCRATCH));
        ByteBuffer b = ByteBuffer.wrap(hw.memRead(SCRATCH, 64 + n)).order(ByteOrder.LITTLE_ENDIAN);
        long mant = b.getInt(0) & 0xFFFF_FFFFL;
        int exp = b.getInt(4);
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = b.get(64 + i);
        return new QuantizedVector(codes, mant == 0 ? Scale.ZERO : new Scale(mant, exp));
    }

    public static byte[] ints(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    @Override
    public void close() {
        hw.close();
    }
}
