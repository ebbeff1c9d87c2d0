package dev.bitweave.cli;

import dev.bitweave.importer.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `quantize` with a mixedPrecision recipe prints the width it chose for every matrix; an unreachable target is bad input. */
class MixedPrecisionCliTest {
    @TempDir
    Path tmp;

    private Path recipe(double target) throws IOException {
        return Files.writeString(tmp.resolve("mixed-" + target + ".json"), """
                {"weights": {"format": "int", "bits": 4, "symmetric": true, "groupSize": 32, "scaleEncoding": "mul-shift"},
                 "mixedPrecision": {"targetBits": %s, "calibration": {"positions": 8}}}""".formatted(target));
    }

    @Test
    void quantizePrintsTheChosenWidths() throws IOException {
        Path out = tmp.resolve("plan");
        Cli.Result r = Cli.ok("quantize", SharedModels.stories260kBin(), "--recipe", recipe(4.0), "-o", out);
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("mixed precision: target 4.00 bits per weight as packed"), r::describe);
        // one row per matrix: token_embd and 7 per layer of stories260K's 5
        List<String> rows = lines.stream().filter(l -> l.startsWith("token_embd ") || l.startsWith("blk.")).toList();
        assertEquals(36, rows.size(), r::describe);
        assertTrue(rows.stream().map(l -> l.trim().split("\\s+")[2]).distinct().count() >= 2, r::describe);
    }

    @Test
    void aTargetBelowTheNarrowestWidthIsBadInput() throws IOException {
        // symmetric int2 in groups of 32 with 16-bit multipliers: 2.5 bits per weight, a little more for ffn_down
        // (172 columns: five groups of 32 and one of 12 per row), 2.5123 over the whole model
        Path out = tmp.resolve("never");
        String msg = Cli.badInput("quantize", SharedModels.stories260kBin(), "--recipe", recipe(2.0), "-o", out);
        Cli.assertMentions(msg, "$.mixedPrecision.targetBits: 2.0 is below the smallest average", "2.5123 bits per weight as packed");
        Cli.assertNoOutputLeft(out);
    }
}
