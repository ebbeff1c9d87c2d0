package dev.bitweave.eval;

import dev.bitweave.runtime.generate.Decoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PerplexityTest {
    /** Predicts token + 1 with near certainty; records what it is fed. seqLen 4, vocabulary 16. */
    private static final class CountingDecoder implements Decoder {
        final List<int[]> fed = new ArrayList<>();

        @Override
        public int vocabSize() {
            return 16;
        }

        @Override
        public int seqLen() {
            return 4;
        }

        @Override
        public float[] forward(int token, int pos) {
            fed.add(new int[]{token, pos});
            float[] logits = new float[16];
            logits[(token + 1) % 16] = 100;
            return logits;
        }
    }

    @Test
    void windowsCoverEveryTokenAfterBosOnceAndFitSeqLen() {
        assertEquals(List.of(new Perplexity.Window(1, 4), new Perplexity.Window(5, 4), new Perplexity.Window(9, 2)),
                Perplexity.windows(11, 4));
        assertEquals(List.of(new Perplexity.Window(1, 1)), Perplexity.windows(2, 512));
        assertThrows(IllegalArgumentException.class, () -> Perplexity.windows(1, 512));
    }

    @Test
    void laterWindowsRestartFromBosAtPositionZero() {
        // BOS=1 then 2..10: within a window every token is input + 1, so only a window's first
        // token (predicted from BOS alone, as 2) can be missed: 6 and 10.
        int[] seq = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        CountingDecoder d = new CountingDecoder();
        Perplexity.Result r = Perplexity.of(d, seq);
        assertEquals(9, r.tokens());
        assertEquals(3, r.windows());
        List<String> fed = d.fed.stream().map(t -> t[0] + "@" + t[1]).toList();
        assertEquals(List.of("1@0", "2@1", "3@2", "4@3", "1@0", "6@1", "7@2", "8@3", "1@0"), fed);
        // two tokens at log-probability -100 (logit gap 100), seven at ~0
        assertEquals(200.0 / 9, r.meanNll(), 1e-9);
    }

    @Test
    void uniformLogitsGiveTheVocabularySize() {
        Decoder uniform = new Decoder() {
            public int vocabSize() {
                return 16;
            }

            public int seqLen() {
                return 3;
            }

            public float[] forward(int token, int pos) {
                return new float[16];
            }
        };
        assertEquals(16.0, Perplexity.of(uniform, new int[]{1, 5, 7, 3, 3, 9, 2}).perplexity(), 1e-9);
    }
}
