package dev.bitweave.runtime.api;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.generate.Decoder;
import dev.bitweave.runtime.text.Tokenizer;
import dev.bitweave.runtime.text.Vocabulary;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session's loop over a scripted decoder: prefill, stop conditions, cancel, close, prompt checks. */
class SessionTest {
    private static final String[] PIECES = {"<unk>", "<s>", "</s>", " ", "a", "b", " a", " b", "ab"};
    private static final Tokenizer TOKENIZER = new Tokenizer(new Vocabulary(
            Arrays.stream(PIECES).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList(),
            new float[] {0, 0, 0, 0, 0, 0, 1, 1, 2}, 2));

    /** Predicts a fixed script by position and records the positions it was fed. */
    private static final class Scripted implements Decoder {
        final int[] script;
        final List<Integer> fed = new ArrayList<>();

        Scripted(int... script) {
            this.script = script;
        }

        @Override public int vocabSize() { return PIECES.length; }
        @Override public int seqLen() { return 8; }

        @Override
        public float[] forward(int token, int pos) {
            fed.add(pos);
            float[] logits = new float[PIECES.length];
            logits[script[Math.min(pos, script.length - 1)]] = 10;
            return logits;
        }
    }

    private static Session session(Scripted d, String prompt, SessionOptions o, AtomicInteger released) {
        return new Session(d, TOKENIZER, TOKENIZER.encode(prompt, true, false), o,
                () -> new StepCycles(d.fed.get(d.fed.size() - 1), 1000 + d.fed.size(), 500, 7), released::incrementAndGet);
    }

    private static List<GeneratedToken> drain(Session s) {
        List<GeneratedToken> out = new ArrayList<>();
        while (s.hasNext()) out.add(s.next());
        return out;
    }

    @Test
    void prefillsThenSamplesWithStatsAndEndsAtTheBudget() {
        Scripted d = new Scripted(8, 8, 4, 5, 4, 5, 4, 5);
        AtomicInteger released = new AtomicInteger();
        Session s = session(d, "a b", SessionOptions.greedy(5), released);
        List<GeneratedToken> got = drain(s);
        // "a b" is BOS, " a", " b": positions 0 and 1 are forced, then the script decides
        assertEquals(List.of(6, 7, 4, 5, 4), got.stream().map(GeneratedToken::id).toList());
        assertEquals(List.of(true, true, false, false, false), got.stream().map(GeneratedToken::fromPrompt).toList());
        assertEquals("a b", got.get(0).text() + got.get(1).text(), "run.c drops the space after BOS");
        assertEquals(1001, got.get(0).stats().cycles());
        assertEquals(500, got.get(0).stats().rooflineCycles());
        assertEquals(7, got.get(0).stats().boardNanos());
        assertTrue(got.get(0).stats().hostNanos() >= 0);
        assertEquals(StopReason.STEPS, s.stopReason());
        assertEquals(5, s.positions());
        s.close();
        s.close();
        assertEquals(1, released.get(), "close hands the board back once");
    }

    @Test
    void stopsAtEosAndBosUnlessAskedNotTo() {
        Session eos = session(new Scripted(4, 5, 2, 4), "", SessionOptions.greedy(8), new AtomicInteger());
        assertEquals(List.of(4, 5), drain(eos).stream().map(GeneratedToken::id).toList());
        assertEquals(StopReason.EOS, eos.stopReason());
        Session through = session(new Scripted(4, 5, 2, 4), "", SessionOptions.greedy(5).withStopAtEos(false), new AtomicInteger());
        assertEquals(List.of(4, 5, 2, 4, 4), drain(through).stream().map(GeneratedToken::id).toList());
        Session bos = session(new Scripted(4, 1, 4), "", SessionOptions.greedy(8), new AtomicInteger());
        assertEquals(1, drain(bos).size());
        assertEquals(StopReason.BOS, bos.stopReason());
    }

    @Test
    void aStopStringEndsAfterTheTokenThatCompletesIt() {
        Session s = session(new Scripted(4, 5, 3, 8, 4, 4), "", SessionOptions.greedy(8).withStop("ba"), new AtomicInteger());
        List<GeneratedToken> got = drain(s);
        // a, b, " ", ab: "ab ab" contains "ba"? no: "ab" + " " + "ab" = "ab ab"; then a -> "ab aba" contains "ba"
        assertEquals(List.of(4, 5, 3, 8, 4), got.stream().map(GeneratedToken::id).toList());
        assertEquals(StopReason.STOP_STRING, s.stopReason());
    }

    @Test
    void cancelEndsAfterTheCurrentStepAndCloseReleases() {
        Scripted d = new Scripted(4);
        AtomicInteger released = new AtomicInteger();
        Session s = session(d, "", SessionOptions.greedy(8), released);
        assertTrue(s.hasNext());
        assertNull(s.stopReason(), "running");
        s.cancel();
        s.next();
        assertFalse(s.hasNext());
        assertEquals(StopReason.CANCELLED, s.stopReason());
        assertEquals(1, d.fed.size(), "no step after cancel");
        assertEquals(0, released.get(), "cancel keeps the board until close");
        s.close();
        assertEquals(1, released.get());
        assertThrows(java.util.NoSuchElementException.class, s::next);
    }

    @Test
    void promptsLongerThanSeqLenOrOutsideTheVocabularyAreRefused() {
        Scripted d = new Scripted(4);
        SessionOptions o = SessionOptions.greedy(0);
        BadInputException e = assertThrows(BadInputException.class, () -> new Session(d, TOKENIZER,
                new int[] {1, 4, 4, 4, 4, 4, 4, 4, 4}, o, () -> null, () -> { }));
        assertTrue(e.getMessage().contains("9 tokens (with BOS) but the model's seq_len is 8"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> new Session(d, TOKENIZER, new int[] {1, 9}, o, () -> null, () -> { }));
        assertTrue(e.getMessage().contains("prompt token 1 is 9, outside the vocabulary (0..8)"), e.getMessage());
        assertTrue(d.fed.isEmpty());
        assertThrows(BadInputException.class, () -> SessionOptions.sampled(-1f, 0.9f, 1, 4));
        assertThrows(BadInputException.class, () -> SessionOptions.sampled(1f, 1.5f, 1, 4));
    }
}
