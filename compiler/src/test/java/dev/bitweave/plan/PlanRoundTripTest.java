package dev.bitweave.plan;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.Recipe;
import dev.bitweave.quantize.RecipeReader;
import dev.bitweave.quantize.RoundToNearest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the quantizer computes is exactly what a plan read back from disk holds. */
class PlanRoundTripTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"w8a8", "w4a8-g32", "w4a8-gse32", "w3a8-g32", "w2a8-g16", "fp8a8"})
    void everyPresetRoundTripsThroughPlanFiles(String preset) throws Exception {
        Recipe recipe = RecipeReader.resolve(preset);
        Path dir = tmp.resolve("plan");
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            new PlanQuantizer(recipe, p -> { }).quantize(ck, dir, false);
            QuantizedModel m = PlanReader.load(dir);
            assertEquals(ck.config(), m.plan().model());
            for (TensorShape t : TensorName.all(ck.config())) {
                float[] w = ck.readFloat(t.name());
                if (TensorName.isNorm(t.name())) {
                    int[] fx = m.vectors().get(t.name());
                    for (int i = 0; i < w.length; i++) assertEquals(Math.round(w[i] * 65536.0), fx[i], t.name());
                    continue;
                }
                QuantTensor expect = new RoundToNearest(recipe.specFor(t.name()).forColumns(t.cols()))
                        .quantize(t.name(), w, t.rows(), t.cols());
                QuantTensor got = m.matrices().get(t.name());
                assertEquals(expect.spec(), got.spec(), t.name());
                assertArrayEquals(expect.codes(), got.codes(), t.name());
                assertArrayEquals(expect.mult(), got.mult(), t.name());
                assertArrayEquals(expect.exp(), got.exp(), t.name());
                assertArrayEquals(expect.zero(), got.zero(), t.name());
            }
        }
        // nothing but the plan itself is left next to it
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
        Plan p = PlanReader.read(dir);
        for (TensorEntry e : p.tensors()) {
            assertEquals(0, e.codes().offset() % Plan.ALIGNMENT);
            assertTrue(e.codes().offset() + e.codes().size() <= p.tensorsSize());
        }
        assertFalse(Files.exists(dir.resolve(PlanTokenizer.FILE)), "a .bin checkpoint carries no vocabulary");
    }
}
