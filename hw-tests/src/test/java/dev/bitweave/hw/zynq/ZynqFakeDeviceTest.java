package dev.bitweave.hw.zynq;

import dev.bitweave.hw.decoder.UnitBench;
import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.pack.ActivationBlock;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardError;
import dev.bitweave.runtime.board.BoardException;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.BoardTimeoutException;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.runtime.board.SimConfig;
import dev.bitweave.runtime.board.SimLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zynq driver running real programs: the driver maps two plain files as its register window
 * and DMA buffer, {@link FakeZynqDevice} drives them with the decoder overlay's simulated board,
 * and the results must equal the same program on the simulated board used directly, and what
 * Java computes. Programs are built with offsets in board memory, as {@code compile} builds
 * program.img; the buffer sits at bus address {@link #PHYS}, and MEM_BASE, which the driver
 * writes, is what makes the kernel find it.
 */
class ZynqFakeDeviceTest {
    static final int BUS = 128;
    /** The buffer's bus address: not 0, so a kernel that ignored MEM_BASE would miss the buffer. */
    static final long PHYS = 0x0100_0000L;
    static final int MEM = 4 << 20;
    /** Offsets in board memory (the buffer). */
    static final long PROG = 0x0, X = 0x10_0000, Y = 0x10_4000, OUT = 0x10_8000, ACT = 0x10_C000, STATS = 0x20_0000;
    static final int N = 172;
    /** Activation width of the program's QUANT. */
    static final int BITS = 6;
    /** Entries of {@link #program()}, END included: each gets a stats slot of BUS/8 bytes. */
    static final int ENTRIES = 6;

    static SimLibrary sim;
    static Path zynq;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() throws IOException {
        sim = UnitBench.library(BUS);
        zynq = Drivers.create().zynqLibrary();
    }

    static SimLibrary sim() {
        return UnitBench.library(BUS);
    }

    /** The simulated board standing for the bus: memory from 0 to PHYS + MEM, MEM_BASE 0. */
    static Board simBoard() {
        return sim().open(SimConfig.DEFAULT.withMemBytes(PHYS + MEM).withLatency(36).withBytesPerCycle(BUS / 8.0));
    }

    /** The simulated board used directly, with MEM_BASE set by hand to base. */
    static Board simBoardAt(long base) {
        Board b = simBoard();
        b.regWrite(BoardRegisters.MEM_BASE_LO, (int) base);
        b.regWrite(BoardRegisters.MEM_BASE_HI, (int) (base >>> 32));
        return b;
    }

    String files() throws IOException {
        Files.write(dir.resolve("uio0"), new byte[4096]);
        Files.write(dir.resolve("udmabuf0"), new byte[MEM]);
        return "uio=" + dir.resolve("uio0") + ";mem=" + dir.resolve("udmabuf0") + ";phys=" + PHYS + ";poll_us=50";
    }

    /**
     * x into the VRF and back out with STORE_VEC at OUT; y into the VRF, quantized by QUANT and
     * stored with STORE_ACT at ACT. Every address in it is an offset in board memory.
     */
    static byte[] program() {
        return ProgramImage.encode(List.of(DecoderOps.loadVec(N, X, 0), DecoderOps.loadVec(N, Y, 2048),
                DecoderOps.quant(N, 2048, BITS), DecoderOps.storeAct(N, ACT), new ProgramImage.StoreVec(N, OUT, 0),
                new ProgramImage.End()));
    }

    record Result(byte[] out, byte[] act, byte[] stats, int pc, long cycles) {
    }

    /**
     * Runs {@link #program()} on b. {@code at} is where board memory starts in b's own addresses:
     * 0 through a driver (its addresses are offsets in the buffer), the buffer's bus address on the
     * simulated board used directly. PROG and STATS are offsets either way.
     */
    static Result run(Board b, long at, int[] x, int[] y) {
        b.memWrite(at + PROG, program());
        b.memWrite(at + X, UnitBench.ints(x));
        b.memWrite(at + Y, UnitBench.ints(y));
        b.memWrite(at + OUT, new byte[ActivationBlock.outputBytes(N, BUS)]);
        b.memWrite(at + ACT, new byte[ActivationBlock.bytes(N, BUS)]);
        b.memWrite(at + STATS, new byte[ENTRIES * BUS / 8]);
        b.regWrite(BoardRegisters.PROG_LO, (int) PROG);
        b.regWrite(BoardRegisters.PROG_HI, 0);
        b.regWrite(BoardRegisters.STATS_LO, (int) STATS);
        b.regWrite(BoardRegisters.STATS_HI, 0);
        b.start();
        b.waitDone(0, 60_000);
        long cycles = (b.regRead(BoardRegisters.CYCLES_LO) & 0xFFFF_FFFFL) | (long) b.regRead(BoardRegisters.CYCLES_HI) << 32;
        return new Result(b.memRead(at + OUT, ActivationBlock.outputBytes(N, BUS)),
                b.memRead(at + ACT, ActivationBlock.bytes(N, BUS)), b.memRead(at + STATS, ENTRIES * BUS / 8),
                b.regRead(BoardRegisters.PC), cycles);
    }

    /** fx values of every magnitude, with a few near the int32 limits. */
    static int[] random(Random r) {
        int[] v = new int[N];
        for (int i = 0; i < N; i++) {
            v[i] = switch (r.nextInt(6)) {
                case 0 -> Integer.MAX_VALUE - r.nextInt(3);
                case 1 -> Integer.MIN_VALUE + r.nextInt(3);
                default -> r.nextInt(1 << (1 + r.nextInt(30))) - (1 << 20);
            };
        }
        return v;
    }

    /** What Java computes for the program: x unchanged, y quantized by ActivationQuantizer. */
    static void assertComputed(int[] x, int[] y, Result got, String what) {
        assertArrayEquals(x, ActivationBlock.decodeOutput(got.out(), 0, N), what + ": STORE_VEC of x");
        QuantizedVector want = ActivationQuantizer.quantizeFx(y, BITS);
        QuantizedVector act = ActivationBlock.decode(got.act(), 0, N);
        assertArrayEquals(want.codes(), act.codes(), what + ": QUANT codes");
        assertEquals(want.step(), act.step(), what + ": QUANT step");
        assertEquals(ENTRIES - 1, got.pc(), what + ": PC at END");
    }

    static void assertSameRun(Result want, Result got, String what) {
        assertArrayEquals(want.out(), got.out(), what + ": output");
        assertArrayEquals(want.act(), got.act(), what + ": activation block");
        assertArrayEquals(want.stats(), got.stats(), what + ": per-entry cycles");
        assertEquals(want.pc(), got.pc(), what + ": PC");
        assertEquals(want.cycles(), got.cycles(), what + ": CYCLES register");
    }

    @Test
    void programsThroughTheZynqDriverMatchTheSimulatedBoard() throws IOException {
        Random r = new Random(6);
        String config = files();
        try (Board device = simBoard(); Board reference = simBoardAt(PHYS);
             FakeZynqDevice fake = new FakeZynqDevice(device, dir.resolve("uio0"), dir.resolve("udmabuf0"), PHYS, MEM);
             Board board = Board.open(zynq, config)) {
            assertEquals(BUS, board.busBits(), "PARAMS through the register window");
            // The driver wrote the buffer's bus address into MEM_BASE at open, and it reached the kernel.
            assertEquals((int) PHYS, board.regRead(BoardRegisters.MEM_BASE_LO));
            assertEquals(0, board.regRead(BoardRegisters.MEM_BASE_HI));
            for (int run = 0; run < 3; run++) {
                int[] x = random(r), y = random(r);
                Result viaDriver = run(board, 0, x, y);
                Result direct = run(reference, PHYS, x, y);
                assertComputed(x, y, viaDriver, "run " + run);
                assertSameRun(direct, viaDriver, "run " + run);
                assertTrue(viaDriver.cycles() > 0);
                // No translation: the kernel holds the offsets the host wrote, and MEM_BASE.
                assertEquals((int) STATS, device.regRead(BoardRegisters.STATS_LO));
                assertEquals((int) PROG, device.regRead(BoardRegisters.PROG_LO));
                assertEquals((int) PHYS, device.regRead(BoardRegisters.MEM_BASE_LO));
                assertEquals((int) STATS, board.regRead(BoardRegisters.STATS_LO));
            }
            assertEquals(3, fake.starts());
            assertNull(fake.busFault());
        }
    }

    /**
     * The relocation gap, closed: the same program bytes, built with offsets and not relocated,
     * run with the buffer at bus address PHYS and give what they give on a board whose memory
     * starts at bus address 0. The kernel accessed PHYS + offset and nothing below PHYS.
     */
    @Test
    void anUnrelocatedProgramRunsWithTheBufferAtANonzeroBusAddress() throws IOException {
        Random r = new Random(7);
        int[] x = random(r), y = random(r);
        String config = files();
        Result atZero;
        try (Board zeroBased = sim().open(SimConfig.DEFAULT.withMemBytes(MEM).withLatency(36).withBytesPerCycle(BUS / 8.0))) {
            atZero = run(zeroBased, 0, x, y);
        }
        assertComputed(x, y, atZero, "buffer at bus address 0");
        try (Board device = simBoard();
             FakeZynqDevice fake = new FakeZynqDevice(device, dir.resolve("uio0"), dir.resolve("udmabuf0"), PHYS, MEM);
             Board board = Board.open(zynq, config)) {
            Result viaDriver = run(board, 0, x, y);
            assertSameRun(atZero, viaDriver, "buffer at bus address " + Long.toHexString(PHYS));
            byte[] program = program();
            assertArrayEquals(program, board.memRead(PROG, program.length), "the program in the buffer is unmodified");
            // The kernel's accesses went to PHYS + offset: the results are there on the bus, and
            // the same offsets without the base were never touched.
            assertArrayEquals(viaDriver.out(), device.memRead(PHYS + OUT, viaDriver.out().length));
            assertArrayEquals(viaDriver.stats(), device.memRead(PHYS + STATS, viaDriver.stats().length));
            assertArrayEquals(new byte[viaDriver.out().length], device.memRead(OUT, viaDriver.out().length), "OUT without the base");
            assertArrayEquals(new byte[viaDriver.act().length], device.memRead(ACT, viaDriver.act().length), "ACT without the base");
            assertArrayEquals(new byte[viaDriver.stats().length], device.memRead(STATS, viaDriver.stats().length), "STATS without the base");
            assertEquals(1, fake.starts());
            assertNull(fake.busFault());
        }
        // Without MEM_BASE the same bytes at the same bus address do not run: the kernel fetches
        // its program at bus address PROG, below the buffer, finds zeros (END) and writes nothing.
        try (Board noBase = simBoard()) {
            Result missed = run(noBase, PHYS, x, y);
            assertEquals(0, missed.pc());
            assertArrayEquals(new byte[missed.out().length], missed.out(), "no output without MEM_BASE");
        }
    }

    @Test
    void aKernelErrorIsReportedWithErrorAndPc() throws IOException {
        String config = files();
        try (Board device = simBoard();
             FakeZynqDevice fake = new FakeZynqDevice(device, dir.resolve("uio0"), dir.resolve("udmabuf0"), PHYS, MEM);
             Board board = Board.open(zynq, config)) {
            int[] bad = new int[16];
            bad[0] = 11;  // the former ADD, now an unknown op
            board.memWrite(PROG, ProgramImage.encode(List.of(DecoderOps.loadVec(4, X, 0),
                    new ProgramImage.UnitOp(bad), new ProgramImage.End())));
            board.regWrite(BoardRegisters.PROG_LO, (int) PROG);
            board.regWrite(BoardRegisters.STATS_LO, (int) STATS);
            board.start();
            BoardException e = assertThrows(BoardException.class, () -> board.waitDone(0, 60_000));
            assertEquals(BoardError.DEVICE, e.error());
            assertTrue(e.getMessage().contains("ERROR 1 (unknown op), at program entry PC 1"), e.getMessage());
            // A soft reset clears the error, keeps MEM_BASE, and the board runs again.
            board.softReset();
            assertEquals((int) PHYS, device.regRead(BoardRegisters.MEM_BASE_LO), "MEM_BASE survives the soft reset");
            Random r = new Random(1);
            int[] x = random(r), y = random(r);
            assertComputed(x, y, run(board, 0, x, y), "after the soft reset");
            assertEquals(2, fake.starts());
        }
    }

    @Test
    void aLongRunTimesOutAndASoftResetLeavesTheBoardUsable() throws IOException {
        String config = files();
        try (Board device = simBoard();
             FakeZynqDevice fake = new FakeZynqDevice(device, dir.resolve("uio0"), dir.resolve("udmabuf0"), PHYS, MEM);
             Board board = Board.open(zynq, config)) {
            // 16000 STORE_VECs of 768 values: millions of simulated cycles, seconds of simulation.
            List<ProgramImage.Entry> longProgram = new ArrayList<>();
            for (int i = 0; i < 16_000; i++) longProgram.add(new ProgramImage.StoreVec(768, OUT, 0));
            longProgram.add(new ProgramImage.End());
            board.memWrite(PROG, ProgramImage.encode(longProgram));
            board.regWrite(BoardRegisters.PROG_LO, (int) PROG);
            board.regWrite(BoardRegisters.PROG_HI, 0);
            board.regWrite(BoardRegisters.STATS_LO, (int) STATS);
            board.regWrite(BoardRegisters.STATS_HI, 0);
            board.start();
            long t0 = System.nanoTime();
            BoardTimeoutException e = assertThrows(BoardTimeoutException.class, () -> board.waitDone(0, 200));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 200 && ms < 10_000, "waited " + ms + " ms");
            assertTrue(e.getMessage().contains("timed out after") && e.getMessage().contains("STATUS 0x1, PC "),
                    e.getMessage());
            assertEquals(BoardRegisters.STATUS_BUSY, board.regRead(BoardRegisters.STATUS) & 7, "still running");

            board.softReset();
            assertEquals(0, board.regRead(BoardRegisters.STATUS) & 7, "idle after the soft reset");
            assertEquals(0, device.regRead(BoardRegisters.STATUS) & BoardRegisters.STATUS_BUSY, "the kernel stopped");
            assertEquals((int) PHYS, device.regRead(BoardRegisters.MEM_BASE_LO), "MEM_BASE survives the soft reset");
            Random r = new Random(2);
            int[] x = random(r), y = random(r);
            assertComputed(x, y, run(board, 0, x, y), "runs correctly after the reset");
            assertNull(fake.busFault());
        }
    }
}
