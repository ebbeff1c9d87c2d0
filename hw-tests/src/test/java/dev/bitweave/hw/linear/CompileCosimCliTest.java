package dev.bitweave.hw.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.cli.Main;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** compile and cosim through the CLI, including their bad-input paths (exit 2, one line, nothing left behind). */
class CompileCosimCliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertBadInput(Result r, String mustContain) {
        assertEquals(Main.BAD_INPUT, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("bitweave: error: "), r.err());
        assertTrue(last.contains(mustContain), "expected '" + mustContain + "' in: " + last);
        assertFalse(r.err().contains("\tat "), r.err());
    }

    private Path plan(String preset) throws Exception {
        try (Checkpoint ck = CheckpointOpener.open(Overlays.shared("stories260K.bin"))) {
            return new PlanQuantizer(RecipeReader.resolve(preset), p -> { }).quantize(ck, tmp.resolve("plan-" + preset), false);
        }
    }

    @Test
    void compileThenCosimWithJsonAndTrace() throws Exception {
        Path plan = plan("w8a8");
        Path build = tmp.resolve("build");
        Result c = cli("compile", plan.toString(), "--board", "pynq-z2", "-o", build.toString(), "--no-synth");
        assertEquals(Main.OK, c.code(), c.err());
        for (String f : new String[]{"weights.img", "program.img", "manifest.json", "report.md", "rtl/bitweave_top.v", "plan/plan.json"}) {
            assertTrue(Files.exists(build.resolve(f)), f);
        }
        Path wave = tmp.resolve("wave.fst");
        Result s = cli("cosim", build.toString(), "--layers", "blk.0.attn_k,blk.0.ffn_down", "--json", "--trace", wave.toString());
        assertEquals(Main.OK, s.code(), s.err());
        JsonNode j = new ObjectMapper().readTree(s.out());
        assertTrue(j.get("allMatch").asBoolean());
        assertEquals(2, j.get("layers").size());
        assertTrue(Files.size(wave) > 1000, "an FST waveform is written");
        String plot = Files.readString(build.resolve("cosim.svg"));
        assertTrue(plot.contains("blk.0.attn_k") && plot.contains("blk.0.ffn_down"), "cosim.svg plots every layer it ran");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(build.resolve("cosim.svg").toFile());
        // same inputs, same bytes
        Path again = tmp.resolve("again");
        assertEquals(Main.OK, cli("compile", plan.toString(), "--board", "pynq-z2", "-o", again.toString(), "--no-synth").code());
        for (String f : new String[]{"weights.img", "program.img", "manifest.json", "rtl/bw_linear.v"}) {
            assertEquals(-1, Files.mismatch(build.resolve(f), again.resolve(f)), f + " differs between two compiles");
        }

        // a flipped byte in weights.img is refused before anything runs
        byte[] w = Files.readAllBytes(build.resolve("weights.img"));
        w[1234] ^= 0x40;
        Files.write(build.resolve("weights.img"), w);
        assertBadInput(cli("cosim", build.toString()), "CRC-32");
        assertBadInput(cli("cosim", plan.toString()), "not a build directory");
        assertBadInput(cli("cosim", build.toString(), "--layers", "blk.9.attn_q"), "no linear layer 'blk.9.attn_q'");
    }

    @Test
    void compileRefusesBadInput() throws Exception {
        Path plan = plan("w8a8");
        Path out = tmp.resolve("out");
        assertBadInput(cli("compile", plan.toString(), "--board", "nope", "-o", out.toString(), "--no-synth"), "valid boards");
        assertBadInput(cli("compile", plan("fp8a8").toString(), "--board", "kria-kv260", "-o", out.toString(), "--no-synth"), "token_embd");
        assertBadInput(cli("compile", tmp.resolve("missing").toString(), "--board", "kria-kv260", "-o", out.toString()), "not found");
        assertBadInput(cli("compile", plan.toString(), "--board", "ice40-up5k", "-o", out.toString(), "--no-synth"), "ice40-up5k");
        assertFalse(Files.exists(out), "no build directory is left behind");
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out.tmp-")), "no temp directory is left behind");
        }
    }
}
