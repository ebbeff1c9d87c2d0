package dev.bitweave.numerics;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleTest {
    private static void close(double expected, double actual, double rel) {
        assertTrue(Math.abs(expected - actual) <= rel * Math.abs(expected), "expected " + expected + " got " + actual);
    }

    @Test
    void normalisesAndMultiplies() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            long a = 1 + (r.nextLong() >>> (1 + r.nextInt(62)));
            long b = 1 + (r.nextLong() >>> (1 + r.nextInt(62)));
            int ea = r.nextInt(-60, 60);
            Scale sa = Scale.of(a, ea);
            close(a * Math.pow(2, ea), sa.toDouble(), 1e-9);
            close(sa.toDouble() * Scale.of(b, 0).toDouble(), sa.times(Scale.of(b, 0)).toDouble(), 1e-9);
            close(1 / sa.toDouble(), sa.reciprocal().toDouble(), 1e-9);
            close(1 / Math.sqrt(a * Math.pow(2, ea)), Scale.invSqrt(a, ea).toDouble(), 1e-8);
        }
    }

    @Test
    void roundingCarryRenormalises() {
        Scale s = Scale.of((1L << 40) - 1, 0); // rounds up to 2^40
        assertEquals(1L << 30, s.mant());
        assertEquals(10, s.exp());
    }

    @Test
    void appliesWithOneRounding() {
        Scale half = Scale.of(1, -1);
        assertEquals(2, half.apply(3, 0));   // 1.5 -> 2 (half up)
        assertEquals(-1, half.apply(-3, 0)); // -1.5 -> -1
        assertEquals(3 << 15, half.apply(3, 16));
        assertEquals(0, Scale.ZERO.apply(12345, 16));
    }
}
