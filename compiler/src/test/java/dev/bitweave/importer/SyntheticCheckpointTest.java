package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticCheckpointTest {
    @Test
    void presetsHaveTheRealShapes() {
        assertEquals(List.of("stories260k", "stories15m", "stories110m", "llama2-7b"), SyntheticCheckpoint.presets());
        assertEquals(Llama2cCheckpointTest.STORIES_260K, SyntheticCheckpoint.of("stories260k", 0).config());
        assertEquals(new ModelConfig(288, 768, 6, 6, 6, 32000, 256, 10000.0, 1e-5, true),
                SyntheticCheckpoint.of("stories15m", 0).config());
        assertEquals(new ModelConfig(768, 2048, 12, 12, 12, 32000, 1024, 10000.0, 1e-5, true),
                SyntheticCheckpoint.of("stories110m", 0).config());
        SyntheticCheckpoint big = SyntheticCheckpoint.of("llama2-7b", 0);
        assertEquals(new ModelConfig(4096, 11008, 32, 32, 32, 32000, 4096, 10000.0, 1e-5, false), big.config());
        assertEquals("synthetic:llama2-7b", big.source());
        assertEquals(TensorName.OUTPUT, big.tensors().get(big.tensors().size() - 1).name());
        // 6.7 billion parameters in all, but only what is read is ever generated.
        assertEquals(6_738_415_616L, big.tensors().stream().mapToLong(TensorShape::elements).sum());
        assertEquals(11008 * 4096, big.readFloat(TensorName.ffnGate(31)).length);
    }

    @Test
    void unknownPresetListsTheValidOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> SyntheticCheckpoint.of("gpt5", 1));
        assertTrue(e.getMessage().contains("'gpt5'") && e.getMessage().contains("stories260k, stories15m, stories110m, llama2-7b"),
                e.getMessage());
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferentWeights() {
        SyntheticCheckpoint a = SyntheticCheckpoint.of("stories15m", 42);
        SyntheticCheckpoint b = SyntheticCheckpoint.of("stories15m", 42);
        SyntheticCheckpoint c = SyntheticCheckpoint.of("stories15m", 43);
        for (TensorShape t : a.tensors()) {
            if (t.elements() > 1_000_000) continue; // token_embd is slow-ish and adds nothing
            assertArrayEquals(a.readFloat(t.name()), b.readFloat(t.name()), t.name());
            assertFalse(java.util.Arrays.equals(a.readFloat(t.name()), c.readFloat(t.name())), t.name());
        }
        assertFalse(java.util.Arrays.equals(a.readFloat(TensorName.attnQ(0)), a.readFloat(TensorName.attnQ(1))));
        // Reading order does not matter.
        assertArrayEquals(a.readFloat(TensorName.attnQ(0)), SyntheticCheckpoint.of("stories15m", 42).readFloat(TensorName.attnQ(0)));
    }

    @Test
    void pinnedValuesSoTheGeneratorCannotDriftUnnoticed() {
        // Plans and benchmark baselines built from synthetic models depend on these exact bits.
        float[] q = SyntheticCheckpoint.of("stories260k", 1).readFloat(TensorName.attnQ(0));
        assertEquals(0xbcd87e4d, Float.floatToRawIntBits(q[0]));
        assertEquals(0xbcbfd1ff, Float.floatToRawIntBits(q[1]));
        assertEquals(0xbca0c2a3, Float.floatToRawIntBits(q[4095]));
    }

    @Test
    void valuesLookLikeLlamaWeights() {
        SyntheticCheckpoint s = SyntheticCheckpoint.of("stories15m", 7);
        double[] m = moments(s.readFloat(TensorName.attnQ(2)));
        assertEquals(0.0, m[0], 0.001);
        assertEquals(0.02, m[1], 0.001);
        double[] n = moments(s.readFloat(TensorName.ffnNorm(3)));
        assertEquals(1.0, n[0], 0.02);
        assertEquals(0.05, n[1], 0.01);
    }

    private static double[] moments(float[] v) {
        double sum = 0, sq = 0;
        for (float x : v) sum += x;
        double mean = sum / v.length;
        for (float x : v) sq += (x - mean) * (x - mean);
        return new double[]{mean, Math.sqrt(sq / v.length)};
    }
}
