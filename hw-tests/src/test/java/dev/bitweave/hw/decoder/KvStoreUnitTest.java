package dev.bitweave.hw.decoder;

import dev.bitweave.hw.decoder.Vectors.Kind;
import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.DecoderOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * bw_kvstore through the top: per KV head the codes and the scale of quantizeFx (times the
 * multiplier) land at their slots of the cache, and every other byte of the code and scale
 * regions keeps its old value (the byte strobes). The regions are filled with random bytes first.
 */
class KvStoreUnitTest {
    record Case(int kvHeads, int headSize, int seqLen, int bits, int multiplier) {
    }

    /** multiplier: 0 none, 1 invSqrt(headSize) as for keys, 2 a random scale. */
    static Scale multiplier(Case c, Random r) {
        return switch (c.multiplier()) {
            case 0 -> Scale.ZERO;
            case 1 -> Scale.invSqrt(c.headSize(), 0);
            default -> new Scale((1L << 30) + r.nextInt(1 << 30), r.nextInt(80) - 40);
        };
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void kvStoreMatchesQuantizeFx(int bus) {
        Random r = new Random(3000L + bus);
        Case[] cases = {
                new Case(2, 64, 8, 8, 1), new Case(2, 64, 8, 8, 0), new Case(4, 8, 16, 4, 1), new Case(3, 16, 5, 2, 2),
                new Case(1, 48, 6, 3, 0), new Case(2, 4, 32, 5, 1), new Case(12, 64, 4, 6, 2), new Case(5, 2, 40, 7, 0),
                new Case(1, 1, 3, 8, 2), new Case(2, 24, 9, 8, 1)};
        try (UnitBench b = UnitBench.open(bus)) {
            for (Case c : cases) {
                long codeBase = UnitBench.DATA;
                int codeBytes = c.kvHeads() * c.seqLen() * c.headSize();
                long scaleBase = codeBase + ((codeBytes + 4095) / 4096 + 1) * 4096L;
                int scaleBytes = c.kvHeads() * c.seqLen() * 8;
                byte[] codes = new byte[codeBytes + 128];    // and bytes past the region, which must not change
                byte[] scales = new byte[scaleBytes + 128];
                r.nextBytes(codes);
                r.nextBytes(scales);
                b.mem(codeBase, codes);
                b.mem(scaleBase, scales);
                Scale mult = multiplier(c, r);
                int[] positions = {0, c.seqLen() - 1, r.nextInt(c.seqLen())};
                for (int pos : positions) {
                    int n = c.kvHeads() * c.headSize();
                    int[] v = new int[n];
                    Kind[] kinds = Kind.values();
                    for (int h = 0; h < c.kvHeads(); h++) {
                        int[] head = Vectors.of(kinds[r.nextInt(kinds.length)], r, c.headSize());
                        System.arraycopy(head, 0, v, h * c.headSize(), c.headSize());
                    }
                    int src = NormUnitTest.load(b, r, v);
                    b.pos(pos);
                    b.run(DecoderOps.kvStore(c.kvHeads(), codeBase, src, c.headSize(), c.seqLen(), c.bits(), scaleBase, mult));
                    ByteBuffer sb = ByteBuffer.wrap(scales).order(ByteOrder.LITTLE_ENDIAN);
                    for (int h = 0; h < c.kvHeads(); h++) {
                        QuantizedVector q = ActivationQuantizer.quantizeFx(Arrays.copyOfRange(v, h * c.headSize(), (h + 1) * c.headSize()), c.bits());
                        int slot = h * c.seqLen() + pos;
                        for (int i = 0; i < c.headSize(); i++) codes[slot * c.headSize() + i] = (byte) q.codes()[i];
                        Scale s = mult.mant() == 0 ? q.step() : q.step().times(mult);
                        sb.putInt(slot * 8, (int) s.mant());
                        sb.putInt(slot * 8 + 4, s.exp());
                    }
                    String what = c + " pos " + pos;
                    assertArrayEquals(codes, b.mem(codeBase, codes.length), what + ": code region");
                    assertArrayEquals(scales, b.mem(scaleBase, scales.length), what + ": scale region");
                }
            }
        }
    }
}
