package dev.bitweave.hw.hls;

import dev.bitweave.hw.decoder.UnitBench;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.pack.ActivationBlock;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.pack.HardwareParams;
import dev.bitweave.pack.LayerRegion;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.pack.LinearShape;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.pack.WeightImagePacker;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardException;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.Drivers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HLS kernel behind the csim driver against the RTL on the simulated board, program by
 * program through the board ABI: the same programs leave the same bytes in memory and the same
 * PC, ERROR, ARGMAX and ARGMAX_VALUE, for the ops the decode step does not exercise (LOAD_VEC,
 * STORE_VEC, LOAD_ACT, STORE_ACT, QUANT, the argmax of an accumulating LINEAR, MEM_BASE) and for
 * the errors (unknown op, bad field, a cached program that runs past PROG_LEN). The csim driver
 * speaks to the kernel through Vitis's register file and the real drivers' KernelView (design=hls),
 * with its buffer at bus address 1 MiB, so MEM_BASE is never 0 there.
 */
class CsimDriverTest {
    private static final long PROGRAM = 0x0, STATS = 0x1_0000, DATA = 0x10_0000, OUT = 0x20_0000, WEIGHTS = 0x30_0000;
    private static final long MEM = 64L << 20;

    /** What a program run leaves: registers and the output area. */
    private record Outcome(int pc, int error, int argmax, int argmaxValue, boolean failed, byte[] out) {
    }

    /** base: MEM_BASE, written here on the RTL board; the csim driver owns MEM_BASE (its buffer's bus address) and gets 0. */
    private static Outcome run(Board hw, List<ProgramImage.Entry> program, int progLen, long base, byte[] data, byte[] weights) {
        hw.memWrite(base + DATA, data);
        if (weights != null) hw.memWrite(base + WEIGHTS, weights);
        hw.memWrite(base + OUT, new byte[4096]);
        hw.memWrite(base + PROGRAM, ProgramImage.encode(program));
        hw.regWrite(BoardRegisters.PROG_LO, (int) PROGRAM);
        hw.regWrite(BoardRegisters.STATS_LO, (int) STATS);
        hw.regWrite(BoardRegisters.PROG_LEN, progLen);
        if (base != 0) hw.regWrite(BoardRegisters.MEM_BASE_LO, (int) base);
        hw.start();
        boolean failed = false;
        try {
            hw.waitDone(50_000_000L, 600_000);
        } catch (BoardException e) {
            failed = true;
        }
        return new Outcome(hw.regRead(BoardRegisters.PC), hw.regRead(BoardRegisters.ERROR), hw.regRead(BoardRegisters.ARGMAX),
                hw.regRead(BoardRegisters.ARGMAX_VALUE), failed, hw.memRead(base + OUT, 4096));
    }

