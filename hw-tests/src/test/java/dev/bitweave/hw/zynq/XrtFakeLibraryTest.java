package dev.bitweave.hw.zynq;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.board.Board;
import dev.bitweave.runtime.board.BoardRegisters;
import dev.bitweave.runtime.board.BoardTimeoutException;
import dev.bitweave.runtime.board.Drivers;
import dev.bitweave.pack.ProgramImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        void fakeXrtConfigure(String simLibrary, String simConfig, long boAddress);
    }

    @TempDir
    Path dir;

    Path fakeXrtRoot() throws Exception {
        Path inc = Files.createDirectories(dir.resolve("xrt/include/xrt"));
        Path lib = Files.createDirectories(dir.resolve("xrt/lib"));
        try (InputStream in = Drivers.class.getResourceAsStream("/bitweave/drivers/xrt/xrt_stand_in.h")) {
            Files.write(inc.resolve("xrt_stand_in.h"), in.readAllBytes());
        }
        for (String h : List.of("xrt_device.h", "xrt_kernel.h", "xrt_bo.h")) {
            Files.writeString(inc.resolve(h), "#include \"xrt_stand_in.h\"\n");
        }
        try (InputStream in = getClass().getResourceAsStream("/fake_xrt/fake_xrt.cpp")) {
            Files.write(dir.resolve("fake_xrt.cpp"), in.readAllBytes());
        }
        Process p = new ProcessBuilder("g++", "-std=c++17", "-O1", "-fPIC", "-shared", "-Wall", "-Wextra", "-Werror",
                "-I" + inc, "fake_xrt.cpp", "-o", lib.resolve("libxrt_coreutil.so").toString(), "-ldl")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return dir.resolve("xrt");
    }

    @Test
    void theShimRunsProgramsThroughTheXrtCalls() throws Exception {
        Path root = fakeXrtRoot();
        FakeXrt fake = Native.load(root.resolve("lib/libxrt_coreutil.so").toString(), FakeXrt.class);
        long base = ZynqFakeDeviceTest.PHYS;
        int mem = ZynqFakeDeviceTest.MEM;
        fake.fakeXrtConfigure(ZynqFakeDeviceTest.sim().library().toString(),
                "mem_size=" + (base + mem) + ";latency=36;bytes_per_cycle=16", base);
        Drivers drivers = Drivers.create().xrtRoot(root).cacheRoot(dir.resolve("cache"));
        Files.writeString(dir.resolve("bitweave.xclbin"), "not a real xclbin");

        // A missing xclbin file is named.
        BadInputException e = assertThrows(BadInputException.class,
                () -> drivers.open(Drivers.Kind.XRT, null, "xclbin=" + dir.resolve("nope.xclbin")));
        assertTrue(e.getMessage().contains("xclbin file " + dir.resolve("nope.xclbin") + " not found"), e.getMessage());

        Random r = new Random(9);
        try (Board board = drivers.open(Drivers.Kind.XRT, null, "xclbin=" + dir.resolve("bitweave.xclbin")
                + ";mem_size=" + mem + ";poll_us=0");
             Board reference = ZynqFakeDeviceTest.simBoard()) {
            assertEquals(ZynqFakeDeviceTest.BUS, board.busBits());
            for (int run = 0; run < 2; run++) {
                int[] x = ZynqFakeDeviceTest.random(r), y = ZynqFakeDeviceTest.random(r);
                ZynqFakeDeviceTest.Result viaXrt = ZynqFakeDeviceTest.runAdd(board, 0, x, y);
                ZynqFakeDeviceTest.Result direct = ZynqFakeDeviceTest.runAdd(reference, base, x, y);
                assertArrayEquals(ZynqFakeDeviceTest.expectedSum(x, y), viaXrt.out());
                assertArrayEquals(direct.out(), viaXrt.out());
                assertArrayEquals(direct.stats(), viaXrt.stats());
                assertEquals(direct.cycles(), viaXrt.cycles());
            }
            // A long run times out, a soft reset stops it, and the board runs again.
            List<ProgramImage.Entry> longProgram = new ArrayList<>();
            for (int i = 0; i < 16_000; i++) longProgram.add(new ProgramImage.StoreVec(768, base + ZynqFakeDeviceTest.OUT, 0));
            longProgram.add(new ProgramImage.End());
            board.memWrite(ZynqFakeDeviceTest.PROG, ProgramImage.encode(longProgram));
            board.regWrite(BoardRegisters.PROG_LO, (int) ZynqFakeDeviceTest.PROG);
            board.start();
            BoardTimeoutException t = assertThrows(BoardTimeoutException.class, () -> board.waitDone(0, 200));
            assertTrue(t.getMessage().contains("xrt device 0 kernel bitweave_top: bw_wait timed out"), t.getMessage());
            board.softReset();
            assertEquals(0, board.regRead(BoardRegisters.STATUS) & BoardRegisters.STATUS_BUSY);
            int[] x = ZynqFakeDeviceTest.random(r), y = ZynqFakeDeviceTest.random(r);
            assertArrayEquals(ZynqFakeDeviceTest.expectedSum(x, y), ZynqFakeDeviceTest.runAdd(board, 0, x, y).out());
            assertEquals(dev.bitweave.runtime.board.BoardError.RANGE,
                    assertThrows(dev.bitweave.runtime.board.BoardException.class, () -> board.memRead(mem - 1, 2)).error());
        }
    }
}
