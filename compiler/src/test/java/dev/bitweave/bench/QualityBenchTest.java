package dev.bitweave.bench;

import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.importer.SharedModels;
import dev.bitweave.pack.HardwareParams;
import dev.bitweave.pack.WeightImagePacker;
import dev.bitweave.plan.PlanReader;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.plan.TensorEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quality benchmark on stories260K with two RTN rows and a short eval: its figures agree with the packer and the plan. */
class QualityBenchTest {
    @TempDir
    static Path work;
    static QualityBench.Result result;
    static final Board KV260 = BoardCatalog.byName("kria-kv260");

    @BeforeAll
    static void run() throws IOException {
        result = QualityBench.run(SharedModels.stories260kBin(), QualityMethod.select(QualityMethod.DEFAULTS, List.of("w8a8", "w2a8-g16")),
                KV260, 16, work, null, null, msg -> { });
    }

    @Test
    void oneRowPerMethodAndEightBitsFollowFp32CloserThanTwo() {
        assertEquals(2, result.rows().size());
        QualityBench.Row w8 = result.rows().get(0);
        QualityBench.Row w2 = result.rows().get(1);
        assertEquals("w8a8", w8.method().name());
        assertEquals(16, result.positions());
        assertTrue(w8.meanKl() < 0.05 && w2.meanKl() > 10 * w8.meanKl(), () -> w8 + " vs " + w2);
        assertTrue(w8.top1Agreement() > w2.top1Agreement(), () -> w8 + " vs " + w2);
        assertNull(w8.perplexity());
    }

    @Test
    void streamedBitsAreThePackedWeightImage() {
        for (QualityBench.Row row : result.rows()) {
            QuantizedModel plan = PlanReader.load(work.resolve("quality-" + row.method().name()));
            byte[] image = WeightImagePacker.pack(plan, HardwareParams.derive(plan, KV260)).image();
            // stories260K's classifier is token_embd: every region of weights.img is streamed once per token
            assertEquals(8L * image.length, row.streamedBitsPerToken(), row::toString);
        }
    }

    @Test
    void packedBitsPerWeightOfW8a8() {
        // int8 codes plus one 16-bit multiplier per row (per channel, mul-shift)
        QuantizedModel plan = PlanReader.load(work.resolve("quality-w8a8"));
        long rows = 0;
        long elements = 0;
        for (TensorEntry e : plan.plan().tensors()) {
            if (e.isVector()) continue;
            rows += e.rows();
            elements += (long) e.rows() * e.cols();
        }
        assertEquals(8 + 16.0 * rows / elements, result.rows().get(0).packedBitsPerWeight(), 1e-12);
    }
}
