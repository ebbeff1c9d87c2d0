package dev.bitweave.runtime.generate;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.Vocabulary;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    private static final String[] PIECES = {"<unk>", "<s>", "</s>", " ", "a", "b", " a", " b", "ab"};
    private static final Tokenizer TOKENIZER = new Tokenizer(new Vocabulary(
            Arrays.stream(PIECES).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList(),
            new float[] {0, 0, 0, 0, 0, 0, 1, 1, 2}, 2));

    /** Always predicts a fixed script of tokens by position, and records what it was fed. */
    private static class ScriptedDecoder implements Decoder {
        final int[] script;
        final int seqLen;
        final List<String> fed = new ArrayList<>();

        ScriptedDecoder(int seqLen, int... script) {
            this.seqLen = seqLen;
            this.script = script;
        }

        @Override public int vocabSize() { return PIECES.length; }
        @Override public int seqLen() { return seqLen; }

        @Override
        public float[] forward(int token, int pos) {
            assertEquals(fed.size(), pos, "positions are fed in order");
            fed.add(pos + ":" + token);
            float[] logits = new float[PIECES.length];
            logits[script[Math.min(pos, script.length - 1)]] = 10;
            return logits;
        }
    }

    private static Sampler greedy() {
        return new Sampler(PIECES.length, 0f, 0.9f, 1);
    }

    @Test
    void forcesThePromptThenSamplesAndDecodesEachStep() {
        ScriptedDecoder d = new ScriptedDecoder(16, 5, 5, 4, 8, 7);
        List<Step> steps = new ArrayList<>();
        Generation g = new Generator(d, TOKENIZER, greedy()).generate("a b", 5, steps::add);
        // "a b" -> BOS, " a", " b"
        assertArrayEquals(new int[] {1, 6, 7}, g.promptTokens());
        assertEquals(List.of("0 6", "1 7", "2 4", "3 8", "4 7"), steps.stream().map(Step::idsLine).toList());
        assertEquals(List.of("0:1", "1:6", "2:7", "3:4", "4:8"), d.fed);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        steps.forEach(s -> text.writeBytes(Tokenizer.printable(s.piece())));
        // the first piece follows BOS, so its space goes
        assertEquals("a baab b", text.toString(StandardCharsets.UTF_8));
        assertEquals(5, g.forwardSteps());
        assertFalse(g.stoppedAtBos());
    }

    @Test
    void stopsWhenBosIsSampledWithoutEmittingIt() {
        ScriptedDecoder d = new ScriptedDecoder(16, 4, 5, 1, 4);
        List<Step> steps = new ArrayList<>();
        Generation g = new Generator(d, TOKENIZER, greedy()).generate("", 10, steps::add);
        assertEquals(List.of("0 4", "1 5"), steps.stream().map(Step::idsLine).toList());
        assertEquals(3, g.forwardSteps());
        assertTrue(g.stoppedAtBos());
    }

    @Test
    void stepsAreCappedAtSeqLenAndZeroMeansSeqLen() {
        List<Step> steps = new ArrayList<>();
        new Generator(new ScriptedDecoder(4, 4), TOKENIZER, greedy()).generate(null, 100, steps::add);
        assertEquals(4, steps.size());
        steps.clear();
        new Generator(new ScriptedDecoder(3, 4), TOKENIZER, greedy()).generate(null, 0, steps::add);
        assertEquals(3, steps.size());
    }

    @Test
    void aPromptLongerThanSeqLenIsRejectedWithBothCounts() {
        Generator g = new Generator(new ScriptedDecoder(3, 4), TOKENIZER, greedy());
        // BOS, " a", "b", " a" ... : "a b a b" -> BOS, " a", " b", " a", " b" = 5 tokens
        BadInputException e = assertThrows(BadInputException.class, () -> g.generate("a b a b", 3, s -> { }));
        assertEquals("the prompt is 5 tokens (with BOS) but the model's seq_len is 3", e.getMessage());
    }

    @Test
    void tokenizerMustMatchTheModelVocabulary() {
        Decoder other = new ScriptedDecoder(4, 4) {
            @Override public int vocabSize() { return 32000; }
        };
        assertThrows(BadInputException.class, () -> new Generator(other, TOKENIZER, greedy()));
    }
}
