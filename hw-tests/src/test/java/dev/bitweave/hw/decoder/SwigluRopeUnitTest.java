package dev.bitweave.hw.decoder;

import dev.bitweave.numerics.IntSilu;
import dev.bitweave.numerics.RopeTable;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.runtime.board.BoardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SWIGLU and ROPE through the real top, every output word against IntSilu and RopeTable. */
class SwigluRopeUnitTest {
    /** fx values of every magnitude: extremes, exp arguments past 16 integer bits, tiny, zero, both signs. */
    static int[] fx(Random r, int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (r.nextInt(8)) {
                case 0 -> Integer.MAX_VALUE - r.nextInt(3);
                case 1 -> Integer.MIN_VALUE + r.nextInt(3);
                case 2 -> r.nextInt(7) - 3;
                case 3 -> (r.nextBoolean() ? 1 : -1) * (17 << 16) + r.nextInt(1 << 16);
                default -> {
                    int m = 1 << r.nextInt(31);
                    yield r.nextInt(m) * (r.nextBoolean() ? 1 : -1);
                }
            };
        }
        return v;
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void swigluMatchesIntSilu(int bus) {
        Random r = new Random(11 + bus);
        try (UnitBench b = UnitBench.open(bus)) {
            for (int n : new int[]{1, 5, 172, 2048}) {
                int[] gate = fx(r, n), up = fx(r, n);
                b.loadVec(0, gate);
                b.loadVec(4096, up);
                long[] c = b.run(DecoderOps.swiglu(n, 0, 4096, 8192));
                assertArrayEquals(IntSilu.swiglu(gate, up), b.vec(8192, n), "SWIGLU n " + n);
                assertArrayEquals(gate, b.vec(0, n), "gate untouched");
                System.out.printf("SWIGLU bus %d n %d: %d cycles%n", bus, n, c[0]);
                // one element per cycle (measured: n + 75 at both buses, the entry's own cost included)
                assertTrue(c[0] <= n + 80, "SWIGLU n " + n + ": " + c[0] + " cycles");
            }
            // in place over the gate
            int[] gate = fx(r, 300), up = fx(r, 300);
            b.loadVec(64, gate);
            b.loadVec(4096, up);
            b.run(DecoderOps.swiglu(300, 64, 4096, 64));
            assertArrayEquals(IntSilu.swiglu(gate, up), b.vec(64, 300), "SWIGLU in place");
            BoardException e = assertThrows(BoardException.class, () -> b.run(DecoderOps.swiglu(2049, 0, 4096, 8192)));
            assertTrue(e.getMessage().contains("ERROR=2"), e.getMessage());
            // gate and up must start at a VRF row
            e = assertThrows(BoardException.class, () -> b.run(DecoderOps.swiglu(8, 1, 4096, 8192)));
            assertTrue(e.getMessage().contains("ERROR=2"), e.getMessage());
            e = assertThrows(BoardException.class, () -> b.run(DecoderOps.swiglu(8, 0, 4097, 8192)));
            assertTrue(e.getMessage().contains("ERROR=2"), e.getMessage());
        }
    }

    static byte[] ropeTable(RopeTable t, int headSize, int seqLen, int stride) {
        ByteBuffer bb = ByteBuffer.allocate(seqLen * stride).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < seqLen; p++) {
            for (int j = 0; j < headSize / 2; j++) {
                bb.putInt(p * stride + 8 * j, t.cos(p, j));
                bb.putInt(p * stride + 8 * j + 4, t.sin(p, j));
            }
        }
        return bb.array();
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void ropeMatchesRopeTable(int bus) {
        Random r = new Random(5 + bus);
        int beat = bus / 8;
        try (UnitBench b = UnitBench.open(bus)) {
            // headSize 8 (stories260K: 64 = 8 heads), headSize 64 (768 = 12 heads), headSize 4 (n 172), headSize 2 with a padded stride
            int[][] shapes = {{8, 64, 10000, 0}, {64, 768, 10000, 0}, {4, 172, 10000, 0}, {2, 6, 500, 1}};
            for (int[] s : shapes) {
                int hs = s[0], n = s[1], seqLen = 320;
                int stride = ((hs * 4 + beat - 1) / beat + s[3]) * beat;
                RopeTable table = new RopeTable(hs, seqLen, s[2]);
                b.mem(UnitBench.DATA, ropeTable(table, hs, seqLen, stride));
                for (int pos : new int[]{0, 1, 7, 64, 300, 319}) {
                    int[] x = fx(r, n);
                    b.loadVec(128, x);
                    b.pos(pos);
                    long[] c = b.run(DecoderOps.rope(n, UnitBench.DATA, 128, stride, hs));
                    int[] want = x.clone();
                    table.rotate(want, pos);
                    assertArrayEquals(want, b.vec(128, n), "ROPE headSize " + hs + " n " + n + " pos " + pos);
                    if (pos == 64) System.out.printf("ROPE bus %d headSize %d n %d: %d cycles%n", bus, hs, n, c[0]);
                }
            }
            BoardException e = assertThrows(BoardException.class, () -> b.run(DecoderOps.rope(64, UnitBench.DATA, 128, beat, 128)));
            assertTrue(e.getMessage().contains("ERROR=2"), e.getMessage());
        }
    }
}
