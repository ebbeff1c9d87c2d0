package dev.bitweave.hw.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.cli.Cli;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run BUILD` on the simulated board through the host API: a load progress line and a statistics
 * line on stderr, the text on stdout equal to the integer reference's, and with --json one record
 * whose ids and text are the reference's and whose statistics are filled in.
 */
class RunBoardCliTest {
    private static final String PROMPT = "Once upon a time";

    private static Object[] args(Path build, Object... more) {
        Object[] base = {"run", build, "--tokenizer", SharedModels.tok512(), "-n", "24", "-i", PROMPT};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void progressTextStatisticsAndJson() throws Exception {
        Path build = Overlays.build(Overlays.plan("stories260k-real", "w8a8"), Overlays.KV260);
        Object[] sampled = {"-t", "1.0", "-p", "0.9", "-s", "42"};
        Cli.Result ref = Cli.ok(args(build, "--backend", "reference", "-t", "1.0", "-p", "0.9", "-s", "42"));
        Cli.Result refIds = Cli.ok(args(build, "--backend", "reference", "-t", "1.0", "-p", "0.9", "-s", "42", "--ids"));

        Cli.Result text = Cli.ok(args(build, sampled));
        assertEquals(ref.out(), text.out(), "streamed text");
        Cli.assertMentions(text.stderr(), "loading images   0%", "loading images 100%", "MB/s", "cycles per token",
                "of the memory roofline", "projected", "host ", "ms per token");

        Cli.Result json = Cli.ok(args(build, "--json", "-t", "1.0", "-p", "0.9", "-s", "42"));
        assertEquals(1, json.outLines().size(), json.describe());
        JsonNode r = new ObjectMapper().readTree(json.out());
        List<String> lines = new ArrayList<>();
        for (JsonNode t : r.get("tokens")) lines.add(t.get("pos").asInt() + " " + t.get("id").asInt());
        assertEquals(refIds.outLines(), lines, "ids in the JSON record");
        assertEquals(ref.out().strip(), r.get("text").asText().strip(), "text in the JSON record");
        assertEquals(42, r.get("seed").asLong());
        assertEquals("STEPS", r.get("stop_reason").asText());
        assertTrue(r.get("tokens").get(0).get("prompt").asBoolean() && !r.get("tokens").get(23).get("prompt").asBoolean());
        JsonNode s = r.get("stats");
        assertEquals(24, s.get("tokens").asInt());
        assertTrue(s.get("cycles_per_token").asDouble() > 1000, s.toString());
        double roof = s.get("roofline_fraction").asDouble();
        assertTrue(roof > 0 && roof <= 1, s.toString());
        assertEquals(s.get("clock_mhz").asDouble() * 1e6 / s.get("cycles_per_token").asDouble(),
                s.get("projected_tokens_per_s").asDouble(), 0.01 * s.get("projected_tokens_per_s").asDouble());
        assertTrue(s.get("host_ms_per_token").asDouble() > 0 && s.get("board_ms_per_token").asDouble() > 0, s.toString());
        assertTrue(s.get("load_bytes").asLong() > 100_000 && s.get("load_write_mb_per_s").asDouble() > 0
                && s.get("load_verify_mb_per_s").asDouble() > 0, s.toString());
        assertFalse(json.stderr().contains("Exception"), json.stderr());

        Cli.assertMentions(Cli.badInput(args(build, "--json", "--ids")), "--ids and --json");
        Cli.assertMentions(Cli.badInput(args(Overlays.plan("stories260k-real", "w8a8"), "--json")), "--json applies to a build");
    }
}
