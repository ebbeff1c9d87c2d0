package dev.bitweave.runtime.sample;

/**
 * run.c's xorshift* generator (random_u32 / random_f32). The state is an unsigned 64-bit
 * integer held in a long: Java's wrapping multiply and logical shifts give the same bits.
 */
public final class XorShiftRng {
    private static final long MULTIPLIER = 0x2545F4914F6CDD1DL;
    private static final float TWO_POW_24 = 16777216.0f;

    private long state;

    /** The state is used as given; a zero state would stay zero forever, as in run.c. */
    public XorShiftRng(long state) {
        this.state = state;
    }

    public long state() {
        return state;
    }

    /** The next 32 random bits (read as unsigned: {@code Integer.toUnsignedLong}). */
    public int nextU32() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return (int) ((state * MULTIPLIER) >>> 32);
    }

    /** Uniform in [0, 1) with 24 random bits, exactly representable as a float. */
    public float nextF32() {
        return (nextU32() >>> 8) / TWO_POW_24;
    }
}
