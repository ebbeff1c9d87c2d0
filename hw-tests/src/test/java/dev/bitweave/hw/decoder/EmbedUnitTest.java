package dev.bitweave.hw.decoder;

import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.DecoderOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * bw_embed through the top: a lookup table laid out as docs/decoder.md ("Embedding lookup
 * table") with random multipliers, exponents (typical and extreme) and int16 values; row `token`
 * must become IntLinear.dequantizeRow's fx values, written to an unaligned VRF address without
 * touching the words around it.
 */
class EmbedUnitTest {
    /** x = sat32(of(1, E).apply(d * M, 16)) as IntLinear.dequantizeRow; a left shift Java refuses saturates (docs/decoder.md). */
    static int expected(int d, int m, int e) {
        long v = (long) d * m;
        try {
            return Fixed.sat32(Scale.of(1, e).apply(v, Fixed.FX));
        } catch (ArithmeticException overflow) {
            // Scale.apply refuses shifts of 63 bits and more even for 0; the spec's shift of 0 is 0
            return v == 0 ? 0 : v > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        }
    }

    record Case(int n, int log2G, int rows, boolean extremes) {
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void embedMatchesDequantizeRow(int bus) {
        Random r = new Random(4000L + bus);
        int beat = bus / 8;
        Case[] cases = {
                new Case(768, 5, 3, false), new Case(768, 2, 2, true), new Case(64, 31, 4, true), new Case(172, 5, 3, true),
                new Case(5, 31, 2, false), new Case(100, 4, 3, true), new Case(1, 2, 2, true), new Case(768, 31, 2, true),
                new Case(300, 6, 2, false)};
        try (UnitBench b = UnitBench.open(bus)) {
            for (Case c : cases) {
                int gpr = c.log2G() == 31 ? 1 : (c.n() + (1 << c.log2G()) - 1) >> c.log2G();
                int header = (gpr * 4 + beat - 1) / beat * beat;
                if (c.n() < 200) header += beat;                            // zero padding past the entries
                int stride = header + (2 * c.n() + beat - 1) / beat * beat + (c.rows() % 2) * beat;
                long table = UnitBench.DATA + beat * r.nextInt(16);
                ByteBuffer t = ByteBuffer.allocate(stride * c.rows()).order(ByteOrder.LITTLE_ENDIAN);
                int[][] want = new int[c.rows()][c.n()];
                for (int row = 0; row < c.rows(); row++) {
                    int[] mult = new int[gpr];
                    int[] exp = new int[gpr];
                    for (int g = 0; g < gpr; g++) {
                        mult[g] = switch (r.nextInt(6)) {
                            case 0 -> 0xFFFF;
                            case 1 -> 0;
                            default -> r.nextInt(1 << 16);
                        };
                        exp[g] = c.extremes() && r.nextInt(3) == 0 ? r.nextInt(256) - 128 : -10 - r.nextInt(30);
                        t.putInt(row * stride + 4 * g, mult[g] | (exp[g] & 0xFF) << 16);
                    }
                    for (int col = 0; col < c.n(); col++) {
                        int d = switch (r.nextInt(8)) {
                            case 0 -> Short.MIN_VALUE;
                            case 1 -> Short.MAX_VALUE;
                            case 2 -> 0;
                            default -> r.nextInt(1 << 16) - (1 << 15);
                        };
                        int g = c.log2G() == 31 ? 0 : col >> c.log2G();
                        t.putShort(row * stride + header + 2 * col, (short) d);
                        want[row][col] = expected(d, mult[g], exp[g]);
                    }
                }
                b.mem(table, t.array());
                int words = bus / 32;
                int base = words * r.nextInt(64);
                int off = 1 + r.nextInt(words);
                int[] around = new int[off + c.n() + 3];
                for (int i = 0; i < around.length; i++) around[i] = r.nextInt();
                for (int row = c.rows() - 1; row >= 0; row--) {
                    b.loadVec(base, around);
                    b.token(row);
                    b.run(DecoderOps.embed(c.n(), table, stride, header, c.log2G(), base + off));
                    int[] expect = around.clone();
                    System.arraycopy(want[row], 0, expect, off, c.n());
                    assertArrayEquals(expect, b.vec(base, around.length), c + " row " + row);
                }
            }
        }
    }
}
