package dev.bitweave.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bitweave.runtime.board.SimBoardBuilder;
import dev.bitweave.runtime.board.SimBuildException;
import dev.bitweave.runtime.board.SimLibrary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated board cache: keyed by content, reused, never half-written. */
class SimBoardCacheTest {
    @Test
    void secondBuildOfTheSameSourcesIsAHit() throws Exception {
        SimLibrary first = DmaBoards.bus512();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        SimLibrary again = DmaBoards.builder(512).progress(new PrintStream(progress, true, StandardCharsets.UTF_8)).build();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(again.cacheHit());
        assertEquals(first.library(), again.library());
        assertEquals(first.key(), again.key());
        assertEquals("", progress.toString(StandardCharsets.UTF_8), "no build, no progress line");
        assertTrue(millis < 5_000, "a hit costs tool version checks only: " + millis + " ms");
        assertTrue(Files.isRegularFile(again.library()));
        assertTrue(Files.readString(again.buildLog()).contains("verilator"), "build log kept");
        assertTrue(again.verilateTime().toMillis() > 0 && again.compileTime().toMillis() > 0, "build times recorded");
        assertEquals(again.library(), SimBoardBuilder.defaultCacheRoot().resolve("sim").resolve(again.key()).resolve("libbwsim.so"));
        System.out.printf("BUS=512 build: verilator %d ms, compile %d ms%n", again.verilateTime().toMillis(),
                again.compileTime().toMillis());
    }

    @Test
    void keyFollowsContentsNotLocation(@TempDir Path dir) throws Exception {
        Path copy = Files.createDirectory(dir.resolve("copy"));
        Files.copy(DmaBoards.rtlDir().resolve("bitweave_top.v"), copy.resolve("bitweave_top.v"));
        String original = DmaBoards.builder(64).key();
        assertEquals(original, SimBoardBuilder.forRtl(copy).parameter("BUS", 64).key(), "same files elsewhere, same key");

        Files.writeString(copy.resolve("bitweave_top.v"), "// changed\n", java.nio.file.StandardOpenOption.APPEND);
        String changed = SimBoardBuilder.forRtl(copy).parameter("BUS", 64).key();
        assertNotEquals(original, changed, "changed source, new key");
        assertNotEquals(original, DmaBoards.builder(128).key(), "parameters are part of the key");
        assertNotEquals(original, DmaBoards.builder(64).tracing(true).key(), "tracing is part of the key");
        Files.writeString(copy.resolve("extra.vh"), "`define X 1\n");
        assertNotEquals(changed, SimBoardBuilder.forRtl(copy).parameter("BUS", 64).key(), "headers are part of the key");
    }

    @Test
    void missingVerilatorSaysHowToInstallIt() {
        SimBuildException e = assertThrows(SimBuildException.class,
                () -> DmaBoards.builder(64).verilator("/nonexistent/verilator").key());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install verilator"), e.getMessage());
    }

    @Test
    void failedBuildKeepsItsLogAndLeavesNoEntry(@TempDir Path dir) throws Exception {
        Path rtl = Files.createDirectory(dir.resolve("rtl"));
        Files.writeString(rtl.resolve("bitweave_top.v"), "module bitweave_top(input wire clk); assign nope = ; endmodule\n");
        Path cache = dir.resolve("cache");
        SimBoardBuilder builder = SimBoardBuilder.forRtl(rtl).cacheRoot(cache)
                .progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        SimBuildException e = assertThrows(SimBuildException.class, builder::build);
        assertTrue(e.getMessage().contains("verilator failed"), e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
        String key = builder.key();
        assertTrue(Files.isRegularFile(cache.resolve("sim").resolve(key + ".failed.log")));
        assertFalse(Files.exists(cache.resolve("sim").resolve(key)));
        try (Stream<Path> left = Files.list(cache.resolve("sim"))) {
            assertEquals(1, left.count(), "only the failed log is left");
        }
    }

    @Test
    void emptyRtlDirectoryIsRefused(@TempDir Path dir) {
        SimBuildException e = assertThrows(SimBuildException.class, () -> SimBoardBuilder.forRtl(dir).key());
        assertTrue(e.getMessage().contains("no Verilog sources"), e.getMessage());
    }
}
