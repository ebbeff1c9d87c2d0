package dev.bitweave.eval;

import dev.bitweave.runtime.generate.Decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Perplexity of a decoder over a token sequence that starts with BOS: exp of the mean negative
 * log-likelihood (natural log) of every token after BOS, each predicted from the tokens before it.
 *
 * <p>A model attends to at most seqLen positions, so a long text is cut into windows that do not
 * overlap. Window k scores text tokens [1 + k*seqLen, 1 + (k+1)*seqLen) of the sequence (index 0 is
 * BOS): it feeds BOS at position 0 and then the window's tokens but its last, so it fills at most
 * seqLen positions and scores up to seqLen tokens. The first window is the plain sequence; a later
 * window's first token is predicted from BOS alone and the rest see only their own window. Every
 * token after BOS is scored exactly once.
 */
public final class Perplexity {
    /**
     * @param first index in the sequence of the window's first scored token
     * @param count tokens it scores (= positions it feeds)
     */
    public record Window(int first, int count) {
    }

    /**
     * @param tokens  scored tokens (the sequence length minus BOS)
     * @param windows windows used
     * @param meanNll mean negative log-likelihood in nats per token
     */
    public record Result(int tokens, int windows, double meanNll) {
        public double perplexity() {
            return Math.exp(meanNll);
        }
    }

    private Perplexity() {
    }

    /** The windows for a sequence of {@code length} tokens (BOS included) and a model of {@code seqLen} positions. */
    public static List<Window> windows(int length, int seqLen) {
        if (length < 2) throw new IllegalArgumentException("perplexity needs BOS and at least one token, got " + length + " tokens");
        if (seqLen < 1) throw new IllegalArgumentException("seqLen " + seqLen);
        List<Window> out = new ArrayList<>();
        for (int first = 1; first < length; first += seqLen) out.add(new Window(first, Math.min(seqLen, length - first)));
        return out;
    }

    /** @param sequence tokens, sequence[0] being BOS (which every window feeds at position 0) */
    public static Result of(Decoder decoder, int[] sequence) {
        List<Window> windows = windows(sequence.length, decoder.seqLen());
        double nll = 0;
        for (Window w : windows) {
            for (int pos = 0; pos < w.count(); pos++) {
                int input = pos == 0 ? sequence[0] : sequence[w.first() + pos - 1];
                double[] logProbs = TeacherForcedEval.logSoftmax(decoder.forward(input, pos));
                nll -= logProbs[sequence[w.first() + pos]];
            }
        }
        return new Result(sequence.length - 1, windows.size(), nll / (sequence.length - 1));
    }
}
