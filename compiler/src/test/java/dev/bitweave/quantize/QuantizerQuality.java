package dev.bitweave.quantize;

import dev.bitweave.eval.TeacherForcedEval;
import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.reference.FloatTransformer;
import dev.bitweave.reference.IntegerTransformer;
import dev.bitweave.runtime.text.Tokenizer;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the quantization-method tests measure: plans of stories260K against fp32, and float models against each other. */
final class QuantizerQuality {
    private QuantizerQuality() {
    }

    /** Mean KL(fp32 || plan) over 128 teacher-forced positions from BOS, the plan quantized with recipe into tmp. */
    static double meanKl(Path tmp, String recipe) throws Exception {
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            Path plan = new PlanQuantizer(RecipeReader.resolve(recipe), p -> { }).quantize(ck, tmp.resolve(Path.of(recipe).getFileName() + ".plan"), false);
            return TeacherForcedEval.run(FloatTransformer.load(ck), new IntegerTransformer(PlanReader.load(plan)),
                    new int[]{Tokenizer.BOS}, 128).meanKl();
        }
    }

    /** The two float models give the same logits (to 1e-3) over positions 0..positions-1 of a fixed token walk. */
    static void assertSameLogits(FloatTransformer a, FloatTransformer b, int vocab, int positions) {
        int token = Tokenizer.BOS;
        for (int pos = 0; pos < positions; pos++) {
            float[] la = a.forward(token, pos).clone();
            float[] lb = b.forward(token, pos);
            double max = 0;
            for (int i = 0; i < la.length; i++) max = Math.max(max, Math.abs(la[i] - lb[i]));
            assertTrue(max < 1e-3, "pos " + pos + ": logits differ by " + max);
            token = (token * 31 + pos) % vocab;
        }
    }
}
