package dev.bitweave.hw.zynq;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardError;
import dev.bitweave.runtime.board.BoardException;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.BoardTimeoutException;
import dev.bitweave.runtime.board.Drivers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The xrt driver's logic run for real, against a test double of libxrt_coreutil
 * (resources/fake_xrt/fake_xrt.cpp) that implements the 16 declared XRT calls on the decoder
 * overlay's simulated board. The driver is built by {@link Drivers#xrtLibrary()} exactly as on a
 * machine with XRT (real-headers mode, linked with -lxrt_coreutil), only the "XRT installation"
 * is the stand-in header and the double. This is not XRT: the shim stays untested on XRT and on
 * Alveo hardware.
 */
class XrtFakeLibraryTest {
    interface FakeXrt extends Library {
        void fakeXrtConfigure(String simLibrary, String simConfig, long boAddress, int legacy);

        int fakeXrtWrites(int offset);

        int fakeXrtPoke(int offset, int value);
    }

    /** The fake XRT installation and the driver cache, shared by the tests (one build of each). */
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path root;
    static FakeXrt fake;

    @BeforeAll
    static void fakeXrtRoot() throws Exception {
        Path inc = Files.createDirectories(shared.resolve("xrt/include/xrt"));
        Path lib = Files.createDirectories(shared.resolve("xrt/lib"));
        try (InputStream in = Drivers.class.getResourceAsStream("/bitweave/drivers/xrt/xrt_stand_in.h")) {
            Files.write(inc.resolve("xrt_stand_in.h"), in.readAllBytes());
        }
        for (String h : List.of("xrt_device.h", "xrt_kernel.h", "xrt_bo.h")) {
            Files.writeString(inc.resolve(h), "#include \"xrt_stand_in.h\"\n");
        }
        try (InputStream in = XrtFakeLibraryTest.class.getResourceAsStream("/fake_xrt/fake_xrt.cpp")) {
            Files.write(shared.resolve("fake_xrt.cpp"), in.readAllBytes());
        }
        Process p = new ProcessBuilder("g++", "-std=c++17", "-O1", "-fPIC", "-shared", "-Wall", "-Wextra", "-Werror",
                "-I" + inc, "fake_xrt.cpp", "-o", lib.resolve("libxrt_coreutil.so").toString(), "-ldl")
                .directory(shared.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        root = shared.resolve("xrt");
        fake = Native.load(root.resolve("lib/libxrt_coreutil.so").toString(), FakeXrt.class);
    }

    static Drivers drivers() {
        return Drivers.create().xrtRoot(root).cacheRoot(shared.resolve("cache"));
    }

    /** Device 0 is the simulated board with memory up to base + MEM; every BO sits at base. */
    static void configure(long base, boolean legacy) {
        fake.fakeXrtConfigure(ZynqFakeDeviceTest.sim().library().toString(),
                "mem_size=" + (base + ZynqFakeDeviceTest.MEM) + ";latency=36;bytes_per_cycle=16", base, legacy ? 1 : 0);
    }

    String xclbin() throws IOException {
        Path x = dir.resolve("bitweave.xclbin");
        Files.writeString(x, "not a real xclbin");
        return "xclbin=" + x;
    }

    @Test
    void theShimRunsProgramsThroughTheXrtCalls() throws Exception {
        long base = ZynqFakeDeviceTest.PHYS;
        int mem = ZynqFakeDeviceTest.MEM;
        configure(base, false);
        Drivers drivers = drivers();

        // A missing xclbin file is named.
        BadInputException e = assertThrows(BadInputException.class,
                () -> drivers.open(Drivers.Kind.XRT, null, "xclbin=" + dir.resolve("nope.xclbin")));
        assertTrue(e.getMessage().contains("xclbin file " + dir.resolve("nope.xclbin") + " not found"), e.getMessage());

        Random r = new Random(9);
        try (Board board = drivers.open(Drivers.Kind.XRT, null, xclbin() + ";mem_size=" + mem + ";poll_us=0");
             Board reference = ZynqFakeDeviceTest.simBoardAt(base)) {
            assertEquals(ZynqFakeDeviceTest.BUS, board.busBits());
            // MEM_BASE = xrtBOAddress of the buffer, written once at open.
            assertEquals((int) base, board.regRead(BoardRegisters.MEM_BASE_LO));
            assertEquals(0, board.regRead(BoardRegisters.MEM_BASE_HI));
            for (int run = 0; run < 2; run++) {
                int[] x = ZynqFakeDeviceTest.random(r), y = ZynqFakeDeviceTest.random(r);
                ZynqFakeDeviceTest.Result viaXrt = ZynqFakeDeviceTest.run(board, 0, x, y);
                ZynqFakeDeviceTest.Result direct = ZynqFakeDeviceTest.run(reference, base, x, y);
                ZynqFakeDeviceTest.assertComputed(x, y, viaXrt, "run " + run);
                ZynqFakeDeviceTest.assertSameRun(direct, viaXrt, "run " + run);
            }
            // A long run times out, a soft reset stops it, and the board runs again.
            List<ProgramImage.Entry> longProgram = new ArrayList<>();
            for (int i = 0; i < 16_000; i++) longProgram.add(new ProgramImage.StoreVec(768, ZynqFakeDeviceTest.OUT, 0));
            longProgram.add(new ProgramImage.End());
            board.memWrite(ZynqFakeDeviceTest.PROG, ProgramImage.encode(longProgram));
            board.regWrite(BoardRegisters.PROG_LO, (int) ZynqFakeDeviceTest.PROG);
            board.start();
            BoardTimeoutException t = assertThrows(BoardTimeoutException.class, () -> board.waitDone(0, 200));
            assertTrue(t.getMessage().contains("xrt device 0 kernel bitweave_top: bw_wait timed out"), t.getMessage());
            board.softReset();
            assertEquals(0, board.regRead(BoardRegisters.STATUS) & BoardRegisters.STATUS_BUSY);
            int[] x = ZynqFakeDeviceTest.random(r), y = ZynqFakeDeviceTest.random(r);
            ZynqFakeDeviceTest.assertComputed(x, y, ZynqFakeDeviceTest.run(board, 0, x, y), "after the soft reset");
            // Four starts and a soft reset, and MEM_BASE was written only at open: each write
            // would drop the kernel's cached program.
            assertEquals(1, fake.fakeXrtWrites(BoardRegisters.MEM_BASE_LO));
            assertEquals(1, fake.fakeXrtWrites(BoardRegisters.MEM_BASE_HI));

            // A hard reset under the handle clears MEM_BASE; the next start writes it again.
            assertEquals(0, fake.fakeXrtPoke(BoardRegisters.MEM_BASE_LO, 0));
            x = ZynqFakeDeviceTest.random(r);
            y = ZynqFakeDeviceTest.random(r);
            ZynqFakeDeviceTest.assertComputed(x, y, ZynqFakeDeviceTest.run(board, 0, x, y), "after MEM_BASE was cleared");
            assertEquals(2, fake.fakeXrtWrites(BoardRegisters.MEM_BASE_LO));

            // The driver owns MEM_BASE: another value is refused, its own passes.
            BoardException owned = assertThrows(BoardException.class, () -> board.regWrite(BoardRegisters.MEM_BASE_LO, 0));
            assertEquals(BoardError.ARGUMENT, owned.error());
            assertTrue(owned.getMessage().contains("the driver keeps MEM_BASE at the buffer's bus address 0x1000000"),
                    owned.getMessage());
            assertEquals((int) base, board.regRead(BoardRegisters.MEM_BASE_LO));
            board.regWrite(BoardRegisters.MEM_BASE_LO, (int) base);

            assertEquals(BoardError.RANGE, assertThrows(BoardException.class, () -> board.memRead(mem - 1, 2)).error());
        }
    }

    @Test
    void aDesignThatPredatesMemBaseIsRefusedAtOpen() throws Exception {
        configure(ZynqFakeDeviceTest.PHYS, true);
        try {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> drivers().open(Drivers.Kind.XRT, null, xclbin() + ";mem_size=" + ZynqFakeDeviceTest.MEM));
            assertTrue(e.getMessage().contains("MEM_BASE (registers 0x44/0x48) reads 0x0 after writing the buffer's bus "
                    + "address 0x1000000: the loaded bitstream predates MEM_BASE"), e.getMessage());
            assertEquals(1, fake.fakeXrtWrites(BoardRegisters.MEM_BASE_LO), "the driver did try");
        } finally {
            configure(ZynqFakeDeviceTest.PHYS, false);
        }
    }
}
