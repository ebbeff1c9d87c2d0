package dev.bitweave.hw.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.cli.Cli;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compile and cosim through the CLI, including their bad-input paths (exit 2, one line, nothing left behind). */
class CompileCosimCliTest {
    @TempDir
    Path tmp;

    private Path plan(String preset) throws Exception {
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            return new PlanQuantizer(RecipeReader.resolve(preset), p -> { }).quantize(ck, tmp.resolve("plan-" + preset), false);
        }
    }

    @Test
    void compileThenCosimWithJsonAndTrace() throws Exception {
        Path plan = plan("w8a8");
        Path build = tmp.resolve("build");
        Cli.ok("compile", plan, "--board", "pynq-z2", "-o", build, "--no-synth");
        for (String f : new String[]{"weights.img", "program.img", "manifest.json", "report.md", "rtl/bitweave_top.v", "plan/plan.json",
                "hls/run_hls.tcl", "hls/vivado/block_design.tcl", "hls/README.md",
                "hls/bitweave_kernel.cpp", "hls/bitweave_tb.cpp", "hls/csim/ap_int.h"}) {
            assertTrue(Files.exists(build.resolve(f)), f);
        }
        Path wave = tmp.resolve("wave.fst");
        Cli.Result s = Cli.ok("cosim", build, "--layers", "blk.0.attn_k,blk.0.ffn_down", "--json", "--trace", wave);
        JsonNode j = new ObjectMapper().readTree(s.out());
        assertTrue(j.get("allMatch").asBoolean());
        assertEquals(2, j.get("layers").size());
        assertTrue(Files.size(wave) > 1000, "an FST waveform is written");
        String plot = Files.readString(build.resolve("cosim.svg"));
        assertTrue(plot.contains("blk.0.attn_k") && plot.contains("blk.0.ffn_down"), "cosim.svg plots every layer it ran");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(build.resolve("cosim.svg").toFile());
        // same inputs, same bytes
        Path again = tmp.resolve("again");
        Cli.ok("compile", plan, "--board", "pynq-z2", "-o", again, "--no-synth");
        for (String f : new String[]{"weights.img", "program.img", "manifest.json", "rtl/bw_linear.v", "hls/run_hls.tcl", "hls/vivado/block_design.tcl",
                "hls/bitweave_kernel.cpp", "hls/bitweave_tb.cpp"}) {
            assertEquals(-1, Files.mismatch(build.resolve(f), again.resolve(f)), f + " differs between two compiles");
        }

        // a flipped byte in weights.img is refused before anything runs
        byte[] w = Files.readAllBytes(build.resolve("weights.img"));
        w[1234] ^= 0x40;
        Files.write(build.resolve("weights.img"), w);
        Cli.assertMentions(Cli.badInput("cosim", build), "CRC-32");
        Cli.assertMentions(Cli.badInput("cosim", plan), "not a build directory");
        Cli.assertMentions(Cli.badInput("cosim", build, "--layers", "blk.9.attn_q"), "no linear layer 'blk.9.attn_q'");
    }

    @Test
    void compileRefusesBadInput() throws Exception {
        Path plan = plan("w8a8");
        Path out = tmp.resolve("out");
        Cli.assertMentions(Cli.badInput("compile", plan, "--board", "nope", "-o", out, "--no-synth"), "valid boards");
        Cli.assertMentions(Cli.badInput("compile", plan("fp8a8"), "--board", "kria-kv260", "-o", out, "--no-synth"), "token_embd");
        Cli.assertMentions(Cli.badInput("compile", tmp.resolve("missing"), "--board", "kria-kv260", "-o", out), "not found");
        Cli.assertMentions(Cli.badInput("compile", plan, "--board", "ice40-up5k", "-o", out, "--no-synth"), "ice40-up5k");
        Cli.assertNoOutputLeft(out);
    }
}
