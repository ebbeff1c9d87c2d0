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
        return new Csim(CsimCompiler.standard(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run(BuildDirectory.open(build), 64);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"w8a8, kria-kv260", "w8a8, alveo-u280", "w4a8-g32, kria-kv260", "w4a8-g32, alveo-u280", "w4a8-gse32, kria-kv260",
            "mixed, kria-kv260", "mixed, alveo-u280", "awq-w3a8-g32, alveo-u280", "w3a8-g32-lr8, kria-kv260",
            "sal-w3a8-g32, kria-kv260", "fmt-w4a8-g32, alveo-u280"})
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

    @Test
    void badInputIsOneLine() {
        Path plan = Overlays.plan("stories260k-real", "w8a8");
        Path build = Overlays.build(plan, Overlays.KV260);
        Cli.assertMentions(Cli.badInput("csim", plan), "not a build directory");
        Cli.assertMentions(Cli.badInput("csim", build, "--tokens", "0"), "--tokens must be from 1");
        Cli.assertMentions(Cli.badInput("csim", build, "--tokens", "100000"), "--tokens must be from 1");
        Cli.assertMentions(Cli.badInput("csim", build.resolve("nope")), "build directory not found");
        assertFalse(Cli.run("csim", build, "--tokens", "x").code() == 0);
    }
}
