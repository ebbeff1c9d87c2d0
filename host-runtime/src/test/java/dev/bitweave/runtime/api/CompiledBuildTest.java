package dev.bitweave.runtime.api;

import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompiledBuildTest {
    @TempDir
    Path tmp;

    private static void assertMentions(String message, String... fragments) {
        for (String f : fragments) assertTrue(message.contains(f), () -> "message lacks \"" + f + "\": " + message);
        assertFalse(message.contains("\n"), message);
    }

    private String refused(String manifest) throws IOException {
        Path dir = FakeBuild.write(tmp.resolve("b"), manifest);
        return assertThrows(BadInputException.class, () -> CompiledBuild.open(dir)).getMessage();
    }

    @Test
    void readsTheFieldsTheRuntimeNeeds() throws IOException {
        CompiledBuild b = CompiledBuild.open(FakeBuild.write(tmp.resolve("b")));
        BuildManifest m = b.manifest();
        assertEquals(128, m.bus());
        assertEquals(1, m.programEntries());
        assertEquals(16, m.statsSlotBytes());
        assertEquals(24576, m.logits().base());
        assertEquals(32768, m.memoryBytes());
        assertEquals(4096, m.weightPlanBits());
        assertEquals(FakeBuild.crc(FakeBuild.WEIGHTS), m.image(BuildManifest.WEIGHTS_IMG).crc32());
        assertEquals(new ModelShape(64, 5, 8, 4, 8, 512, 512, 8), b.model());
        assertArrayEquals(FakeBuild.WEIGHTS, b.verifiedImage(m.image(BuildManifest.WEIGHTS_IMG)));
        assertTrue(b.tokenizer().isEmpty());
        // the simulated board's memory follows the manifest: its size, bandwidth, and 120 ns at 300 MHz
        assertEquals("mem_size=32768;latency=36;max_outstanding=8;bytes_per_cycle=16.0",
                Accelerator.simConfig(m).toString());
        // PARAMS as the design reports it: BUS and bit 16 + 8 for the one weight width
        assertEquals(128 | 1 << 24, m.params());
        // an HLS kernel has no PARAMS register: the driver gets the build's, unless the user gave one
        String p = ";params=" + (128 | 1 << 24);
        assertEquals("uio=/dev/uio0; design = hls" + p, Accelerator.withHlsParams("uio=/dev/uio0; design = hls", m));
        assertEquals("design=hls;poll_us=5" + p, Accelerator.withHlsParams("design=hls;poll_us=5", m));
        assertEquals("design=hls;params=7", Accelerator.withHlsParams("design=hls;params=7", m));
        assertEquals("design=rtl", Accelerator.withHlsParams("design=rtl", m));
        assertEquals("xclbin=a;design=hlsx", Accelerator.withHlsParams("xclbin=a;design=hlsx", m));
    }

    @Test
    void invalidManifestsNameTheFileAndJsonPath() throws IOException {
        String good = FakeBuild.manifest();
        assertMentions(refused(good.replace("bitweave.manifest", "bitweave.plan")), "manifest.json", "$.schema",
                "expected \"bitweave.manifest\"");
        assertMentions(refused(good.replace("\"version\": 2", "\"version\": 1")), "$.version", "recompile");
        assertMentions(refused(good.replace("\"bus\": 128", "\"bus\": 96")), "$.hardware.bus", "not a power of two");
        assertMentions(refused(good.replaceFirst(", \"crc32\": \\d+", "")), "$.images[0].crc32: missing");
        assertMentions(refused(good.replace("\"base\": 4096, \"size\": 64, \"crc32\"", "\"base\": 4160, \"size\": 64, \"crc32\"")),
                "$.images[1]", "differs from $.memory's area");
        assertMentions(refused(good.replace("\"program\": {\"base\": 8192, \"size\": 64}",
                "\"program\": {\"base\": 8192, \"size\": 60}")), "$.memory.program.size", "64-byte entries");
        assertMentions(refused(good.replace("\"logits\": {\"base\": 24576, \"size\": 2048}",
                "\"logits\": {\"base\": 24576, \"size\": 1024}")), "$.memory.logits.size", "512 int32 logits");
        assertMentions(refused(good.replace("\"planBits\": 4096", "\"planBits\": \"x\"")), "$.layers[0].planBits",
                "expected an integer");
        assertMentions(refused("{\"schema\": "), "manifest.json", "$: not valid JSON");
        assertMentions(refused("[]"), "$: expected a JSON object");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertMentions(assertThrows(BadInputException.class, () -> CompiledBuild.open(tmp.resolve("none"))).getMessage(),
                "none", "build directory not found");
        Files.createDirectories(tmp.resolve("empty"));
        assertMentions(assertThrows(BadInputException.class, () -> CompiledBuild.open(tmp.resolve("empty"))).getMessage(),
                "not a build directory", "manifest.json");
        Path dir = FakeBuild.write(tmp.resolve("b"));
        Files.delete(dir.resolve("tables.img"));
        assertMentions(assertThrows(BadInputException.class, () -> CompiledBuild.open(dir)).getMessage(),
                "tables.img", "missing");
        FakeBuild.write(dir);
        Files.delete(dir.resolve("plan/plan.json"));
        assertMentions(assertThrows(BadInputException.class, () -> CompiledBuild.open(dir)).getMessage(),
                "plan.json", "missing");
    }

    @Test
    void aFlippedByteIsRefusedWithBothCrcs() throws IOException {
        Path dir = FakeBuild.write(tmp.resolve("b"));
        CompiledBuild b = CompiledBuild.open(dir);
        byte[] w = FakeBuild.WEIGHTS.clone();
        w[17] ^= 1;
        Files.write(dir.resolve("weights.img"), w);
        String msg = assertThrows(BadInputException.class, () -> ImageLoader.verifiedFiles(b)).getMessage();
        assertMentions(msg, "weights.img", String.format("%08x", FakeBuild.crc(w)),
                String.format("%08x", FakeBuild.crc(FakeBuild.WEIGHTS)), "nothing was loaded");
        // a truncated file with a matching prefix is refused too
        Files.write(dir.resolve("weights.img"), java.util.Arrays.copyOf(FakeBuild.WEIGHTS, 63));
        assertMentions(assertThrows(BadInputException.class, () -> ImageLoader.verifiedFiles(b)).getMessage(),
                "over 63 bytes", "over 64 bytes");
    }
}
