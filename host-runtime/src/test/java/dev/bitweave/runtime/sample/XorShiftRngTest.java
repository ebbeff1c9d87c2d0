package dev.bitweave.runtime.sample;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected values come from run.c's random_u32 / random_f32 compiled with gcc. */
class XorShiftRngTest {
    @Test
    void u32MatchesRunC() {
        XorShiftRng rng = new XorShiftRng(42);
        assertEquals(1456360119L, Integer.toUnsignedLong(rng.nextU32()));
        assertEquals(3359763283L, Integer.toUnsignedLong(rng.nextU32()));
        assertEquals(3393612768L, Integer.toUnsignedLong(rng.nextU32()));
        assertEquals(4054632243L, Integer.toUnsignedLong(rng.nextU32()));
    }

    @Test
    void f32MatchesRunC() {
        XorShiftRng rng = new XorShiftRng(42);
        assertEquals(0.339085221f, rng.nextF32());
        assertEquals(0.782255828f, rng.nextF32());
        assertEquals(0.790136993f, rng.nextF32());
    }

    @Test
    void stateIsUnsigned64Bit() {
        // run.c's atoi("-7") stored in an unsigned long long
        XorShiftRng rng = new XorShiftRng(-7);
        assertEquals(777871233L, Integer.toUnsignedLong(rng.nextU32()));
        assertEquals(3583622156L, Integer.toUnsignedLong(rng.nextU32()));
        assertEquals("13841814863455652856", Long.toUnsignedString(rng.state()));
    }
}
