package dev.bitweave.importer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fp16Test {
    @Test
    void everyHalfSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Fp16.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Fp16.toFloat(Fp16.fromFloat(f))));
            } else {
                assertEquals((short) h, Fp16.fromFloat(f), "half " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void knownValues() {
        assertEquals(1.0f, Fp16.toFloat((short) 0x3C00));
        assertEquals(65504f, Fp16.toFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Fp16.toFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, Fp16.toFloat((short) 0x7C00));
    }

    @Test
    void roundsToNearestEven() {
        // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): ties go to the even one, 1.
        assertEquals((short) 0x3C00, Fp16.fromFloat(1f + 0x1p-11f));
        assertEquals((short) 0x3C02, Fp16.fromFloat(1f + 3 * 0x1p-11f));
        assertEquals((short) 0x3C01, Fp16.fromFloat(1f + 0x1p-11f + 0x1p-20f));
        assertEquals((short) 0x7C00, Fp16.fromFloat(65520f));
        assertEquals((short) 0x7BFF, Fp16.fromFloat(65519f));
        assertEquals((short) 0x0000, Fp16.fromFloat(0x1p-25f));
        assertEquals((short) 0x0001, Fp16.fromFloat(0x1p-25f + 0x1p-35f));
        assertEquals((short) 0x0400, Fp16.fromFloat(0x1p-14f - 0x1p-26f));
        assertEquals((short) 0x8000, Fp16.fromFloat(-0f));
    }
}
