package dev.bitweave.hw.decoder;

import dev.bitweave.hw.decoder.Vectors.Kind;
import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.IntRmsNorm;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.runtime.board.BoardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * bw_norm through the top: RMSNORM against IntRmsNorm.apply and QUANT against
 * ActivationQuantizer.quantizeFx, every code and the step's mantissa and exponent, at every
 * activation width, for lengths on and off the beat and the magnitudes of {@link Vectors}.
 */
class NormUnitTest {
    static final int[] LENGTHS = {1, 5, 64, 172, 768, 2048, 3, 100, 17};
    static final double[] EPS = {1e-5, 1e-6, 0.0, 1e-10, 0.5, 100.0};
    /** ACT holds 2048 codes in the overlay (its MAX_COLS). */
    static final int ACT_CODES = 2048;

    /** Loads x into the VRF so that it starts at an address off the beat (loadVec needs an aligned one). */
    /** x at a random row of the VRF, followed by random words up to the row's end (lanes past n). */
    static int load(UnitBench b, Random r, int[] x) {
        int words = b.bus() / 32;
        int base = words * r.nextInt(256);
        int[] padded = new int[(x.length + words - 1) / words * words];
        for (int i = 0; i < padded.length; i++) padded[i] = i < x.length ? x[i] : r.nextInt();
        b.loadVec(base, padded);
        return base;
    }

    /** ACT holds want's codes, zeros past them, and want's step (mant 0 and exp 0 for ZERO). */
    static void assertAct(UnitBench b, QuantizedVector want, String what) {
        int n = want.codes().length;
        int check = Math.min(ACT_CODES, n + 70);
        QuantizedVector got = b.act(check);
        int[] codes = Arrays.copyOf(want.codes(), check);
        assertArrayEquals(codes, got.codes(), what + ": codes");
        ByteBuffer h = ByteBuffer.wrap(b.mem(UnitBench.SCRATCH, 8)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(want.step().mant(), h.getInt(0) & 0xFFFF_FFFFL, what + ": step mantissa");
        assertEquals(want.step().exp(), h.getInt(4), what + ": step exponent");
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {64, 128, 512})
    void quantMatchesActivationQuantizer(int bus) {
        Random r = new Random(1000L + bus);
        try (UnitBench b = UnitBench.open(bus)) {
            int run = 0;
            for (Kind kind : Kind.values()) {
                for (int bits = 2; bits <= 8; bits++) {
                    int n = LENGTHS[run++ % LENGTHS.length];
                    int[] x = Vectors.of(kind, r, n);
                    int src = load(b, r, x);
                    b.run(DecoderOps.quant(n, src, bits));
                    assertAct(b, ActivationQuantizer.quantizeFx(x, bits), "QUANT " + kind + " n " + n + " bits " + bits);
                }
            }
        }
    }

    static int[] gains(Random r, int n, int variant) {
        int[] g = new int[n];
        for (int i = 0; i < n; i++) {
            g[i] = switch (variant % 4) {
                case 0 -> (1 << 16) + r.nextInt(1 << 15) - (1 << 14);      // about 1.0
                case 1 -> r.nextInt();                                        // any int32
                case 2 -> r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
                default -> r.nextInt(9) - 4;                                  // tiny, with zeros
            };
        }
        return g;
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {64, 128, 512})
    void rmsNormMatchesIntRmsNorm(int bus) {
        Random r = new Random(2000L + bus);
        try (UnitBench b = UnitBench.open(bus)) {
            int run = 0;
            for (Kind kind : Kind.values()) {
                for (int bits = 2; bits <= 8; bits++) {
                    int n = LENGTHS[run % LENGTHS.length];
                    double eps = EPS[run % EPS.length];
                    int[] x = Vectors.of(kind, r, n);
                    int[] g = gains(r, n, run);
                    run++;
                    int src = load(b, r, x);
                    long gainAddr = UnitBench.DATA + (long) (bus / 8) * r.nextInt(64);
                    b.mem(gainAddr, UnitBench.ints(g));
                    b.run(DecoderOps.rmsNorm(n, gainAddr, src, IntRmsNorm.epsQ40(eps), bits));
                    assertAct(b, new IntRmsNorm(g, eps).apply(x, bits),
                            "RMSNORM " + kind + " n " + n + " bits " + bits + " eps " + eps + " gains " + (run - 1) % 4);
                }
            }
        }
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void sourceOffTheRowIsRefused(int bus) {
        try (UnitBench b = UnitBench.open(bus)) {
            BoardException e = assertThrows(BoardException.class, () -> b.run(DecoderOps.quant(8, 1, 8)));
            assertTrue(e.getMessage().contains("ERROR=2, PC=0"), e.getMessage());
        }
    }
}
