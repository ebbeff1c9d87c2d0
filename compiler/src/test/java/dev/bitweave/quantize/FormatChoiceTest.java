package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.reference.FloatTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormatChoiceTest {
    @TempDir
    Path tmp;

    @Test
    void eachLayerTakesTheFormatWithTheSmallerErrorAndThePlanHoldsIt() throws Exception {
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            Recipe r = RecipeReader.resolve("fmt-w4a8-g32");
            Calibration cal = Calibration.sample(FloatTransformer.load(ck), 128, 1);
            List<FormatChoice.Decision> d = FormatChoice.choose(ck, r::specFor, cal);
            assertEquals(5 * 7 + 1, d.size(), "every layer matrix and the classifier");
            for (FormatChoice.Decision x : d) {
                ElementFormat want = x.floatError() < x.intError() ? ElementFormat.FP4_E2M1 : ElementFormat.INT;
                assertEquals(want, x.chosen().format(), x.tensor());
                assertEquals(32, x.chosen().groupSize());
            }
            assertEquals(d, FormatChoice.choose(ck, r::specFor, cal), "deterministic");

            PlanQuantizer q = new PlanQuantizer(r, p -> { });
            QuantizedModel m = PlanReader.load(q.quantize(ck, tmp.resolve("plan"), false));
            for (FormatChoice.Decision x : q.lastFormats()) {
                assertEquals(x.chosen().format(), m.matrices().get(x.tensor()).spec().format(), x.tensor());
            }
        }
    }

    /** Measured (docs/quantization.md): 4 bits g32 pow2, INT everywhere KL 0.266, chosen 0.153. */
    @Test
    void choosingBeatsIntEverywhereAtFourBits() throws Exception {
        assertTrue(QuantizerQuality.meanKl(tmp, "fmt-w4a8-g32") < 0.8 * QuantizerQuality.meanKl(tmp, "w4a8-gse32"));
    }

    @Test
    void theRecipeFieldIsValidated() {
        assertEquals(new Recipe.ActivationAware(256, 1), RecipeReader.resolve("fmt-w8a8").formatChoice());
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.bitweave.runtime.BadInputException.class,
                () -> RecipeReader.parse("{\"weights\": {}, \"formatChoice\": {\"x\": 1}}", "x", Path.of("r.json")));
        assertTrue(e.getMessage().contains("$.formatChoice.x: unknown field"), e.getMessage());
    }
}
