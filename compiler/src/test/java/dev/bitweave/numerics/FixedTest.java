package dev.bitweave.numerics;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FixedTest {
    private static long reference(long a, long b, int s) {
        BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        if (s > 0) p = p.add(BigInteger.ONE.shiftLeft(s - 1)).shiftRight(s);
        return p.longValueExact();
    }

    @Test
    void mulShiftRoundIsExactAgainstBigInteger() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            long a = r.nextLong() >> r.nextInt(64);
            long b = r.nextLong() >> r.nextInt(64);
            int bits = 128 - Long.numberOfLeadingZeros(Math.abs(a)) - Long.numberOfLeadingZeros(Math.abs(b));
            int s = Math.max(0, bits - 62) + r.nextInt(40);
            if (s > 126) continue;
            assertEquals(reference(a, b, s), Fixed.mulShiftRound(a, b, s), a + "*" + b + ">>" + s);
        }
    }

    @Test
    void roundingIsHalfUp() {
        assertEquals(2, Fixed.shiftRound(3, 1));   // 1.5 -> 2
        assertEquals(-1, Fixed.shiftRound(-3, 1)); // -1.5 -> -1
        assertEquals(-2, Fixed.shiftRound(-5, 1)); // -2.5 -> -2
        assertEquals(12, Fixed.shiftRound(3, -2));
        assertEquals(0, Fixed.shiftRound(Long.MAX_VALUE >> 2, 63));
    }

    @Test
    void mulShiftRoundRefusesOverflow() {
        assertThrows(ArithmeticException.class, () -> Fixed.mulShiftRound(Long.MAX_VALUE, Long.MAX_VALUE, 10));
    }

    @Test
    void isqrtIsFloorSqrt() {
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 100_000; i++) {
            long v = r.nextLong() >>> (1 + r.nextInt(63));
            long s = Fixed.isqrt(v);
            BigInteger bv = BigInteger.valueOf(v);
            assertEquals(bv.sqrt().longValueExact(), s, "isqrt " + v);
        }
        assertEquals(0, Fixed.isqrt(0));
        assertEquals(3037000499L, Fixed.isqrt(Long.MAX_VALUE));
    }

    @Test
    void saturation() {
        assertEquals(Integer.MAX_VALUE, Fixed.sat32(1L << 40));
        assertEquals(Integer.MIN_VALUE, Fixed.sat32(-(1L << 40)));
        assertEquals(-5, Fixed.sat32(-5));
    }
}
