package dev.bitweave.hw.decoder;

import dev.bitweave.cli.Cli;
import dev.bitweave.hw.linear.Overlays;
import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run BUILD --backend sim` generates on the simulated board exactly what the integer reference
 * generates from the same build: greedy and seeded nucleus sampling, 64 tokens, two boards; an
 * activation-aware plan and a low-rank-corrected one too (ordinary tensors and entries: the same
 * hardware runs them).
 */
class RunSimCliTest {
    private static Object[] args(Path build, String backend, Object... more) {
        Object[] base = {"run", build, "--backend", backend, "--tokenizer", SharedModels.tok512(), "-n", "64", "--ids"};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"w8a8, kria-kv260", "w8a8, alveo-u280", "w4a8-g32, kria-kv260", "w4a8-g32, alveo-u280",
            "mixed, kria-kv260", "mixed, alveo-u280", "awq-w3a8-g32, kria-kv260", "w3a8-g32-lr8, alveo-u280",
            "fmt-w4a8-g32, kria-kv260", "fp8-int8-embedding, kria-kv260", "mixed-3.0, kria-kv260",
            "sal-w3a8-g32, alveo-u280", "ada-w4a8-g32, kria-kv260"})
    void simGeneratesTheReferenceTokens(String recipe, String board) {
        Path build = Overlays.build(Overlays.plan("stories260k-real", recipe), board);
        Cli.Result ref = Cli.ok(args(build, "reference", "-t", "0"));
        Cli.Result sim = Cli.ok(args(build, "sim", "-t", "0"));
        assertEquals(ref.out(), sim.out(), "greedy ids");
        assertEquals(64, ref.out().lines().count());
        assertTrue(sim.stderr().contains("cycles per token") && sim.stderr().contains("of the memory roofline")
                && sim.stderr().contains("projected"), sim.stderr());
        if (recipe.equals("w8a8")) {
            Object[] sampled = {"-t", "1.0", "-p", "0.9", "-s", "42"};
            assertEquals(Cli.ok(args(build, "reference", sampled)).out(), Cli.ok(args(build, "sim", sampled)).out(), "sampled ids");
        }
    }

    @Test
    void badUseOfTheSimBackendIsOneLine() {
        Path plan = Overlays.plan("stories260k-real", "w8a8");
        Path build = Overlays.build(plan, Overlays.KV260);
        Cli.assertMentions(Cli.badInput("run", plan, "--backend", "sim", "--tokenizer", SharedModels.tok512()),
                "sim backend runs a build directory");
        Cli.assertMentions(Cli.badInput("run", build, "--board", "alveo-u280", "--tokenizer", SharedModels.tok512()),
                "built for kria-kv260", "alveo-u280");
        Cli.assertMentions(Cli.badInput("run", build, "--backend", "float"), "float backend needs the checkpoint");
        Cli.assertMentions(Cli.badInput("run", build, "--max-cycles", "0", "--tokenizer", SharedModels.tok512()),
                "--max-cycles must be positive");
        Cli.assertMentions(Cli.badInput("run", build, "--driver", "fpga", "--tokenizer", SharedModels.tok512()),
                "unknown board driver 'fpga'", "sim, xrt or zynq");
        Cli.assertMentions(Cli.badInput("run", plan, "--driver", "zynq", "--tokenizer", SharedModels.tok512()),
                "--driver and --driver-config apply to a build");
        Cli.assertMentions(Cli.badInput("run", build, "--driver-config", "latency=x", "--tokenizer", SharedModels.tok512(), "-n", "2"),
                "sim driver", "latency");
        // a step that cannot finish in time ends with the program entry it reached, not a hang
        Cli.Result hung = Cli.run("run", build, "--max-cycles", "3000", "--tokenizer", SharedModels.tok512(), "-n", "4");
        assertEquals(1, hung.code(), hung.describe());
        Cli.assertMentions(hung.stderr(), "did not finish within 3000 cycles", "program entry");
    }
}
