package dev.bitweave.runtime.board;

import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zynq driver (bitweave/drivers/zynq/zynq_board.cpp) against plain files standing in for
 * the UIO register window and the DMA buffer, without a kernel behind them: what the driver
 * does on its own (opening, validation, the memory mapping, MEM_BASE, range checks, waiting on
 * STATUS). hw-tests' ZynqFakeDeviceTest runs real programs through it with a simulated kernel.
 */
class ZynqDriverTest {
    static final long PHYS = 0x3000_0000L;
    static final int MEM = 1 << 20;

    static Path library;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() throws IOException {
        library = Drivers.create().zynqLibrary();
    }

    /** A 4 KiB register file with ID and PARAMS set, and a 1 MiB buffer file. */
    String device(int status, int pc) throws IOException {
        ByteBuffer regs = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        regs.putInt(BoardRegisters.ID, BoardRegisters.ID_VALUE);
        regs.putInt(BoardRegisters.PARAMS, 128);
        regs.putInt(BoardRegisters.STATUS, status);
        regs.putInt(BoardRegisters.PC, pc);
        regs.putInt(BoardRegisters.ERROR, 2);
        Files.write(dir.resolve("regs"), regs.array());
        Files.write(dir.resolve("mem"), new byte[MEM]);
        return "uio=" + dir.resolve("regs") + ";mem=" + dir.resolve("mem") + ";phys=" + PHYS + ";poll_us=100";
    }

