package dev.bitweave.runtime.sample;

import dev.bitweave.runtime.BadInputException;

import java.util.Arrays;
import java.util.Comparator;

/**
 * run.c's sampler: greedy argmax at temperature 0, otherwise temperature-scaled softmax and
 * one random coin per step, used for multinomial sampling or top-p (nucleus) sampling.
 * All arithmetic is float32 in run.c's order so that a seed picks the same tokens.
 */
public final class Sampler {
    private final int vocabSize;
    private final float temperature;
    private final float topp;
    private final XorShiftRng rng;
    private final float[] probs;

    /**
     * @param temperature 0 for greedy argmax; must not be negative
     * @param topp        nucleus mass in (0, 1); 0 or 1 mean plain multinomial sampling
     * @param seed        RNG seed; 0 means "derived from the current time" as in run.c (the
     *                    seconds since the epoch), so pass a fixed non-zero seed for reproducible
     *                    runs. Negative values stand for their unsigned 64-bit bits, as run.c's
     *                    {@code unsigned long long} seed would hold them.
     */
    public Sampler(int vocabSize, float temperature, float topp, long seed) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocabSize must be positive, got " + vocabSize);
        }
        // run.c's main silently clamps these; a flag that does nothing deserves an error instead.
        if (!(temperature >= 0)) {
            throw new BadInputException("temperature is " + temperature + ", expected a value >= 0 (0 = greedy)");
        }
        if (!(topp >= 0 && topp <= 1)) {
            throw new BadInputException("top-p is " + topp + ", expected a value in [0, 1]");
        }
        this.vocabSize = vocabSize;
        this.temperature = temperature;
        this.topp = topp;
        this.rng = new XorShiftRng(seed != 0 ? seed : System.currentTimeMillis() / 1000);
        this.probs = new float[vocabSize];
    }

    public int vocabSize() {
        return vocabSize;
    }

    public float temperature() {
        return temperature;
    }

    public float topp() {
        return topp;
    }

    /** The next token for these logits (the first {@code vocabSize} entries; not modified). */
    public int sample(float[] logits) {
        if (temperature == 0.0f) {
            return argmax(logits, vocabSize);
        }
        for (int i = 0; i < vocabSize; i++) {
            probs[i] = logits[i] / temperature;
        }
        softmax(probs, vocabSize);
        float coin = rng.nextF32();
        if (topp <= 0 || topp >= 1) {
            return sampleMultinomial(probs, vocabSize, coin);
        }
        return sampleTopP(probs, vocabSize, topp, coin);
    }

    /** Index of the first largest value. */
    static int argmax(float[] x, int n) {
        int best = 0;
        float max = x[0];
        for (int i = 1; i < n; i++) {
            if (x[i] > max) {
                best = i;
                max = x[i];
            }
        }
        return best;
    }

    static void softmax(float[] x, int n) {
        float max = x[0];
        for (int i = 1; i < n; i++) {
            if (x[i] > max) {
                max = x[i];
            }
        }
        float sum = 0.0f;
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < n; i++) {
            x[i] /= sum;
        }
    }

    static int sampleMultinomial(float[] probs, int n, float coin) {
        float cdf = 0.0f;
        for (int i = 0; i < n; i++) {
            cdf += probs[i];
            if (coin < cdf) {
                return i;
            }
        }
        return n - 1; // rounding left the cdf below the coin
    }

    /**
     * Samples among the most likely tokens whose mass first exceeds topp, exactly as run.c's
     * sample_topp with a stable sort ({@link #sampleTopPSorted}, the plain transcription) does.
     * Only the sorted prefix up to the token where the mass first exceeds topp matters, so the
     * candidates are taken from the top by level: one pass counts the tokens at or above run.c's
     * cutoff (1 - topp) / (n - 1) and their mass per level, an eighth of a power of two (the float's
     * exponent and top three mantissa bits); the levels from the top that hold a little more than
     * topp are collected in a second pass and sorted. Every token of a higher level is larger
     * than every token of a lower one, so the collected tokens sorted are the same prefix, summed
     * in the same order; if rounding leaves their mass at or below topp, all levels are taken.
     * Sorting is on primitive keys (probability descending, then index ascending: the stable
     * order), not boxed indices.
     */
    static int sampleTopP(float[] probs, int n, float topp, float coin) {
        float cutoff = (1.0f - topp) / (n - 1);
        double[] mass = new double[LEVELS];
        int[] count = new int[LEVELS];
        int candidates = 0;
        for (int i = 0; i < n; i++) {
            float p = probs[i];
            if (p >= cutoff) {
                int l = level(p);
                mass[l] += p;
                count[l]++;
                candidates++;
            }
        }
        if (candidates == 0) {
            // top-p below about 1/n on a flat distribution: no token reaches run.c's cutoff and run.c
            // reads probindex[-1]. The nucleus is then the most likely token alone (its mass, at least
            // 1/n, exceeds top-p): the first of the largest, as the stable order has it.
            return argmax(probs, n);
        }
        // levels from the top down until a little more than topp is held
        int lowest = LEVELS;
        int taken = 0;
        double sum = 0;
        while (lowest > 0 && sum <= topp + 1e-3) {
            lowest--;
            sum += mass[lowest];
            taken += count[lowest];
        }
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {             // rounding: the prefix goes on below the levels taken
                lowest = 0;
                taken = candidates;
            }
            long[] keys = new long[taken];
            int n0 = 0;
            for (int i = 0; i < n; i++) {
                float p = probs[i];
                if (p >= cutoff && level(p) >= lowest) keys[n0++] = key(p, i);
            }
            Arrays.sort(keys, 0, n0);
            float cumulative = 0.0f;
            int last = -1;
            for (int i = 0; i < n0; i++) {
                cumulative += probs[index(keys[i])];
                if (cumulative > topp) {
                    last = i;
                    break;
                }
            }
            if (last < 0 && lowest > 0) continue;
            if (last < 0) last = n0 - 1;
            float r = coin * cumulative;
            float cdf = 0.0f;
            for (int i = 0; i <= last; i++) {
                cdf += probs[index(keys[i])];
                if (r < cdf) {
                    return index(keys[i]);
                }
            }
            return index(keys[last]);
        }
        throw new AssertionError("unreachable: the second pass takes every level");
    }

    /** A level is a probability's float bits above the low 20 mantissa bits: its exponent and top 3 mantissa bits. */
    private static final int LEVEL_SHIFT = 20;
    private static final int LEVELS = 1 << (31 - LEVEL_SHIFT);

    /** Higher level, larger probability: non-negative floats order as their bits. */
    private static int level(float p) {
        return Float.floatToIntBits(p) >>> LEVEL_SHIFT;
    }

    /** Ascending keys order by descending probability, then ascending index (probabilities are >= 0). */
    private static long key(float prob, int index) {
        return ((long) (0x7fffffff - Float.floatToIntBits(prob)) << 32) | index;
    }

    private static int index(long key) {
        return (int) key;
    }

    /** run.c's sample_topp transcribed: every token at or above the cutoff, stably sorted; the reference for {@link #sampleTopP}. */
    static int sampleTopPSorted(float[] probs, int n, float topp, float coin) {
        float cutoff = (1.0f - topp) / (n - 1);
        Integer[] kept = new Integer[n];
        int n0 = 0;
        for (int i = 0; i < n; i++) {
            if (probs[i] >= cutoff) {
                kept[n0++] = i;
            }
        }
        // Descending probability with run.c's comparator. glibc's qsort is a stable merge sort
        // when it can allocate its buffer, and Arrays.sort on objects is stable too, so even
        // equal probabilities come out in the same (index) order.
        Arrays.sort(kept, 0, n0, byDescendingProbability(probs));
        float cumulative = 0.0f;
        int last = n0 - 1;
        for (int i = 0; i < n0; i++) {
            cumulative += probs[kept[i]];
            if (cumulative > topp) {
                last = i;
                break;
            }
        }
        float r = coin * cumulative;
        float cdf = 0.0f;
        for (int i = 0; i <= last; i++) {
            cdf += probs[kept[i]];
            if (r < cdf) {
                return kept[i];
            }
        }
        return kept[last];
    }

    private static Comparator<Integer> byDescendingProbability(float[] probs) {
        return (a, b) -> probs[a] > probs[b] ? -1 : probs[a] < probs[b] ? 1 : 0;
    }
}
