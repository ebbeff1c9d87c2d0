package dev.bitweave.runtime.api;

import dev.bitweave.runtime.BadInputException;

import java.util.Optional;

/**
 * Sampling and stopping for one session (run.c's flags).
 *
 * @param temperature 0 is greedy argmax
 * @param topp        nucleus mass in [0, 1]; 0 or 1 is plain multinomial sampling
 * @param seed        the xorshift seed; 0 means the current time in seconds, as in run.c
 * @param steps       positions to run, prompt included, at most seq_len; 0 means seq_len (run.c's -n)
 * @param stopAtEos   end when EOS (2) is sampled (that token is not yielded); BOS always ends a session
 * @param stop        end after the token whose text completes this string (that token is yielded)
 */
public record SessionOptions(float temperature, float topp, long seed, int steps, boolean stopAtEos, Optional<String> stop) {
    public SessionOptions {
        if (!(temperature >= 0)) throw new BadInputException("temperature is " + temperature + ", expected a value >= 0 (0 = greedy)");
        if (!(topp >= 0 && topp <= 1)) throw new BadInputException("top-p is " + topp + ", expected a value in [0, 1]");
        if (steps < 0) throw new BadInputException("steps is " + steps + ", expected a value >= 0 (0 = seq_len)");
        stop = stop == null ? Optional.empty() : stop.filter(s -> !s.isEmpty());
    }

    /** Greedy decoding, `steps` positions, stopping at EOS. */
    public static SessionOptions greedy(int steps) {
        return new SessionOptions(0f, 0.9f, 1, steps, true, Optional.empty());
    }

    public static SessionOptions sampled(float temperature, float topp, long seed, int steps) {
        return new SessionOptions(temperature, topp, seed, steps, true, Optional.empty());
    }

    public SessionOptions withStop(String text) {
        return new SessionOptions(temperature, topp, seed, steps, stopAtEos, Optional.ofNullable(text));
    }

    public SessionOptions withStopAtEos(boolean on) {
        return new SessionOptions(temperature, topp, seed, steps, on, stop);
    }
}
