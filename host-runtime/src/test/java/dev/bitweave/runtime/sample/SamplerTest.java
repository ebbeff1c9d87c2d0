package dev.bitweave.runtime.sample;

import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SamplerTest {
    @Test
    void greedyTakesTheFirstOfEqualMaxima() {
        Sampler s = new Sampler(5, 0.0f, 0.9f, 1);
        assertEquals(1, s.sample(new float[] {1, 3, 0, 3, 2}));
        assertEquals(0, s.sample(new float[] {-1, -1, -1, -1, -1}));
    }

    @Test
    void samplingLeavesTheLogitsAlone() {
        float[] logits = {1, 2, 3, 4};
        new Sampler(4, 0.7f, 0.9f, 5).sample(logits);
        assertArrayEquals(new float[] {1, 2, 3, 4}, logits);
    }

    @Test
    void multinomialWalksTheCdfWithOneCoinPerStep() {
        // probabilities 1/4 each: token = floor(coin * 4) up to rounding
        Sampler s = new Sampler(4, 1.0f, 1.0f, 42);
        XorShiftRng coins = new XorShiftRng(42);
        for (int i = 0; i < 50; i++) {
            float coin = coins.nextF32();
            assertEquals((int) (coin * 4), s.sample(new float[] {0, 0, 0, 0}), "step " + i);
        }
    }

    @Test
    void topPDropsTheTailAndRescalesTheCoin() {
        // softmax of {ln 6, ln 3, ln 1} at T=1 is {0.6, 0.3, 0.1}; with top-p 0.5 only token 0 is
        // kept (0.6 > 0.5); with 0.8 tokens 0 and 1 (0.9 > 0.8), coin scaled by 0.9.
        float[] logits = {(float) Math.log(6), (float) Math.log(3), 0};
        Sampler narrow = new Sampler(3, 1.0f, 0.5f, 42);
        for (int i = 0; i < 20; i++) {
            assertEquals(0, narrow.sample(logits));
        }
        Sampler wider = new Sampler(3, 1.0f, 0.8f, 42);
        XorShiftRng coins = new XorShiftRng(42);
        for (int i = 0; i < 50; i++) {
            float r = coins.nextF32() * 0.9f;
            assertEquals(r < 0.6f ? 0 : 1, wider.sample(logits), "step " + i);
        }
    }

    /** The top-down candidate search picks exactly what run.c's full stable sort picks, ties included. */
    @Test
    void topPFromTheTopEqualsTheFullSort() {
        java.util.Random r = new java.util.Random(5);
        int differentFromGreedy = 0;
        int noCandidate = 0;
        for (int c = 0; c < 3000; c++) {
            int n = 2 + r.nextInt(c % 10 == 0 ? 32_000 : 2000);
            float sd = new float[] {0.01f, 0.5f, 1, 3, 8, 20}[r.nextInt(6)];
            float[] probs = new float[n];
            boolean ties = r.nextBoolean();
            for (int i = 0; i < n; i++) {
                double l = sd * r.nextGaussian();
                probs[i] = (float) (ties ? Math.rint(l) : l);
            }
            Sampler.softmax(probs, n);
            float topp = new float[] {0.01f, 0.5f, 0.9f, 0.95f, 0.999f, r.nextFloat()}[r.nextInt(6)];
            float coin = r.nextFloat();
            float cutoff = (1.0f - topp) / (n - 1);
            boolean none = true;
            for (float p : probs) none &= p < cutoff;
            if (none) { // no token reaches run.c's cutoff (a flat distribution, a tiny top-p): run.c reads probindex[-1]
                assertThrows(ArrayIndexOutOfBoundsException.class, () -> Sampler.sampleTopPSorted(probs, n, topp, coin));
                assertEquals(Sampler.argmax(probs, n), Sampler.sampleTopP(probs, n, topp, coin), "the nucleus is the top token alone");
                noCandidate++;
                continue;
            }
            int want = Sampler.sampleTopPSorted(probs, n, topp, coin);
            assertEquals(want, Sampler.sampleTopP(probs, n, topp, coin), "case " + c + ": n " + n + ", sd " + sd + ", top-p " + topp);
            if (want != Sampler.argmax(probs, n)) differentFromGreedy++;
        }
        assertTrue(differentFromGreedy > 1000, "the cases sample beyond the top token: " + differentFromGreedy);
        assertTrue(noCandidate > 0, "cases where no token reaches the cutoff: " + noCandidate);
    }

    @Test
    void topPBelowOneOverNOnAFlatDistributionTakesTheTopToken() {
        // cutoff (1 - 0.1) / 3 = 0.3: no token reaches it; run.c would read probindex[-1]
        float[] probs = {0.24f, 0.26f, 0.26f, 0.24f};
        assertEquals(1, Sampler.sampleTopP(probs, 4, 0.1f, 0.99f));
        assertEquals(1, new Sampler(4, 1.0f, 0.1f, 42).sample(new float[] {0, 0.05f, 0.05f, 0}));
    }

    @Test
    void topPOrdersByDescendingProbability() {
        float[] probs = {0.1f, 0.2f, 0.3f, 0.4f};
        // cumulative in sorted order 0.4, 0.7, 0.9 > 0.85 -> keep 3, 2, 1; r = coin * 0.9
        assertEquals(3, Sampler.sampleTopP(probs, 4, 0.85f, 0.0f));
        assertEquals(2, Sampler.sampleTopP(probs, 4, 0.85f, 0.5f));
        assertEquals(1, Sampler.sampleTopP(probs, 4, 0.85f, 0.99f));
    }

    @Test
    void rejectsNegativeTemperatureAndToppOutsideTheUnitInterval() {
        assertThrows(BadInputException.class, () -> new Sampler(4, -0.1f, 0.9f, 1));
        assertThrows(BadInputException.class, () -> new Sampler(4, Float.NaN, 0.9f, 1));
        assertThrows(BadInputException.class, () -> new Sampler(4, 1f, 1.5f, 1));
        assertThrows(BadInputException.class, () -> new Sampler(4, 1f, -0.5f, 1));
    }
}
