package dev.bitweave.reference;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.CheckpointOpener;
import dev.bitweave.importer.GgufCheckpoint;
import dev.bitweave.runtime.text.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same model imported from GGUF (tensors converted by llama.cpp's tooling, vocabulary
 * embedded) must reproduce run.c's runs too, with tok512.bin and with its own vocabulary.
 */
class GgufFloatTransformerTest {
    private static FloatTransformer model;
    private static Tokenizer embedded;

    @BeforeAll
    static void load() throws IOException {
        try (Checkpoint checkpoint = CheckpointOpener.open(ReferenceRun.shared("models/stories260K.gguf"))) {
            assertInstanceOf(GgufCheckpoint.class, checkpoint);
            model = FloatTransformer.load(checkpoint);
            embedded = new Tokenizer(checkpoint.vocabulary().orElseThrow());
        }
    }

    @Test
    void logitsAgreeWithRunC() throws IOException {
        float maxError = FloatTransformerTest.maxLogitError(model);
        System.out.println("stories260K.gguf: max |logit - run.c| over 16 positions = " + maxError);
        assertTrue(maxError <= 1e-4f, "max logit error " + maxError);
    }

    @Test
    void allReferenceRunsMatchWithTok512() throws IOException {
        Tokenizer tok512 = ReferenceRun.tok512();
        for (ReferenceRun run : new ReferenceRun[] {ReferenceRun.BOS_GREEDY, ReferenceRun.ONCE_GREEDY, ReferenceRun.LILY_SAMPLED}) {
            FloatTransformerTest.assertMatches(run, model, tok512);
        }
    }

    @Test
    void allReferenceRunsMatchWithTheEmbeddedVocabulary() throws IOException {
        assertEquals(512, embedded.vocabSize());
        for (ReferenceRun run : new ReferenceRun[] {ReferenceRun.BOS_GREEDY, ReferenceRun.ONCE_GREEDY, ReferenceRun.LILY_SAMPLED}) {
            FloatTransformerTest.assertMatches(run, model, embedded);
        }
    }
}
