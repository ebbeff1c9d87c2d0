package dev.bitweave.runtime.generate;

import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.sample.Sampler;
import dev.bitweave.runtime.text.Tokenizer;

import java.util.function.Consumer;

/**
 * run.c's generate loop over any decoder: feed the prompt (BOS first) position by position,
 * forcing the prompt's own tokens while inside it, then sample; stop at the step budget or
 * when BOS is sampled.
 */
public final class Generator {
    private final Decoder decoder;
    private final Tokenizer tokenizer;
    private final Sampler sampler;

    public Generator(Decoder decoder, Tokenizer tokenizer, Sampler sampler) {
        if (tokenizer.vocabSize() != decoder.vocabSize()) {
            throw new BadInputException("the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocab_size is " + decoder.vocabSize());
        }
        if (sampler.vocabSize() != decoder.vocabSize()) {
            throw new IllegalArgumentException("sampler vocabSize " + sampler.vocabSize()
                    + " differs from the model's vocab_size " + decoder.vocabSize());
        }
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.sampler = sampler;
    }

    /**
     * @param prompt   text to continue; null or empty means BOS only
     * @param steps    positions to run, at most seq_len; 0 means seq_len (run.c's -n 0)
     * @param listener receives every step that produced a piece, in order
     */
    public Generation generate(String prompt, int steps, Consumer<Step> listener) {
        Run run = start(tokenizer.encode(prompt == null ? "" : prompt, true, false), steps);
        for (Step s = run.next(); s != null; s = run.next()) {
            listener.accept(s);
        }
        return run.result();
    }

    /**
     * The same loop one step at a time, for callers that pull tokens (an iterator) instead of
     * receiving them. promptTokens must start with BOS, as {@link Tokenizer#encode} gives it.
     *
     * @param steps positions to run, at most seq_len; 0 means seq_len (run.c's -n 0)
     */
    public Run start(int[] promptTokens, int steps) {
        int seqLen = decoder.seqLen();
        if (steps < 0) {
            throw new BadInputException("steps is " + steps + ", expected a value >= 0 (0 = seq_len " + seqLen + ")");
        }
        if (promptTokens.length == 0) {
            throw new BadInputException("the prompt has no tokens; it must start with BOS (" + Tokenizer.BOS + ")");
        }
        if (promptTokens.length > seqLen) {
            throw new BadInputException("the prompt is " + promptTokens.length + " tokens (with BOS) but the model's seq_len is "
                    + seqLen);
        }
        for (int i = 0; i < promptTokens.length; i++) {
            if (promptTokens[i] < 0 || promptTokens[i] >= decoder.vocabSize()) {
                throw new BadInputException("prompt token " + i + " is " + promptTokens[i] + ", outside the vocabulary (0.."
                        + (decoder.vocabSize() - 1) + ")");
            }
        }
        return new Run(promptTokens.clone(), steps == 0 || steps > seqLen ? seqLen : steps);
    }

    /** One run of the loop; not thread-safe (one caller pulls its steps). */
    public final class Run {
        private final int[] promptTokens;
        private final int steps;
        private int token;
        private int pos;
        private boolean stoppedAtBos;

        private Run(int[] promptTokens, int steps) {
            this.promptTokens = promptTokens;
            this.steps = steps;
            this.token = promptTokens[0];
        }

        /** The next step that produced a piece, or null when the run has ended (budget or BOS). */
        public Step next() {
            if (stoppedAtBos || pos >= steps) {
                return null;
            }
            float[] logits = decoder.forward(token, pos);
            int next = pos < promptTokens.length - 1 ? promptTokens[pos + 1] : sampler.sample(logits);
            int fed = pos++;
            if (next == Tokenizer.BOS) {
                stoppedAtBos = true;
                return null;
            }
            Step s = new Step(fed, next, tokenizer.decode(token, next));
            token = next;
            return s;
        }

        /** Positions fed so far. */
        public int forwardSteps() {
            return pos;
        }

        /** True when the prompt is still being fed: the next step's token is forced, not sampled. */
        public boolean inPrompt() {
            return pos < promptTokens.length - 1;
        }

        public Generation result() {
            return new Generation(promptTokens.clone(), pos, stoppedAtBos);
        }
    }
}