    int fileInt(String name, int offset) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name))).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }

    /** Writes into the file in place (the driver has it mapped), as the hardware behind a register would. */
    void putFileInt(String name, int offset, int value) throws IOException {
        try (FileChannel c = FileChannel.open(dir.resolve(name), StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
        }
    }

    @Test
    void missingRegisterNodeIsAnIoErrorNamingTheNodeAndWhatToCheck() throws IOException {
        device(0, 0);
        Path missing = dir.resolve("dev/uio7");
        BoardException e = assertThrows(BoardException.class,
                () -> Board.open(library, "uio=" + missing + ";mem=" + dir.resolve("mem") + ";phys=0"));
        assertEquals(BoardError.IO, e.error());
        assertTrue(e.getMessage().contains("device node " + missing + " (register window) not found"), e.getMessage());
        assertTrue(e.getMessage().contains("uio driver is bound"), e.getMessage());
        // Through driver selection it is a user error with the same text.
        BadInputException b = assertThrows(BadInputException.class, () -> Drivers.create().open(Drivers.Kind.ZYNQ, null,
                "uio=" + missing + ";mem=" + dir.resolve("mem") + ";phys=0"));
        assertTrue(b.getMessage().startsWith("zynq driver: "), b.getMessage());
        assertTrue(b.getMessage().contains("device node " + missing), b.getMessage());
    }

    @Test
    void missingBufferNodeSaysToLoadUdmabuf() throws IOException {
        device(0, 0);
        Path missing = dir.resolve("udmabuf0");
        BoardException e = assertThrows(BoardException.class,
                () -> Board.open(library, "uio=" + dir.resolve("regs") + ";mem=" + missing));
        assertEquals(BoardError.IO, e.error());
        assertTrue(e.getMessage().contains("device node " + missing + " (DMA buffer) not found"), e.getMessage());
        assertTrue(e.getMessage().contains("u-dma-buf"), e.getMessage());
    }

    @Test
    void configIsCheckedStrictly() throws IOException {
        String base = device(0, 0);
        for (String[] c : new String[][]{
                {base + ";colour=red", "unknown config key 'colour'"},
                {base + ";phys=1", "given twice"},
                {"uio=" + dir.resolve("regs") + ";mem=" + dir.resolve("mem"), "needs phys="},
                {base + ";mem_size=2M", "larger than the file"},
                {base + ";uio_size=64", "smaller than the bitweave register map"},
                {base.replace("poll_us=100", "poll_us=-3"), "poll_us='-3'"}}) {
            BoardException e = assertThrows(BoardException.class, () -> Board.open(library, c[0]), c[0]);
            assertEquals(BoardError.CONFIG, e.error(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void aDeviceWithoutTheBitweaveIdIsRefused() throws IOException {
        String config = device(0, 0);
        Files.write(dir.resolve("regs"), new byte[4096]);
        BoardException e = assertThrows(BoardException.class, () -> Board.open(library, config));
        assertEquals(BoardError.DEVICE, e.error());
        assertTrue(e.getMessage().contains("ID register reads 0x0"), e.getMessage());
    }

    @Test
    void memoryIsTheBufferFileAndOutOfRangeAccessCopiesNothing() throws IOException {
        try (Board b = Board.open(library, device(0, 0))) {
            byte[] data = new byte[1000];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7 + 3);
            b.memWrite(0x1_2345, data);  // unaligned start and length: the byte/word copy paths
            byte[] file = Files.readAllBytes(dir.resolve("mem"));
            assertArrayEquals(data, Arrays.copyOfRange(file, 0x1_2345, 0x1_2345 + 1000));
            assertArrayEquals(data, b.memRead(0x1_2345, 1000));
            b.memWrite(MEM - 4, new byte[]{1, 2, 3, 4});  // the last bytes are inside

            BoardException e = assertThrows(BoardException.class, () -> b.memWrite(MEM - 4, new byte[8]));
            assertEquals(BoardError.RANGE, e.error());
            assertTrue(e.getMessage().contains("outside board memory (1048576 bytes"), e.getMessage());
            assertArrayEquals(new byte[]{1, 2, 3, 4}, Arrays.copyOfRange(Files.readAllBytes(dir.resolve("mem")), MEM - 4, MEM));
            assertEquals(BoardError.RANGE, assertThrows(BoardException.class, () -> b.memRead(MEM, 1)).error());
            assertEquals(BoardError.RANGE, assertThrows(BoardException.class, () -> b.memRead(-8L, 16)).error());
            assertEquals(BoardError.ARGUMENT, assertThrows(BoardException.class, () -> b.regRead(0x102)).error());
            assertEquals(BoardError.ARGUMENT, assertThrows(BoardException.class, () -> b.regWrite(0x100, 1)).error());
        }
    }

    @Test
    void openWritesTheBufferAddressIntoMemBaseAndAddressRegistersAreOffsets() throws IOException {
        // A base above 4 GiB, so MEM_BASE_HI matters.
        String config = device(0, 0).replace("phys=" + PHYS, "phys=0x123456000");
        try (Board b = Board.open(library, config)) {
            assertEquals(0x2345_6000, fileInt("regs", BoardRegisters.MEM_BASE_LO));
            assertEquals(0x1, fileInt("regs", BoardRegisters.MEM_BASE_HI));
            assertEquals(0x2345_6000, b.regRead(BoardRegisters.MEM_BASE_LO));

            // PROG and STATS are offsets: they reach the register as written, and read back so.
            b.regWrite(BoardRegisters.PROG_LO, 0x100);
            b.regWrite(BoardRegisters.PROG_HI, 0);
            b.regWrite(BoardRegisters.STATS_LO, 0x8_0000);
            assertEquals(0x100, fileInt("regs", BoardRegisters.PROG_LO));
            assertEquals(0, fileInt("regs", BoardRegisters.PROG_HI));
            assertEquals(0x8_0000, fileInt("regs", BoardRegisters.STATS_LO));
            assertEquals(0x8_0000, b.regRead(BoardRegisters.STATS_LO));
            b.regWrite(BoardRegisters.TOKEN, 0x1234);  // other registers pass through
            assertEquals(0x1234, fileInt("regs", BoardRegisters.TOKEN));
            assertEquals(128, b.busBits());

            // The driver owns MEM_BASE: another value is refused and not written; its own passes.
            BoardException owned = assertThrows(BoardException.class, () -> b.regWrite(BoardRegisters.MEM_BASE_HI, 0));
            assertEquals(BoardError.ARGUMENT, owned.error());
            assertTrue(owned.getMessage().contains("MEM_BASE_HI = 0x0 refused: the driver keeps MEM_BASE at the "
                    + "buffer's bus address 0x123456000"), owned.getMessage());
            assertEquals(0x1, fileInt("regs", BoardRegisters.MEM_BASE_HI));
            b.regWrite(BoardRegisters.MEM_BASE_LO, 0x2345_6000);

            // PROG or STATS at or past the end of the buffer: the kernel must not run.
            b.regWrite(BoardRegisters.PROG_LO, MEM);
            BoardException e = assertThrows(BoardException.class, b::start);
            assertEquals(BoardError.RANGE, e.error());
            assertTrue(e.getMessage().contains("PROG holds offset 0x100000, outside the board memory (1048576 bytes"),
                    e.getMessage());
            b.regWrite(BoardRegisters.PROG_LO, MEM - 64);
            b.regWrite(BoardRegisters.STATS_HI, 1);  // 4 GiB + 0x80000: the high word counts
            e = assertThrows(BoardException.class, b::start);
            assertEquals(BoardError.RANGE, e.error());
            assertTrue(e.getMessage().contains("STATS holds offset 0x100080000"), e.getMessage());
            assertEquals(0, fileInt("regs", BoardRegisters.CONTROL), "no start pulse was written");
        }
    }

    @Test
    void waitReturnsOnDoneReportsErrorAndTimesOut() throws IOException {
        try (Board b = Board.open(library, device(BoardRegisters.STATUS_DONE, 0))) {
            b.waitDone(0, 1000);
        }
        try (Board b = Board.open(library, device(BoardRegisters.STATUS_ERROR, 3))) {
            BoardException e = assertThrows(BoardException.class, () -> b.waitDone(0, 1000));
            assertEquals(BoardError.DEVICE, e.error());
            assertTrue(e.getMessage().contains("ERROR 2 (bad field), at program entry PC 3"), e.getMessage());
        }
        try (Board b = Board.open(library, device(BoardRegisters.STATUS_BUSY, 7))) {
            long t0 = System.nanoTime();
            // The cycle limit means nothing to a real board: only the 150 ms count.
            BoardTimeoutException e = assertThrows(BoardTimeoutException.class, () -> b.waitDone(1, 150));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 150 && ms < 5000, "waited " + ms + " ms");
            assertTrue(e.getMessage().contains("STATUS 0x1, PC 7"), e.getMessage());
            assertEquals(0, b.cycles());
        }
    }

    @Test
    void aPulseThatIsNeverTakenIsADeviceError() throws IOException {
        // No kernel behind the file: CONTROL keeps the start bit, which real hardware never shows.
        try (Board b = Board.open(library, device(0, 0))) {
            b.regWrite(BoardRegisters.PROG_LO, 0);
            b.regWrite(BoardRegisters.STATS_LO, 0x1000);
            // MEM_BASE lost under the handle (a hard reset of the logic): start writes it again first.
            putFileInt("regs", BoardRegisters.MEM_BASE_LO, 0);
            BoardException e = assertThrows(BoardException.class, b::start);
            assertEquals(BoardError.DEVICE, e.error());
            assertTrue(e.getMessage().contains("CONTROL still reads 0x1"), e.getMessage());
            assertEquals((int) PHYS, fileInt("regs", BoardRegisters.MEM_BASE_LO), "MEM_BASE restored before the pulse");
        }
    }
}