    private static byte[] ints(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void csimDriverMatchesTheSimulatedRtl(int bus) throws Exception {
        Path build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), bus == 128 ? Overlays.KV260 : Overlays.U280);
        Random r = new Random(bus);
        int n = 172;
        int[] x = new int[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(1 << 24) - (1 << 23);
        QuantizedVector q = ActivationQuantizer.quantizeFx(x, 8);
        byte[] block = ActivationBlock.encode(q, bus);
        byte[] data = new byte[0x8000];
        System.arraycopy(ints(x), 0, data, 0, 4 * n);
        System.arraycopy(block, 0, data, 0x4000, block.length);

        int rows = 37, cols = 64;
        byte[] codes = new byte[rows * cols];
        for (int i = 0; i < codes.length; i++) codes[i] = (byte) (r.nextInt(255) - 127);
        int[] mult = new int[rows];
        int[] exp = new int[rows];
        java.util.Arrays.fill(mult, 1);
        java.util.Arrays.fill(exp, -8);
        QuantTensor t = new QuantTensor("w", rows, cols, new WeightSpec(ElementFormat.INT, 8, true, cols, ScaleEncoding.POW2, 0),
                codes, mult, exp, null);
        LinearLayout layout = new HardwareParams(bus, List.of(8), 2048, 16 * bus).layout(LinearShape.of(t));
        byte[] region = WeightImagePacker.packRegion(t, layout, bus);
        ProgramImage.Linear op = ProgramImage.Linear.of(new LayerRegion("w", WEIGHTS, region.length, layout));

        ProgramImage.Entry end = new ProgramImage.End();
        List<List<ProgramImage.Entry>> programs = new ArrayList<>();
        // vectors: LOAD_VEC, QUANT into ACT, STORE_ACT, STORE_VEC
        programs.add(List.of(DecoderOps.loadVec(n, DATA, 0), DecoderOps.quant(n, 0, 6), DecoderOps.storeAct(n, OUT),
                new ProgramImage.StoreVec(n, OUT + 1024, 0), end));
        // LOAD_ACT, a LINEAR into x, then one accumulating into it with the argmax, STORE_VEC
        programs.add(List.of(DecoderOps.loadVec(n, DATA, 0), new ProgramImage.LoadAct(cols, DATA + 0x4000),
                new ProgramImage.LinearTo(op, 256, true), new ProgramImage.LinearTo(op, 0, true, true),
                new ProgramImage.StoreVec(rows, OUT, 0), new ProgramImage.StoreVec(rows, OUT + 1024, 256), end));
        // errors: an unknown op, a bad field (QUANT at 9 bits), no END in a cached program
        int[] unknown = new int[16];
        unknown[0] = 11;
        programs.add(List.of(DecoderOps.loadVec(n, DATA, 0), new ProgramImage.UnitOp(unknown), end));
        int[] nineBits = DecoderOps.quant(n, 0, 8).words();
        nineBits[7] = 9;
        programs.add(List.of(DecoderOps.loadVec(n, DATA, 0), new ProgramImage.UnitOp(nineBits), end));
        programs.add(List.of(DecoderOps.loadVec(n, DATA, 0), new ProgramImage.StoreVec(n, OUT, 0)));

        try (UnitBench sim = UnitBench.open(bus);
             Board csim = Drivers.create().progress(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                     .open(Drivers.Kind.CSIM, build.resolve("rtl"), "mem_bytes=" + MEM)) {
            assertEquals(sim.board().regRead(BoardRegisters.PARAMS), csim.regRead(BoardRegisters.PARAMS), "PARAMS");
            assertEquals(sim.board().regRead(BoardRegisters.ID), csim.regRead(BoardRegisters.ID), "ID");
            for (int i = 0; i < programs.size(); i++) {
                List<ProgramImage.Entry> p = programs.get(i);
                int progLen = i == programs.size() - 1 ? p.size() : 0;
                long base = i == 1 ? 8L << 20 : 0;  // one program through MEM_BASE
                Outcome want = run(sim.board(), p, progLen, base, data, region);
                Outcome got = run(csim, p, progLen, 0, data, region);
                assertEquals(want.failed(), got.failed(), "program " + i + " failed");
                assertEquals(want.pc(), got.pc(), "program " + i + " PC");
                assertEquals(want.error(), got.error(), "program " + i + " ERROR");
                assertEquals(want.argmax(), got.argmax(), "program " + i + " ARGMAX");
                assertEquals(want.argmaxValue(), got.argmaxValue(), "program " + i + " ARGMAX_VALUE");
                assertArrayEquals(want.out(), got.out(), "program " + i + " output");
                sim.board().softReset();
                sim.board().regWrite(BoardRegisters.MEM_BASE_LO, 0);
            }
            // Vitis's ap_ctrl_hs block has no soft reset: the driver says so instead of pretending
            BoardException e = assertThrows(BoardException.class, csim::softReset);
            assertTrue(e.getMessage().contains("no soft reset"), e.getMessage());
        }
    }
}
