package dev.bitweave.reference;

import dev.bitweave.importer.Llama2cCheckpoint;
import dev.bitweave.runtime.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float path against llama2.c's own outputs on the real stories260K model. */
class FloatTransformerTest {
    private static final int LOGIT_POSITIONS = 16;
    private static final float LOGIT_TOLERANCE = 1e-4f;

    private static FloatTransformer model;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        try (Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(ReferenceRun.shared("models/stories260K.bin"))) {
            model = FloatTransformer.load(checkpoint);
        }
        tokenizer = ReferenceRun.tok512();
    }

    @Test
    void bosGreedyRunMatchesRunC() throws IOException {
        assertMatches(ReferenceRun.BOS_GREEDY);
    }

    @Test
    void onceUponATimeGreedyRunMatchesRunC() throws IOException {
        assertMatches(ReferenceRun.ONCE_GREEDY);
    }

    @Test
    void lilySampledRunMatchesRunC() throws IOException {
        assertMatches(ReferenceRun.LILY_SAMPLED);
    }

    static void assertMatches(ReferenceRun run, FloatTransformer decoder, Tokenizer tokenizer) throws IOException {
        ReferenceRun.Output out = run.runOn(decoder, tokenizer);
        assertEquals(run.expectedIds(), out.ids(), run.name() + ".ids");
        assertEquals(run.expectedText(), out.text(), run.name() + ".txt");
    }

    private static void assertMatches(ReferenceRun run) throws IOException {
        assertMatches(run, model, tokenizer);
    }

    @Test
    void logitsOfTheBosRunAgreeWithRunC() throws IOException {
        float maxError = maxLogitError(model);
        System.out.println("stories260K.bin: max |logit - run.c| over " + LOGIT_POSITIONS + " positions = " + maxError);
        assertTrue(maxError <= LOGIT_TOLERANCE, "max logit error " + maxError);
    }

    @Test
    void withGlibcMathTheLogitsAreBitIdenticalToRunC() throws IOException {
        // A tolerance would hide a change in summation order; with the C library's own exp, pow,
        // cos and sin nothing is left to differ.
        assertTrue(GlibcFloatMath.available(), "glibc libm must be loadable through JNA (Debian always has it)");
        FloatTransformer withGlibc;
        try (Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(ReferenceRun.shared("models/stories260K.bin"))) {
            withGlibc = FloatTransformer.load(checkpoint, new GlibcFloatMath());
        }
        assertEquals(0.0f, maxLogitError(withGlibc));
    }

    /** Feeds the BOS run's tokens (BOS, then each greedy NEXT) and compares every logit. */
    static float maxLogitError(FloatTransformer decoder) throws IOException {
        ByteBuffer expected = ByteBuffer.wrap(Files.readAllBytes(ReferenceRun.shared("reference/stories260K.bos.logits-f32.bin")))
                .order(ByteOrder.LITTLE_ENDIAN);
        int vocab = decoder.vocabSize();
        assertEquals(LOGIT_POSITIONS * vocab * 4, expected.remaining());
        List<String> ids = ReferenceRun.BOS_GREEDY.expectedIds();
        float maxError = 0;
        int token = Tokenizer.BOS;
        for (int pos = 0; pos < LOGIT_POSITIONS; pos++) {
            float[] logits = decoder.forward(token, pos);
            for (int i = 0; i < vocab; i++) {
                maxError = Math.max(maxError, Math.abs(logits[i] - expected.getFloat()));
            }
            token = Integer.parseInt(ids.get(pos).split(" ")[1]);
        }
        return maxError;
    }

    @Test
    void positionsMustFollowTheCachedOnes() {
        model.forward(Tokenizer.BOS, 0);
        assertThrows(IllegalArgumentException.class, () -> model.forward(Tokenizer.BOS, 2));
        assertThrows(IllegalArgumentException.class, () -> model.forward(512, 1));
        assertThrows(IllegalArgumentException.class, () -> model.forward(Tokenizer.BOS, 512));
    }
}
