package dev.bitweave.hw.hls;

import dev.bitweave.cli.Cli;
import dev.bitweave.cosim.BuildDirectory;
import dev.bitweave.csim.Csim;
import dev.bitweave.csim.CsimCompiler;
import dev.bitweave.hw.linear.Overlays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated HLS kernel, compiled with g++ -std=c++14 -Wall -Wextra -Werror (the compile is the
 * warning check) and C-simulated for 64 greedy positions of stories260K: every logit of every
 * position equals the Java integer reference, and so does every generated id. The builds are the
 * overlay builds the RTL suites use (all widths, fp4 lanes), so one kernel shape serves each bus.
 */
class CsimTest {
    private static Csim.Report csim(String recipe, String board) throws Exception {
        Path build = Overlays.build(Overlays.plan("stories260k-real", recipe), board);
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        return new Csim(CsimCompiler.standard(quiet), quiet).run(BuildDirectory.open(build), 64);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"w8a8, kria-kv260", "w8a8, alveo-u280", "w4a8-g32, kria-kv260", "w4a8-g32, alveo-u280", "w4a8-gse32, kria-kv260",
            "mixed, kria-kv260", "mixed, alveo-u280", "awq-w3a8-g32, alveo-u280", "w3a8-g32-lr8, kria-kv260",
            "sal-w3a8-g32, kria-kv260", "fmt-w4a8-g32, alveo-u280", "w4a8-g32, pynq-z2", "fp8-int8-embedding, kria-kv260",
            "ada-w4a8-g32, kria-kv260", "ada-w8a8, alveo-u280"})
    void logitsAndIdsEqualTheReference(String recipe, String board) throws Exception {
        Csim.Report r = csim(recipe, board);
        assertEquals("", r.kernelError());
        assertEquals(64, r.positions());
        assertEquals(64, r.matched(), () -> "first mismatch " + r.firstMismatch());
        assertTrue(r.allMatch());
        assertEquals(64, r.ids().size());
    }

    @Test
    void csimCommandPrintsTheVerdictAndCachesTheCompile() {
        Path build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.KV260);
        Cli.Result first = Cli.ok("csim", build, "--tokens", "8");
        assertTrue(first.out().contains("8/8 positions bit-exact"), first.describe());
        Cli.Result json = Cli.ok("csim", build, "--tokens", "8", "--json");
        assertTrue(json.out().contains("\"allMatch\" : true") && json.out().contains("\"compileCached\" : true"), json.describe());
        // the ids are the greedy ids of the reference backend on the same build
        Cli.Result ref = Cli.ok("run", build, "--backend", "reference", "--tokenizer", dev.bitweave.importer.SharedModels.tok512(),
                "-n", "8", "--ids", "-t", "0");
        List<String> want = ref.out().lines().map(l -> l.trim().split("\\s+")).map(f -> f[f.length - 1]).toList();
        String ids = first.out().lines().filter(l -> l.startsWith("ids: ")).findFirst().orElseThrow().substring(5);
        assertEquals(String.join(" ", want), ids);
    }

    private static Object[] runArgs(Path build, String backend, String... more) {
        java.util.List<Object> a = new java.util.ArrayList<>(List.of("run", build, "--backend", backend, "--tokenizer",
                dev.bitweave.importer.SharedModels.tok512(), "-n", "64", "--ids"));
        a.addAll(List.of(more));
        return a.toArray();
    }

    /** The host runtime's token streaming through the csim board driver generates the reference's ids, and the simulated RTL board's. */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"w8a8, alveo-u280", "mixed, kria-kv260", "ada-w4a8-g32, kria-kv260"})
    void runBackendCsimGeneratesTheReferenceTokens(String recipe, String board) {
        Path build = Overlays.build(Overlays.plan("stories260k-real", recipe), board);
        String csimIds = Cli.ok(runArgs(build, "csim", "-t", "0")).out();
        assertEquals(Cli.ok(runArgs(build, "reference", "-t", "0")).out(), csimIds, "greedy ids against the reference");
        assertEquals(Cli.ok(runArgs(build, "sim", "-t", "0")).out(), csimIds, "greedy ids against the simulated RTL board");
        String[] sampled = {"-t", "1.0", "-p", "0.9", "-s", "42"};
        Cli.Result csim = Cli.ok(runArgs(build, "csim", sampled));
        assertEquals(Cli.ok(runArgs(build, "reference", sampled)).out(), csim.out(), "sampled ids");
        assertTrue(csim.stderr().contains("through the HLS kernel in C simulation"), csim.stderr());
    }

    /**
     * The generated C++ is free of undefined behaviour and out-of-bounds accesses as far as
     * AddressSanitizer and UBSan see: the test bench, built with them, runs 8 greedy steps of plans
     * that exercise 3-bit planes and low-rank, side paths on a 512-bit bus, fp8 and token-adaptive
     * widths, and exits 0 with no report.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"w3a8-g32-lr8, kria-kv260", "sal-w3a8-g32, alveo-u280", "fp8-int8-embedding, kria-kv260", "ada-w4a8-g32, pynq-z2"})
    void theKernelRunsCleanUnderSanitizers(String recipe, String board, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path build = Overlays.build(Overlays.plan("stories260k-real", recipe), board);
        Path hls = build.resolve("hls");
        Path exe = tmp.resolve("tb");
        List<String> cc = new java.util.ArrayList<>(List.of("g++"));
        cc.addAll(dev.bitweave.csim.CsimCompiler.FLAGS);
        cc.addAll(List.of("-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-I" + hls.resolve("csim"),
                "-I" + hls, hls.resolve("bitweave_kernel.cpp").toString(), hls.resolve("bitweave_tb.cpp").toString(), "-o", exe.toString()));
        assertEquals(0, run(cc), "sanitizer build");
        List<String> tb = new java.util.ArrayList<>(List.of(exe.toString()));
        tb.addAll(new dev.bitweave.backend.hls.TestBenchArgs(build.toString(), tmp.resolve("out").toString(), "8").argv());
        assertEquals(0, run(tb), "test bench under ASan/UBSan");
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertTrue(code == 0 && !log.contains("runtime error") && !log.contains("AddressSanitizer"), String.join(" ", command) + ":\n" + log);
        return code;
    }

    /** The names and offsets run_hls.tcl and the v++ configs bind to (docs/hardware.md, "The HLS kernel's register map"). */
    @Test
    void kernelHasTheAgreedInterface() throws Exception {
        Path build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.U280);
        String k = java.nio.file.Files.readString(build.resolve("hls/bitweave_kernel.cpp"));
        assertTrue(k.contains("void bitweave_kernel(beat_t* wmem, beat_t* kvmem, beat_t* iomem,"), "top function signature");
        for (String port : List.of("wmem bundle=gmem_w", "kvmem bundle=gmem_kv", "iomem bundle=gmem_io")) {
            assertTrue(k.contains("HLS INTERFACE m_axi port=" + port + " offset=slave"), port);
        }
        for (String reg : List.of("prog_lo bundle=control offset=0x10", "prog_hi bundle=control offset=0x14",
                "stats_lo bundle=control offset=0x18", "stats_hi bundle=control offset=0x1C", "token bundle=control offset=0x30",
                "pos bundle=control offset=0x34", "prog_len bundle=control offset=0x40", "mem_base_lo bundle=control offset=0x44",
                "mem_base_hi bundle=control offset=0x48", "pc bundle=control offset=0x50", "error bundle=control offset=0x58",
                "argmax bundle=control offset=0x60", "argmax_value bundle=control offset=0x68")) {
            assertTrue(k.contains("HLS INTERFACE s_axilite port=" + reg + ")"), reg);
        }
        assertTrue(k.contains("HLS INTERFACE s_axilite port=return bundle=control") && k.contains("HLS INTERFACE ap_ctrl_hs port=return"));
        assertTrue(k.contains("typedef ap_uint<BW_BUS> beat_t;") || java.nio.file.Files.readString(build.resolve("hls/bitweave_kernel.h"))
                .contains("typedef ap_uint<BW_BUS> beat_t;"));
        // one beat per cycle in every weight-width mode, lanes unrolled, lane arrays partitioned
        for (int b : List.of(2, 3, 4, 8)) assertTrue(k.contains("case " + b + ": acc += beat_" + b + "("), "mode " + b);
        int loop = k.indexOf("const beat_t beat = wmem[at++];");
        assertTrue(loop > 0 && k.lastIndexOf("BW_PRAGMA(HLS PIPELINE II=1)", loop) > k.lastIndexOf("for (uint64_t q = 0; q < row_beats; q++)", loop));
        assertTrue(k.contains("BW_PRAGMA(HLS ARRAY_PARTITION variable=prod complete)") && k.contains("BW_PRAGMA(HLS UNROLL)"));
        // the csim ap_int.h is apart from the sources Vitis reads
        assertTrue(java.nio.file.Files.exists(build.resolve("hls/csim/ap_int.h")) && !java.nio.file.Files.exists(build.resolve("hls/ap_int.h")));
    }

    /** A kernel whose exp table is one unit off is caught: exit 1 and the first differing logit. */
    @Test
    void aWrongKernelFails(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.KV260);
        Path copy = tmp.resolve("build");
        try (var files = java.nio.file.Files.walk(build)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(build.relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) java.nio.file.Files.createDirectories(to);
                else java.nio.file.Files.copy(f, to);
            }
        }
        Path kernel = copy.resolve("hls/bitweave_kernel.cpp");
        String k = java.nio.file.Files.readString(kernel);
        String exact = "return shift_round(EXP_TABLE[f >> 6], static_cast<int>(k));";
        assertTrue(k.contains(exact));
        java.nio.file.Files.writeString(kernel, k.replace(exact, "return shift_round(EXP_TABLE[f >> 6] + 1, static_cast<int>(k));"));
        Cli.Result r = Cli.run("csim", copy, "--tokens", "16");
        assertEquals(1, r.code(), r.describe());
        assertTrue(r.out().contains("first mismatch: position"), r.describe());
    }

    @Test
    void badInputIsOneLine() {
        Path plan = Overlays.plan("stories260k-real", "w8a8");
        Path build = Overlays.build(plan, Overlays.KV260);
        Cli.assertMentions(Cli.badInput("csim", plan), "not a build directory");
        Cli.assertMentions(Cli.badInput("csim", build, "--tokens", "0"), "--tokens must be from 1");
        Cli.assertMentions(Cli.badInput("csim", build, "--tokens", "100000"), "--tokens must be from 1");
        Cli.assertMentions(Cli.badInput("csim", build.resolve("nope")), "build directory not found");
        assertFalse(Cli.run("csim", build, "--tokens", "x").code() == 0);
        Cli.assertMentions(Cli.badInput("run", plan, "--backend", "csim", "--tokenizer", dev.bitweave.importer.SharedModels.tok512()),
                "csim backend runs a build directory");
        Cli.assertMentions(Cli.badInput("run", build, "--backend", "csim", "--driver", "zynq", "--tokenizer",
                dev.bitweave.importer.SharedModels.tok512()), "do not apply to --backend csim");
    }
}
