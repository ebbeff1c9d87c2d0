package dev.bitweave.hw.zynq;

import dev.bitweave.hw.decoder.UnitBench;
import dev.bitweave.numerics.Fixed;
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
 * and the results must equal the same program on the simulated board used directly.
 */
class ZynqFakeDeviceTest {
    static final int BUS = 128;
    /** The buffer's bus address: not 0, so a missing translation shows. */
    static final long PHYS = 0x0100_0000L;
    static final int MEM = 4 << 20;
    /** Offsets in the buffer. */
    static final long PROG = 0x0, X = 0x10_0000, Y = 0x10_4000, OUT = 0x10_8000, STATS = 0x20_0000;
    static final int N = 172;

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

    static Board simBoard() {
        return sim().open(SimConfig.DEFAULT.withMemBytes(PHYS + MEM).withLatency(36).withBytesPerCycle(BUS / 8.0));
    }

    String files() throws IOException {
        Files.write(dir.resolve("uio0"), new byte[4096]);
        Files.write(dir.resolve("udmabuf0"), new byte[MEM]);
        return "uio=" + dir.resolve("uio0") + ";mem=" + dir.resolve("udmabuf0") + ";phys=" + PHYS + ";poll_us=50";
    }

    /** x + y, saturated, stored at OUT; addresses inside the program are bus addresses. */
    static byte[] addProgram() {
        return ProgramImage.encode(List.of(DecoderOps.loadVec(N, PHYS + X, 0), DecoderOps.loadVec(N, PHYS + Y, 2048),
                DecoderOps.add(N, 0, 2048), new ProgramImage.StoreVec(N, PHYS + OUT, 0), new ProgramImage.End()));
    }

    record Result(byte[] out, byte[] stats, int pc, long cycles) {
    }

    /** Runs the add program through board, whose memory addresses are offset + base. */
    static Result runAdd(Board b, long base, int[] x, int[] y) {
        b.memWrite(base + PROG, addProgram());
        b.memWrite(base + X, UnitBench.ints(x));
        b.memWrite(base + Y, UnitBench.ints(y));
        b.memWrite(base + OUT, new byte[4 * N]);
        b.regWrite(BoardRegisters.PROG_LO, (int) (base + PROG));
        b.regWrite(BoardRegisters.PROG_HI, (int) ((base + PROG) >>> 32));
        b.regWrite(BoardRegisters.STATS_LO, (int) (base + STATS));
        b.regWrite(BoardRegisters.STATS_HI, (int) ((base + STATS) >>> 32));
        b.start();
        b.waitDone(0, 60_000);
        long cycles = (b.regRead(BoardRegisters.CYCLES_LO) & 0xFFFF_FFFFL) | (long) b.regRead(BoardRegisters.CYCLES_HI) << 32;
        return new Result(b.memRead(base + OUT, 4 * N), b.memRead(base + STATS, 5 * 16), b.regRead(BoardRegisters.PC), cycles);
    }

    static int[] random(Random r) {
        int[] v = new int[N];
        for (int i = 0; i < N; i++) v[i] = r.nextInt(4) == 0 ? Integer.MAX_VALUE - r.nextInt(3) : r.nextInt();
        return v;
    }

    static byte[] expectedSum(int[] x, int[] y) {
        int[] s = new int[N];
        for (int i = 0; i < N; i++) s[i] = Fixed.sat32((long) x[i] + y[i]);
        return UnitBench.ints(s);
    }

    @Test
    void programsThroughTheZynqDriverMatchTheSimulatedBoard() throws IOException {
        Random r = new Random(6);
        String config = files();
        try (Board device = simBoard(); Board reference = simBoard();
             FakeZynqDevice fake = new FakeZynqDevice(device, dir.resolve("uio0"), dir.resolve("udmabuf0"), PHYS, MEM);
             Board board = Board.open(zynq, config)) {
            assertEquals(BUS, board.busBits(), "PARAMS through the register window");
            for (int run = 0; run < 3; run++) {
                int[] x = random(r), y = random(r);
                Result viaDriver = runAdd(board, 0, x, y);  // board addresses: offsets in the buffer
                Result direct = runAdd(reference, PHYS, x, y);  // the same bytes at their bus addresses
                assertArrayEquals(expectedSum(x, y), viaDriver.out(), "run " + run);
                assertArrayEquals(direct.out(), viaDriver.out(), "run " + run);
                assertArrayEquals(direct.stats(), viaDriver.stats(), "per-entry cycles, run " + run);
                assertEquals(direct.pc(), viaDriver.pc());
                assertEquals(direct.cycles(), viaDriver.cycles(), "CYCLES register");
                assertTrue(viaDriver.cycles() > 0);
                // The address registers hold bus addresses on the kernel's side, offsets on the host's.
                assertEquals((int) (PHYS + STATS), device.regRead(BoardRegisters.STATS_LO));
                assertEquals((int) STATS, board.regRead(BoardRegisters.STATS_LO));
            }
            assertEquals(3, fake.starts());
            assertNull(fake.busFault());
        }
    }

    @Test
    void aKernelErrorIsReportedWithErrorAndPc() throws IOException {
        String config = files();
        try (Board device = simBoard();
             FakeZynqDevice fake = new FakeZynqDevice(device, dir.resolve("uio0"), dir.resolve("udmabuf0"), PHYS, MEM);
             Board board = Board.open(zynq, config)) {
            int[] bad = new int[16];
            bad[0] = 0xEE;  // no such op
            board.memWrite(PROG, ProgramImage.encode(List.of(DecoderOps.loadVec(4, PHYS + X, 0),
                    new ProgramImage.UnitOp(bad), new ProgramImage.End())));
            board.regWrite(BoardRegisters.PROG_LO, (int) PROG);
            board.regWrite(BoardRegisters.STATS_LO, (int) STATS);
            board.start();
            BoardException e = assertThrows(BoardException.class, () -> board.waitDone(0, 60_000));
            assertEquals(BoardError.DEVICE, e.error());
            assertTrue(e.getMessage().contains("ERROR 1 (unknown op), at program entry PC 1"), e.getMessage());
            // A soft reset clears the error and the board runs again.
            board.softReset();
            Random r = new Random(1);
            int[] x = random(r), y = random(r);
            assertArrayEquals(expectedSum(x, y), runAdd(board, 0, x, y).out());
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
            for (int i = 0; i < 16_000; i++) longProgram.add(new ProgramImage.StoreVec(768, PHYS + OUT, 0));
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
            Random r = new Random(2);
            int[] x = random(r), y = random(r);
            assertArrayEquals(expectedSum(x, y), runAdd(board, 0, x, y).out(), "runs correctly after the reset");
            assertNull(fake.busFault());
        }
    }
}
