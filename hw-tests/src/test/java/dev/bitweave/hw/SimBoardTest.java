package dev.bitweave.hw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardError;
import dev.bitweave.runtime.board.BoardException;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.BoardTimeoutException;
import dev.bitweave.runtime.board.SimConfig;
import dev.bitweave.runtime.board.SimLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulated board through the Java API, on the test DMA design at BUS 64 and 512. */
class SimBoardTest {
    private static final SimConfig SMALL = SimConfig.DEFAULT.withMemBytes(4L << 20).withLatency(10);

    private static SimLibrary library(int bus) {
        return bus == 64 ? DmaBoards.bus64() : DmaBoards.bus512();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 512})
    void opensWithTheDesignsIdAndBus(int bus) {
        try (Board board = library(bus).open(SMALL)) {
            assertEquals(BoardRegisters.ID_VALUE, board.regRead(BoardRegisters.ID));
            assertEquals(bus, board.busBits());
            board.regWrite(BoardRegisters.PROG_LO, 0xDEADBEEF);
            board.regWrite(BoardRegisters.PROG_HI, 7);
            assertEquals(0xDEADBEEF, board.regRead(BoardRegisters.PROG_LO));
            assertEquals(7, board.regRead(BoardRegisters.PROG_HI));
        }
    }

    @Test
    void memoryRoundTripHonoursOffsets() {
        try (Board board = library(64).open(SMALL)) {
            byte[] src = random(10_000, 1);
            board.memWrite(12_345, src, 100, 9_000);
            byte[] dst = new byte[9_500];
            board.memRead(12_345, dst, 500, 9_000);
            assertArrayEquals(Arrays.copyOfRange(src, 100, 9_100), Arrays.copyOfRange(dst, 500, 9_500));
            assertArrayEquals(new byte[500], Arrays.copyOf(dst, 500), "bytes before off untouched");
            assertArrayEquals(new byte[1], board.memRead(12_344, 1), "byte before the write untouched");
            board.memWrite(4L << 20, new byte[0]);  // empty access at the very end is fine
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 512})
    void dmaCopiesBytesExactly(int bus) {
        int beat = bus / 8;
        int burst = 16;
        int len = 256 * 1024;
        long src = 0x10000;
        long dst = 0x100000 + 64L * beat;  // a burst-aligned but not 4 KiB aligned destination for BUS 64
        try (Board board = library(bus).open(SMALL)) {
            byte[] data = random(len, bus);
            board.memWrite(src, data);
            new Dma(board).copy(src, dst, len, burst);
            assertArrayEquals(data, board.memRead(dst, len));
            assertArrayEquals(new byte[beat], board.memRead(dst - beat, beat), "nothing written before dst");
            assertArrayEquals(new byte[beat], board.memRead(dst + len, beat), "nothing written after the end");
            assertArrayEquals(data, board.memRead(src, len), "source intact");
        }
    }

    /**
     * Reads alone are exact: the start pulse takes a cycle, the AR goes out in the next, the
     * first beat comes latency cycles after that and then one beat every period =
     * (BUS/8) / bytes_per_cycle cycles; the cycle after the last beat raises done.
     */
    @ParameterizedTest
    @ValueSource(ints = {64, 512})
    void readCyclesFollowLatencyAndBandwidth(int bus) {
        int beat = bus / 8;
        int beats = 512;
        for (int latency : new int[] {1, 7, 40}) {
            for (int period : new int[] {1, 2, 3, 4}) {
                SimConfig config = SMALL.withLatency(latency).withBytesPerCycle((double) beat / period);
                try (Board board = library(bus).open(config)) {
                    long cycles = new Dma(board).read(0, beats * beat, 16);
                    assertEquals(3 + latency + (long) period * (beats - 1), cycles,
                            "latency " + latency + ", period " + period);
                }
            }
        }
    }

    /** With one burst in flight, each burst's AR waits for the cycle after the previous burst's last beat. */
    @Test
    void oneOutstandingBurstSerialisesRequests() {
        int beat = 8;
        int burst = 16;
        int bursts = 8;
        int latency = 20;
        for (int period : new int[] {1, 2}) {
            SimConfig config = SMALL.withLatency(latency).withMaxOutstanding(1).withBytesPerCycle((double) beat / period);
            try (Board board = library(64).open(config)) {
                long cycles = new Dma(board).read(0, bursts * burst * beat, burst);
                assertEquals(2 + bursts * (latency + period * (burst - 1) + 1L), cycles, "period " + period);
            }
        }
    }

    @Test
    void copyCyclesAreDeterministicAndScaleWithBandwidth() {
        int len = 128 * 1024;
        long full;
        long half;
        try (Board board = library(512).open(SMALL)) {
            Dma dma = new Dma(board);
            full = dma.copy(0, 0x200000, len, 16);
            assertEquals(full, dma.copy(0, 0x200000, len, 16), "same board, same run, same cycles");
        }
        try (Board board = library(512).open(SMALL)) {
            assertEquals(full, new Dma(board).copy(0, 0x200000, len, 16), "fresh board, same cycles");
        }
        try (Board board = library(512).open(SMALL.withBytesPerCycle(32))) {
            half = new Dma(board).copy(0, 0x200000, len, 16);
        }
        double ratio = (double) half / full;
        assertTrue(ratio > 1.9 && ratio < 2.1, "half bandwidth: " + half + " vs " + full + " cycles");
    }

    @Test
    void timeoutNamesThePcAndSoftResetRecovers() {
        try (Board board = library(64).open(SMALL)) {
            byte[] data = random(4096, 3);
            board.memWrite(0, data);
            Dma dma = new Dma(board);
            dma.start(0, 0x8000, 4096, 16, Dma.MODE_HANG);
            BoardTimeoutException byCycles = assertThrows(BoardTimeoutException.class, () -> board.waitDone(5_000, 0));
            assertTrue(byCycles.getMessage().contains("not done after 5000 cycles"), byCycles.getMessage());
            assertTrue(byCycles.getMessage().contains("PC=512"), byCycles.getMessage());  // all 512 beats read
            assertTrue(byCycles.getMessage().contains("STATUS=0x1"), byCycles.getMessage());
            BoardTimeoutException byTime = assertThrows(BoardTimeoutException.class, () -> board.waitDone(0, 100));
            assertTrue(byTime.getMessage().contains("not done after 100 ms"), byTime.getMessage());

            board.softReset();
            assertEquals(0, board.regRead(BoardRegisters.STATUS));
            dma.copy(0, 0x10000, 4096, 16);
            assertArrayEquals(data, board.memRead(0x10000, 4096));
        }
    }

    /** A soft reset in mid-transfer drops the bursts in flight: none of them leaks into the next run. */
    @Test
    void softResetMidTransferDropsItsBursts() {
        try (Board board = library(64).open(SMALL.withLatency(50))) {
            byte[] data = random(65536, 7);
            board.memWrite(0, data);
            Dma dma = new Dma(board);
            dma.start(0, 0x20000, 65536, 16, 0);
            assertThrows(BoardTimeoutException.class, () -> board.waitDone(300, 0));
            board.regWrite(BoardRegisters.CONTROL, BoardRegisters.CONTROL_SOFT_RESET);  // same as softReset()
            board.memWrite(0x20000, new byte[65536]);
            dma.copy(0, 0x40000, 4096, 16);
            assertArrayEquals(Arrays.copyOf(data, 4096), board.memRead(0x40000, 4096));
            assertArrayEquals(new byte[65536], board.memRead(0x20000, 65536), "the aborted run wrote nothing after reset");
        }
    }

    @Test
    void missingLibraryIsABoardError(@TempDir Path dir) {
        BoardException e = assertThrows(BoardException.class, () -> Board.open(dir.resolve("libnone.so"), ""));
        assertEquals(BoardError.IO, e.error());
        assertTrue(e.getMessage().contains("cannot load the board library"), e.getMessage());
    }

    @Test
    void hostAccessOutsideMemoryIsAnError() {
        try (Board board = library(64).open(SMALL.withMemBytes(1 << 20))) {
            BoardException write = assertThrows(BoardException.class, () -> board.memWrite((1 << 20) - 2, new byte[4]));
            assertEquals(BoardError.RANGE, write.error());
            assertTrue(write.getMessage().contains("memory write of 4 bytes at 0xffffe is outside board memory (1048576 bytes)"),
                    write.getMessage());
            BoardException read = assertThrows(BoardException.class, () -> board.memRead(-8L, 16));
            assertEquals(BoardError.RANGE, read.error());
            assertEquals(BoardError.ARGUMENT,
                    assertThrows(BoardException.class, () -> board.regRead(0x3)).error());
            board.memWrite(0, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, board.memRead(0, 3), "board still works");
        }
    }

    @Test
    void kernelAccessOutsideMemoryFaultsUntilSoftReset() {
        try (Board board = library(64).open(SMALL.withMemBytes(1 << 20))) {
            Dma dma = new Dma(board);
            long src = (1 << 20) - 4096;
            BoardException e = assertThrows(BoardException.class, () -> dma.copy(src, 0, 8192, 16));
            assertEquals(BoardError.BUS, e.error());
            assertTrue(e.getMessage().contains("read burst at 0x100000 (16 beats of 8 bytes) is outside board memory"),
                    e.getMessage());
            BoardException again = assertThrows(BoardException.class, board::start);
            assertTrue(again.getMessage().contains("soft reset first"), again.getMessage());

            board.softReset();
            byte[] data = random(4096, 4);
            board.memWrite(src, data);
            dma.copy(src, 0, 4096, 16);
            assertArrayEquals(data, board.memRead(0, 4096));
        }
    }

    @Test
    void misalignedAndBoundaryCrossingBurstsAreFaults() {
        try (Board board = library(512).open(SMALL)) {
            BoardException e = assertThrows(BoardException.class, () -> new Dma(board).copy(0x1008, 0x8000, 1024, 16));
            assertTrue(e.getMessage().contains("read burst at 0x1008 (16 beats of 64 bytes) is not aligned"), e.getMessage());
        }
        try (Board board = library(64).open(SMALL)) {
            BoardException e = assertThrows(BoardException.class, () -> new Dma(board).copy(0, 0x0FC0, 128, 16));
            assertEquals(BoardError.BUS, e.error());
            assertTrue(e.getMessage().contains("write burst at 0xfc0 (16 beats of 8 bytes) crosses a 4 KiB boundary"),
                    e.getMessage());
        }
    }

    @Test
    void kernelErrorIsReported() {
        try (Board board = library(64).open(SMALL)) {
            BoardException e = assertThrows(BoardException.class, () -> new Dma(board).copy(0, 0x8000, 1024, 0));
            assertEquals(BoardError.DEVICE, e.error());
            assertTrue(e.getMessage().contains("kernel error: STATUS=0x6, ERROR=2"), e.getMessage());
        }
    }

    @Test
    void badConfigIsRefusedWithItsReason() {
        Path lib = library(64).library();
        BoardException unknown = assertThrows(BoardException.class, () -> Board.open(lib, "latency=3;lateny=4"));
        assertEquals(BoardError.CONFIG, unknown.error());
        assertTrue(unknown.getMessage().contains("unknown config key 'lateny'"), unknown.getMessage());
        BoardException zero = assertThrows(BoardException.class, () -> Board.open(lib, "latency=0"));
        assertTrue(zero.getMessage().contains("latency='0'"), zero.getMessage());
        BoardException bus = assertThrows(BoardException.class, () -> Board.open(lib, "mem_size=1M; bus=512"));
        assertTrue(bus.getMessage().contains("config says bus=512 but the design reports BUS=64"), bus.getMessage());
        try (Board board = Board.open(lib, " mem_size = 1M ; bus=64 ;")) {
            assertEquals(64, board.busBits());
        }
    }

    @Test
    void traceWritesAnFstFile(@TempDir Path dir) throws Exception {
        Path fst = dir.resolve("dma.fst");
        try (Board board = library(64).open(SMALL.withTrace(fst))) {
            new Dma(board).copy(0, 0x8000, 1024, 16);
        }
        assertTrue(Files.size(fst) > 100, "FST written: " + Files.size(fst) + " bytes");
        BoardException e = assertThrows(BoardException.class, () -> library(512).open(SMALL.withTrace(fst)));
        assertEquals(BoardError.UNSUPPORTED, e.error());
        assertTrue(e.getMessage().contains("built without tracing"), e.getMessage());
    }

    /** Both libraries define Vbitweave_top; each must keep calling its own (RTLD_LOCAL, hidden symbols). */
    @Test
    void twoDesignsRunSideBySide() {
        try (Board narrow = library(64).open(SMALL); Board wide = library(512).open(SMALL)) {
            byte[] a = random(8192, 5);
            byte[] b = random(8192, 6);
            narrow.memWrite(0, a);
            wide.memWrite(0, b);
            new Dma(narrow).start(0, 0x10000, 8192, 16, 0);
            new Dma(wide).start(0, 0x10000, 8192, 16, 0);
            narrow.waitDone(1_000_000, 10_000);
            wide.waitDone(1_000_000, 10_000);
            assertArrayEquals(a, narrow.memRead(0x10000, 8192));
            assertArrayEquals(b, wide.memRead(0x10000, 8192));
            assertEquals(64, narrow.busBits());
            assertEquals(512, wide.busBits());
        }
    }

    @Test
    void closedBoardRefusesCalls() {
        Board board = library(64).open(SMALL);
        board.close();
        board.close();
        assertThrows(IllegalStateException.class, board::cycles);
    }
}
