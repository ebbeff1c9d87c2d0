package dev.bitweave.hw.decoder;

import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.IntRmsNorm;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.runtime.board.BoardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cycle budgets of bw_norm, bw_kvstore and bw_embed (element passes at one element per cycle
 * plus a fixed cost for the scalar work and the memory latency), and their refusals of bad fields.
 */
class UnitCyclesTest {
    /** The bench's memory latency (UnitBench) plus slack for the AXI handshakes. */
    static final int LATENCY = 36 + 24;

    static long cycles(UnitBench b, ProgramImage.Entry e) {
        return b.run(e)[0];
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void elementPassesRunAtOneElementPerCycle(int bus) {
        Random r = new Random(5);
        int beat = bus / 8;
        try (UnitBench b = UnitBench.open(bus)) {
            StringBuilder report = new StringBuilder("bus " + bus + ":");
            for (int n : new int[]{64, 768}) {
                int[] x = Vectors.of(Vectors.Kind.MIXED, r, n);
                b.loadVec(0, x);
                b.mem(UnitBench.DATA, UnitBench.ints(NormUnitTest.gains(r, n, 0)));
                long quant = cycles(b, DecoderOps.quant(n, 0, 8));
                long norm = cycles(b, DecoderOps.rmsNorm(n, UnitBench.DATA, 0, IntRmsNorm.epsQ40(1e-5), 8));
                // KVSTORE of n values as heads of 64 (1 head for 64, 12 for 768)
                long kv = cycles(b, DecoderOps.kvStore(n / 64, UnitBench.DATA + (1 << 20), 0, 64, 4, 8,
                        UnitBench.DATA + (2 << 20), Scale.invSqrt(64, 0)));
                int header = beat;
                int stride = header + (2 * n + beat - 1) / beat * beat;
                long embed = cycles(b, DecoderOps.embed(n, UnitBench.DATA, stride, header, 31, 1024));
                report.append(String.format(" n %d: RMSNORM %d, QUANT %d, EMBED %d, KVSTORE %d;", n, norm, quant, embed, kv));
                // the stats count the whole entry: fetch of the next entry excluded, unit dispatch included
                assertTrue(quant <= 2L * n + 250, "QUANT n " + n + ": " + quant);
                assertTrue(norm <= 3L * n + 550 + LATENCY, "RMSNORM n " + n + ": " + norm);
                assertTrue(embed <= n + (long) (header + 2 * n) / beat + 40 + LATENCY, "EMBED n " + n + ": " + embed);
                assertTrue(kv <= (n / 64) * (2L * 64 + 250 + 2 * LATENCY), "KVSTORE n " + n + ": " + kv);
            }
            System.out.println(report);
        }
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
