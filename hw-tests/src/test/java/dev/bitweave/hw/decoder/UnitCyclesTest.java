package dev.bitweave.hw.decoder;

import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.IntRmsNorm;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.runtime.board.BoardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cycle counts of bw_norm, bw_kvstore and bw_embed, pinned to the measured figures (they are
 * deterministic), and their refusals of bad fields.
 */
class UnitCyclesTest {
    static long cycles(UnitBench b, ProgramImage.Entry e) {
        return b.run(e)[0];
    }

    /**
     * Measured entry cycles (deterministic; the bench fetches every entry from memory, 46 cycles
     * of an entry are the fetch, dispatch and stats): per bus, for n = 64, 172, 768, RMSNORM,
     * QUANT, EMBED; then KVSTORE of 4 heads of 8, 1 head of 64 and 12 heads of 64.
     */
    static final Map<Integer, long[]> MEASURED = Map.of(
            128, new long[]{238, 114, 164, 346, 168, 286, 1082, 466, 956, 233, 258, 1699},
            512, new long[]{235, 87, 155, 343, 101, 267, 939, 175, 881, 230, 252, 1693});
    /** Slack over the measured figures. */
    static final int MARGIN = 4;

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void cyclesStayAtTheMeasuredFigures(int bus) {
        Random r = new Random(5);
        int beat = bus / 8;
        long[] got = new long[12];
        try (UnitBench b = UnitBench.open(bus)) {
            int[] ns = {64, 172, 768};
            for (int i = 0; i < ns.length; i++) {
                int n = ns[i];
                int[] x = Vectors.of(Vectors.Kind.MIXED, r, n);
                b.loadVec(0, x);
                b.mem(UnitBench.DATA, UnitBench.ints(NormUnitTest.gains(r, n, 0)));
                got[3 * i] = cycles(b, DecoderOps.rmsNorm(n, UnitBench.DATA, 0, IntRmsNorm.epsQ40(1e-5), 8));
                got[3 * i + 1] = cycles(b, DecoderOps.quant(n, 0, 8));
                int header = beat;
                int stride = header + (2 * n + beat - 1) / beat * beat;
                got[3 * i + 2] = cycles(b, DecoderOps.embed(n, UnitBench.DATA, stride, header, 31, 1024));
            }
            b.pos(3);
            int[][] kv = {{4, 8}, {1, 64}, {12, 64}};
            for (int i = 0; i < kv.length; i++) {
                got[9 + i] = cycles(b, DecoderOps.kvStore(kv[i][0], UnitBench.DATA + (1 << 20), 0, kv[i][1], 256, 8,
                        UnitBench.DATA + (2 << 20), Scale.invSqrt(kv[i][1], 0)));
            }
        }
        System.out.println("bus " + bus + ": RMSNORM/QUANT/EMBED n 64: " + got[0] + " " + got[1] + " " + got[2]
                + "; n 172: " + got[3] + " " + got[4] + " " + got[5] + "; n 768: " + got[6] + " " + got[7] + " " + got[8]
                + "; KVSTORE 4x8 " + got[9] + ", 1x64 " + got[10] + ", 12x64 " + got[11] + "; " + Arrays.toString(got));
        long[] want = MEASURED.get(bus);
        String[] what = {"RMSNORM 64", "QUANT 64", "EMBED 64", "RMSNORM 172", "QUANT 172", "EMBED 172",
                "RMSNORM 768", "QUANT 768", "EMBED 768", "KVSTORE 4x8", "KVSTORE 1x64", "KVSTORE 12x64"};
        for (int i = 0; i < got.length; i++) {
            assertTrue(got[i] <= want[i] + MARGIN, "bus " + bus + " " + what[i] + ": " + got[i] + " cycles, measured " + want[i]);
        }
        // the per-element rates the larger models depend on: QUANT a row (BUS/32 values) per cycle
        // in both passes, RMSNORM one value per cycle in pass A and a row per cycle in pass C
        int row = bus / 32;
        assertTrue(got[7] <= 2 * 768 / row + 100, "QUANT 768: " + got[7]);
        assertTrue(got[6] <= 768 + 768 / row + 130, "RMSNORM 768: " + got[6]);
    }

