package dev.bitweave.quantize;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipeReaderTest {
    private static final Path F = Path.of("r.json");

    @Test
    void overridesApplyInOrderAndLaterOnesWin() {
        Recipe r = RecipeReader.parse("""
                {"weights": {"format": "int", "bits": 4, "groupSize": 32, "scaleEncoding": "mul-shift", "scaleBits": 12},
                 "overrides": [{"match": "blk.*.ffn_*", "bits": 3, "symmetric": false},
                               {"match": "blk.1.ffn_down", "format": "fp8-e5m2", "scaleEncoding": "pow2"},
                               {"match": "token_embd", "bits": 8, "groupSize": 0}]}""", "x", F);
        LayerSpec q = r.specFor("blk.0.attn_q");
        assertEquals(4, q.bits());
        assertEquals(12, q.scaleBits());
        LayerSpec up = r.specFor("blk.3.ffn_up");
        assertEquals(3, up.bits());
        assertEquals(false, up.symmetric());
        LayerSpec down1 = r.specFor("blk.1.ffn_down");
        assertEquals(ElementFormat.FP8_E5M2, down1.format());
        assertEquals(8, down1.bits());
        assertEquals(ScaleEncoding.POW2, down1.scaleEncoding());
        assertEquals(0, r.specFor("token_embd").groupSize());
        assertEquals(172, r.specFor("token_embd").forColumns(172).groupSize());
        assertNull(q.activationBits());
    }

    @Test
    void presetsAllParse() {
        for (String p : RecipeReader.presets().keySet()) assertEquals(p, RecipeReader.resolve(p).name());
    }

    @Test
    void errorsNameTheJsonPath() {
        var e = assertThrows(BadInputException.class, () -> RecipeReader.parse(
                "{\"weights\": {\"bits\": 4}, \"overrides\": [{\"match\": \"x\", \"format\": \"int9\"}]}", "x", F));
        assertTrue(e.getMessage().contains("$.overrides[0].format"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RecipeReader.parse("{\"weights\": {\"format\": \"fp4-e2m1\", \"bits\": 8}}", "x", F));
        assertTrue(e.getMessage().contains("$.weights.bits"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> RecipeReader.resolve("w5a8"));
        assertTrue(e.getMessage().contains("w4a8-g32"), e.getMessage());
    }

    @Test
    void activationAwareIsValidated() {
        Recipe r = RecipeReader.parse("{\"weights\": {\"bits\": 3}, \"activationAware\": {\"calibrationTokens\": 64, \"seed\": 9}}", "x", F);
        assertEquals(new Recipe.ActivationAware(64, 9), r.activationAware());
        assertEquals(new Recipe.ActivationAware(256, 1), RecipeReader.resolve("awq-w4a8-g32").activationAware());
        assertEquals(null, RecipeReader.resolve("w4a8-g32").activationAware());
        String[][] bad = {
                {"{\"weights\": {}, \"activationAware\": 3}", "$.activationAware: expected an object"},
                {"{\"weights\": {}, \"activationAware\": {\"tokens\": 3}}", "$.activationAware.tokens: unknown field"},
                {"{\"weights\": {}, \"activationAware\": {\"calibrationTokens\": 8}}", "$.activationAware.calibrationTokens: 8 is out of range"},
                {"{\"weights\": {}, \"activationAware\": {}, \"keepPreQuantized\": true}", "$.activationAware: cannot be combined"},
        };
        for (String[] b : bad) {
            var e = assertThrows(BadInputException.class, () -> RecipeReader.parse(b[0], "x", F));
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }
}
