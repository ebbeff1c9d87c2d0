package dev.bitweave.hw.decoder;

import dev.bitweave.hw.decoder.Vectors.Kind;
import dev.bitweave.numerics.ActivationPrecision;
import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.IntRmsNorm;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.runtime.board.BoardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bw_norm generated with token-adaptive widths: for every vector the unit must pick the width
 * ActivationPrecision.bitsFor picks (thresholds on both sides of the vector's own score, and the
 * extremes) and then produce exactly the codes and step of that width. Both widths are exercised
 * on every kind of vector; a plan-level run is RunSimCliTest's ada-w4a8-g32.
 */
class AdaptiveNormUnitTest {
    /** Thresholds relative to the vector's score: just below (high width), at it and above (low width), and the extremes. */
    static int[] thresholds(int[] x) {
        int s = ActivationPrecision.scoreQ8(x);
        return new int[]{Math.max(0, s - 1), s, Math.min(0xFFFF, s + 1), 0, 0xFFFF};
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {64, 512})
    void quantPicksTheWidthTheReferencePicks(int bus) {
        Random r = new Random(3000L + bus);
        try (UnitBench b = UnitBench.openAdaptive(bus)) {
            int run = 0;
            for (Kind kind : Kind.values()) {
                int n = NormUnitTest.LENGTHS[run++ % NormUnitTest.LENGTHS.length];
                int[] x = Vectors.of(kind, r, n);
                for (int t : thresholds(x)) {
                    ActivationPrecision p = new ActivationPrecision(8, 4, t);
                    int src = NormUnitTest.load(b, r, x);
                    b.run(DecoderOps.quant(n, src, p));
                    NormUnitTest.assertAct(b, ActivationQuantizer.quantizeFx(x, p.bitsFor(x)),
                            "QUANT " + kind + " n " + n + " threshold " + t + " (score " + ActivationPrecision.scoreQ8(x) + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {64, 512})
    void rmsNormPicksTheWidthTheReferencePicks(int bus) {
        Random r = new Random(4000L + bus);
        try (UnitBench b = UnitBench.openAdaptive(bus)) {
            int run = 0;
            for (Kind kind : Kind.values()) {
                int n = NormUnitTest.LENGTHS[run % NormUnitTest.LENGTHS.length];
                int[] x = Vectors.of(kind, r, n);
                int[] g = NormUnitTest.gains(r, n, run);
                run++;
                for (int t : thresholds(x)) {
                    ActivationPrecision p = new ActivationPrecision(8, 4, t);
                    int src = NormUnitTest.load(b, r, x);
                    long gainAddr = UnitBench.DATA + (long) (bus / 8) * r.nextInt(64);
                    b.mem(gainAddr, UnitBench.ints(g));
                    b.run(DecoderOps.rmsNorm(n, gainAddr, src, IntRmsNorm.epsQ40(1e-5), p));
                    NormUnitTest.assertAct(b, new IntRmsNorm(g, 1e-5).apply(x, p.bitsFor(x)),
                            "RMSNORM " + kind + " n " + n + " threshold " + t + " (score " + ActivationPrecision.scoreQ8(x) + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {64})
    void aLowWidthNotBelowTheWidthIsRefused(int bus) {
        try (UnitBench b = UnitBench.openAdaptive(bus)) {
            int[] w = DecoderOps.quant(8, 0, 4).words();
            w[8] = 300;
            w[9] = 4;   // low width equal to the width
            BoardException e = assertThrows(BoardException.class, () -> b.run(new dev.bitweave.pack.ProgramImage.UnitOp(w)));
            assertTrue(e.getMessage().contains("ERROR=2, PC=0"), e.getMessage());
        }
    }
}