    static void assertRefused(UnitBench b, ProgramImage.Entry e) {
        BoardException x = assertThrows(BoardException.class, () -> b.run(e));
        assertTrue(x.getMessage().contains("ERROR=2, PC=0"), x.getMessage());
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128})
    void badFieldsStopWithError(int bus) {
        try (UnitBench b = UnitBench.open(bus)) {
            assertRefused(b, DecoderOps.quant(8, 0, 1));
            assertRefused(b, DecoderOps.quant(8, 0, 9));
            assertRefused(b, DecoderOps.quant(2049, 0, 8));                           // past ACT and the vector limit
            assertRefused(b, DecoderOps.rmsNorm(8, UnitBench.DATA, 0, 0, 0));
            assertRefused(b, DecoderOps.rmsNorm(2049, UnitBench.DATA, 0, 0, 8));
            b.pos(3);
            assertRefused(b, DecoderOps.kvStore(1, UnitBench.DATA, 0, 128, 8, 8, UnitBench.DATA + 4096, Scale.ZERO)); // head > 64
            assertRefused(b, DecoderOps.kvStore(1, UnitBench.DATA, 0, 0, 8, 8, UnitBench.DATA + 4096, Scale.ZERO));
            assertRefused(b, DecoderOps.kvStore(1, UnitBench.DATA, 0, 64, 3, 8, UnitBench.DATA + 4096, Scale.ZERO));   // pos >= seqLen
            assertRefused(b, DecoderOps.kvStore(1, UnitBench.DATA, 0, 64, 2048, 8, UnitBench.DATA + 4096, Scale.ZERO)); // seqLen > 1024
            assertRefused(b, DecoderOps.kvStore(1, UnitBench.DATA, 0, 64, 8, 1, UnitBench.DATA + 4096, Scale.ZERO));
            assertRefused(b, DecoderOps.kvStore(1, UnitBench.DATA, 0, 64, 8, 8, UnitBench.DATA + 4100, Scale.ZERO));   // scales off 8 bytes
            int[] w = DecoderOps.kvStore(1, UnitBench.DATA, 0, 64, 8, 8, UnitBench.DATA + 4096, Scale.ZERO).words().clone();
            w[10] = 5;                                                                                                  // unnormalised multiplier
            assertRefused(b, new ProgramImage.UnitOp(w));
            assertRefused(b, DecoderOps.embed(769, UnitBench.DATA, 4096, 16, 31, 0));                                // n > dim
            assertRefused(b, DecoderOps.embed(64, UnitBench.DATA, 4096, 8, 31, 0));                                  // header off the beat
            assertRefused(b, DecoderOps.embed(64, UnitBench.DATA, 4096, 16, 2, 0));                                  // 16 groups, 4 entries
            // the board runs the next program normally
            int[] x = {5, -7, 3};
            b.loadVec(0, x);
            b.run(DecoderOps.quant(3, 0, 8));
            assertArrayEquals(ActivationQuantizer.quantizeFx(x, 8).codes(), b.act(3).codes(), "QUANT after refusals");
            // empty vectors are no error: nothing converted, the step of an empty vector is ZERO
            b.run(DecoderOps.quant(0, 0, 8), DecoderOps.rmsNorm(0, UnitBench.DATA, 0, 0, 8),
                    DecoderOps.embed(0, UnitBench.DATA, 4096, 16, 2, 0));
            assertEquals(Scale.ZERO, b.act(3).step());
            assertArrayEquals(new int[3], b.act(3).codes());
            assertArrayEquals(x, b.vec(0, 3), "EMBED of 0 columns writes nothing");
        }
    }
}
