package dev.bitweave.quantize;

import dev.bitweave.eval.TeacherForcedEval;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.numerics.ActivationPrecision;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.text.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Method 5: the peak-to-mean test, its calibration, and what it buys on stories260K. */
class AdaptiveActivationsTest {
    @Test
    void theTestIsExactAtTheThreshold() {
        int[] flat = {5, -5, 5, -5};
        assertEquals(256, ActivationPrecision.scoreQ8(flat));
        int[] oneHot = new int[64];
        oneHot[7] = -3;
        assertEquals(256 * 64, ActivationPrecision.scoreQ8(oneHot));
        int[] x = {100, 3, -7, 1, 0, 2};   // P = 600 / 113, 256 P = 1359.29
        int s = ActivationPrecision.scoreQ8(x);
        assertEquals(1360, s);
        assertEquals(4, new ActivationPrecision(8, 4, s).bitsFor(x));
        assertEquals(8, new ActivationPrecision(8, 4, s - 1).bitsFor(x));
        assertEquals(8, ActivationPrecision.fixed(8).bitsFor(x));
        assertEquals(4, new ActivationPrecision(8, 4, 0).bitsFor(new int[5]), "all zero: 0 <= 0");
        int[] extreme = {Integer.MIN_VALUE, Integer.MIN_VALUE};
        assertEquals(4, new ActivationPrecision(8, 4, 256).bitsFor(extreme));
    }

    @Test
    void theThresholdSendsTheFractionAskedForToTheLowWidth() {
        List<Integer> scores = List.of(900, 300, 500, 700, 1100, 400);
        assertEquals(500, AdaptiveActivationCalibration.threshold(scores, 0.5));
        assertEquals(0, AdaptiveActivationCalibration.threshold(scores, 0.0));
        assertEquals(1100, AdaptiveActivationCalibration.threshold(scores, 1.0));
    }

    @Test
    void recipesAreValidated() {
        Path f = Path.of("r.json");
        var e = assertThrows(BadInputException.class, () -> RecipeReader.parse(
                "{\"weights\": {\"bits\": 8}, \"adaptiveActivations\": {\"lowBits\": 8}}", "x", f));
        assertTrue(e.getMessage().contains("$.adaptiveActivations.lowBits"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RecipeReader.parse(
                "{\"weights\": {\"bits\": 8}, \"adaptiveActivations\": {\"fraction\": 1.5}}", "x", f));
        assertTrue(e.getMessage().contains("$.adaptiveActivations.fraction"), e.getMessage());
        assertEquals(new Recipe.AdaptiveActivations(4, 0.5, 256, 1), RecipeReader.resolve("ada-w8a8").adaptiveActivations());
    }

    /**
     * Half the calibration vectors at 4 bits, chosen by the score, costs a fraction of what 4 bits
     * everywhere costs; the share at 4 bits on other text stays near the half asked for; the
     * classifier's input never goes low.
     */
    @Test
    void halfTheVectorsAtFourBitsCostLittleOnStories260k(@TempDir Path tmp) throws Exception {
        Path w8a4 = Files.writeString(tmp.resolve("w8a4.json"), "{\"weights\": {\"bits\": 8}, \"activations\": 4}");
        double all4 = QuantizerQuality.meanKl(tmp, w8a4.toString());
        double all8 = QuantizerQuality.meanKl(tmp, "w8a8");
        Map<String, int[]> counts = new HashMap<>();
        double adaptive;
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            Path plan = new PlanQuantizer(RecipeReader.resolve("ada-w8a8"), p -> { }).quantize(ck, tmp.resolve("ada"), false);
            IntegerTransformer it = new IntegerTransformer(PlanReader.load(plan));
            it.setActivationTap((tensor, x, bits) -> counts.computeIfAbsent(tensor, k -> new int[2])[bits == 4 ? 1 : 0]++);
            adaptive = TeacherForcedEval.run(FloatTransformer.load(ck), it, new int[]{Tokenizer.BOS}, 128).meanKl();
        }
        assertTrue(adaptive < all4 / 3 && adaptive > all8, "KL w8a8 " + all8 + ", adaptive " + adaptive + ", w8a4 " + all4);
        int low = 0;
        int total = 0;
        for (var e : counts.entrySet()) {
            if (e.getKey().startsWith("blk.")) {
                low += e.getValue()[1];
                total += e.getValue()[0] + e.getValue()[1];
            } else {
                assertEquals(0, e.getValue()[1], e.getKey() + " went to 4 bits");
            }
        }
        double share = (double) low / total;
        assertTrue(share > 0.3 && share < 0.7, "share at 4 bits " + share);
    }

    @Test
    void aPlanWhoseLowWidthIsNotBelowTheWidthIsRefused(@TempDir Path tmp) throws Exception {
        Path plan;
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            plan = new PlanQuantizer(RecipeReader.resolve("ada-w8a8"), p -> { }).quantize(ck, tmp.resolve("ada"), false);
        }
        Path json = plan.resolve("plan.json");
        String s = Files.readString(json);
        Files.writeString(json, s.replaceFirst("\"lowBits\" : 4", "\"lowBits\" : 7").replaceFirst("\"activations\" : 8", "\"activations\" : 6"));
        var e = assertThrows(BadInputException.class, () -> PlanReader.load(plan));
        assertTrue(e.getMessage().contains("activationPolicy"), e.getMessage());
    }
}
