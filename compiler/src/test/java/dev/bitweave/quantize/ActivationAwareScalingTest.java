package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.importer.SyntheticCheckpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.reference.FloatTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationAwareScalingTest {
    @TempDir
    Path tmp;

    /** The checkpoint with the scalings applied but nothing rounded: the same model in exact arithmetic. */
    record Scaled(Checkpoint base, ActivationAwareScaling.Scales s) implements Checkpoint {
        public String source() {
            return "scaled " + base.source();
        }

        public ModelConfig config() {
            return base.config();
        }

        public List<TensorShape> tensors() {
            return base.tensors();
        }

        public float[] readFloat(String name) throws IOException {
            float[] w = base.readFloat(name);
            if (TensorName.isNorm(name)) return s.gains(name, w);
            TensorShape t = tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            return s.matrix(name, w, t.rows(), t.cols());
        }

        public void close() {
        }
    }

    /** GQA (kvMul 2) and an untied classifier, so every fold and the kv-head sharing are exercised. */
    @Test
    void foldingLeavesTheFloatModelUnchanged() throws Exception {
        ModelConfig c = new ModelConfig(64, 96, 2, 8, 4, 128, 64, 10000, 1e-5, false);
        try (Checkpoint ck = SyntheticCheckpoint.of("awq", c, 7)) {
            Recipe r = RecipeReader.resolve("awq-w3a8-g32");
            Calibration cal = Calibration.sample(FloatTransformer.load(ck), 64, 3);
            ActivationAwareScaling.Scales s = ActivationAwareScaling.fit(ck, r::specFor, cal);
            assertTrue(s.groups().stream().anyMatch(g -> g.alpha() > 0), "some group is scaled");
            FloatTransformer a = FloatTransformer.load(ck);
            FloatTransformer b = FloatTransformer.load(new Scaled(ck, s));
            QuantizerQuality.assertSameLogits(a, b, c.vocabSize(), 20);
        }
    }

    @Test
    void everyStepMeasuresNoWorseThanRtnOnTheCalibrationData() throws Exception {
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            Calibration cal = Calibration.sample(FloatTransformer.load(ck), 128, 1);
            ActivationAwareScaling.Scales s = ActivationAwareScaling.fit(ck, RecipeReader.resolve("awq-w2a8-g16")::specFor, cal);
            assertEquals(5 * 4 + 1, s.groups().size(), "four scaling groups per layer and the classifier");
            for (ActivationAwareScaling.Group g : s.groups()) {
                assertTrue(g.errorScaled() <= g.errorRtn() && g.errorClipped() <= g.errorScaled(), g.input());
            }
            assertTrue(s.groups().stream().mapToDouble(g -> g.errorClipped() / g.errorRtn()).average().orElseThrow() < 0.9,
                    "scaling and clipping cut the calibration output error by more than 10% on average");
        }
    }

    /** Measured (docs/quantization.md): 3 bits top-1 0.695 -> 0.715, KL 0.478 -> 0.382; 2 bits KL 4.21 -> 3.13. */
    @Test
    void beatsRoundToNearestOnStories260k() throws Exception {
        for (String bits : List.of("w3a8-g32", "w2a8-g16")) {
            double rtn = QuantizerQuality.meanKl(tmp, bits);
            double awq = QuantizerQuality.meanKl(tmp, "awq-" + bits);
            assertTrue(awq < 0.85 * rtn, bits + ": KL " + awq + " against RTN " + rtn);
        }
    }
}
