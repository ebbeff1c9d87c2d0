package dev.bitweave.reference;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.quantize.PlanQuantizer;
import dev.bitweave.quantize.RecipeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Feeding position 0 again starts a new sequence (perplexity windows rely on it); skipping positions is still refused. */
class IntegerTransformerRestartTest {
    @TempDir
    Path tmp;

    @Test
    void positionZeroStartsOverBitExactly() throws IOException {
        QuantizedModel m;
        try (Checkpoint ck = CheckpointOpener.open(SharedModels.stories260kBin())) {
            m = PlanReader.load(new PlanQuantizer(RecipeReader.resolve("w4a8-g32"), p -> { }).quantize(ck, tmp.resolve("p"), false));
        }
        int[] first = {1, 400, 261, 263, 471, 350};
        int[] second = {1, 22, 90, 7};
        IntegerTransformer reused = new IntegerTransformer(m);
        for (int pos = 0; pos < first.length; pos++) reused.forward(first[pos], pos);
        IntegerTransformer fresh = new IntegerTransformer(m);
        for (int pos = 0; pos < second.length; pos++) {
            reused.forward(second[pos], pos);
            fresh.forward(second[pos], pos);
            assertArrayEquals(fresh.logitsFx(), reused.logitsFx(), "position " + pos);
        }
        assertThrows(IllegalStateException.class, () -> fresh.forward(5, 6));
    }
}
