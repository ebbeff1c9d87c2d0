package dev.bitweave.hw.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.cli.Cli;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.TokenizerFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `bench host` on the stories260K build: every row is measured (positive times, as many samples as
 * asked), the 32,000-vocabulary total is the sum of its parts, and the comparison uses the
 * stories110M KV260 token of docs/benchmarks.md. Bad input is one line.
 */
class HostBenchCliTest {
    @Test
    void measuresEveryPartAndComparesWithTheBoardToken() throws Exception {
        Path build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.KV260);
        Cli.Result r = Cli.ok("bench", "host", "--build", build, "--tokenizer", SharedModels.tok512(), "-n", "12", "--json");
        String out = r.out();
        Cli.assertMentions(out, "| host per generated token, vocabulary 512 (us) |", "over 32,000 logits, temperature 1, top-p 0.9",
                "4,112,170 cycles", "13.71 ms at 300 MHz", "Image load into the simulated board");
        JsonNode j = new ObjectMapper().readTree(out.substring(out.indexOf("\n{") + 1));
        // 2 sessions x (12 positions - the prompt's positions after BOS, whose tokens are forced) generated tokens
        int prompt = new Tokenizer(TokenizerFile.read(SharedModels.tok512(), 512)).encode("Once upon a time", true, false).length;
        assertEquals(2 * (12 - (prompt - 1)), j.get("hostPerToken").get("samples").asInt(), out);
        for (String k : new String[] {"hostPerToken", "regCall", "logits32k", "greedy32k", "topp32k", "multinomial32k", "decode32k"}) {
            JsonNode s = j.get(k);
            assertTrue(s.get("mean").asDouble() > 0 && s.get("max").asDouble() >= s.get("median").asDouble(), k + ": " + s);
        }
        double parts = (8 * j.get("regCall").get("mean").asDouble() + j.get("logits32k").get("mean").asDouble()
                + Math.max(j.get("topp32k").get("mean").asDouble(), Math.max(j.get("greedy32k").get("mean").asDouble(),
                j.get("multinomial32k").get("mean").asDouble())) + j.get("decode32k").get("mean").asDouble()) / 1e3;
        assertEquals(parts, j.get("host32kMs").asDouble(), 1e-9);
        assertEquals((8 * j.get("regCall").get("mean").asDouble() + j.get("logits32k").get("mean").asDouble()
                + j.get("topp32k").get("mean").asDouble() + j.get("decode32k").get("mean").asDouble()) / 1e3,
                j.get("host32kToppMs").asDouble(), 1e-9);
        Cli.assertMentions(out, "By sampler (mean): greedy");
        assertEquals(4_112_170 / 300e3, j.get("onBoardMs300").asDouble(), 1e-9);
        assertEquals(parts / (4_112_170 / 300e3), j.get("fractionOf300").asDouble(), 1e-9);
        assertTrue(j.get("load").get("bytes").asLong() > 100_000 && j.get("rawWriteMBps").asDouble() > 0, out);
        assertTrue(j.get("cyclesPerToken").asDouble() > 1000, out);

        Cli.assertMentions(Cli.badInput("bench", "host"), "needs --build");
        Cli.assertMentions(Cli.badInput("bench", "host", "--build", Overlays.plan("stories260k-real", "w8a8")), "not a build directory");
    }
}
