package dev.bitweave.quantize.mixed;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.pack.LinearLayout;
import dev.bitweave.plan.Plan;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.TensorEntry;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mixed precision on the real stories260K: the plan PlanQuantizer writes meets the average-bits
 * budget (counted from the plan itself), gives different layers different widths, and is the
 * same bytes every time. A short calibration keeps it to a few seconds.
 */
class MixedPrecisionSearchTest {
    private static final String RECIPE = """
            {"name": "mixed-test", "weights": {"format": "int", "bits": 4, "symmetric": false, "groupSize": 0,
             "scaleEncoding": "mul-shift", "scaleBits": 16},
             "mixedPrecision": {"targetBits": 3.0, "calibration": {"positions": 12, "seed": 5}}}""";

    @TempDir
    static Path tmp;
    static Path plan;

    @BeforeAll
    static void quantize() throws IOException {
        plan = quantizeTo(tmp.resolve("a"));
    }

    private static Path quantizeTo(Path dir) throws IOException {
        Path recipe = Files.writeString(tmp.resolve("mixed.json"), RECIPE);
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            return new PlanQuantizer(RecipeReader.resolve(recipe.toString()), p -> { }).quantize(ck, dir, true);
        }
    }

    @Test
    void thePlanMeetsTheBudgetCountedAsPacked() {
        Plan p = PlanReader.read(plan);
        long bits = 0;
        long elements = 0;
        for (TensorEntry e : p.tensors()) {
            if (e.isVector()) continue;
            bits += LinearLayout.planBits(PlanReader.spec(e), e.rows(), e.cols());
            elements += (long) e.rows() * e.cols();
        }
        double average = bits / (double) elements;
        assertTrue(average <= 3.0, "average " + average);
        // the search spends the budget: a plan far below it would waste accuracy
        assertTrue(average > 2.9, "average " + average);
        assertEquals("mixed-test", p.recipe());
    }

    @Test
    void layersGetDifferentWidthsFromTheHardwareSet() {
        Set<Integer> widths = new TreeSet<>();
        for (TensorEntry e : PlanReader.read(plan).tensors()) if (!e.isVector()) widths.add(e.bits());
        assertTrue(widths.size() >= 2, "widths " + widths);
        assertTrue(Set.of(2, 3, 4, 8).containsAll(widths), "widths " + widths);
    }

    @Test
    void deterministic() throws IOException {
        Path again = quantizeTo(tmp.resolve("b"));
        assertArrayEquals(Files.readAllBytes(plan.resolve("plan.json")), Files.readAllBytes(again.resolve("plan.json")));
        assertArrayEquals(Files.readAllBytes(plan.resolve("tensors.bin")), Files.readAllBytes(again.resolve("tensors.bin")));
    }

    @Test
    void theSearchChoosesForEveryMatrixAndLeavesAPlainRecipe() throws IOException {
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            var r = MixedPrecisionSearch.run(ck, RecipeReader.resolve(Files.writeString(tmp.resolve("m.json"), RECIPE).toString()));
            for (BitAllocation.Choice c : r.allocation().choices()) {
                assertTrue(c.option().kl() >= 0, c::toString);
            }
            // token_embd and 7 matrices in each of the 5 layers; the reported average is the packed count
            assertEquals(36, r.allocation().choices().size());
            assertEquals(r.allocation().averageBits(), r.allocation().packedBits() / (double) r.allocation().elements());
            assertTrue(r.recipe().mixedPrecision() == null);
        }
    }
}
