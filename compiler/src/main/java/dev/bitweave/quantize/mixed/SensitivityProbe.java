package dev.bitweave.quantize.mixed;

import dev.bitweave.eval.TeacherForcedEval;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.reference.FloatTransformer;

import java.io.IOException;
import java.util.Map;

/**
 * How much the whole model's output moves when one weight matrix is replaced by its quantized
 * values: mean KL(float || float with that matrix dequantized) over the calibration positions,
 * teacher-forced. Only weight error is measured (activations stay fp32), one matrix at a time.
 */
final class SensitivityProbe {
    private final Checkpoint checkpoint;
    private final Map<String, float[]> weights;
    private final CalibrationSequence calibration;

    SensitivityProbe(Checkpoint checkpoint, Map<String, float[]> weights, CalibrationSequence calibration) {
        this.checkpoint = checkpoint;
        this.weights = weights;
        this.calibration = calibration;
    }

    double meanKl(String tensor, float[] replacement) throws IOException {
        FloatTransformer model = FloatTransformer.load(new SubstitutedCheckpoint(checkpoint, weights, tensor, replacement));
        int[] tokens = calibration.tokens();
        double sum = 0;
        for (int pos = 0; pos < tokens.length; pos++) {
            sum += TeacherForcedEval.kl(calibration.logits()[pos], model.forward(tokens[pos], pos));
        }
        return sum / tokens.length;
    }
}
