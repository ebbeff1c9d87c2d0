package dev.bitweave.hw.decoder;

import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.IntAttention;
import dev.bitweave.numerics.IntExp;
import dev.bitweave.numerics.IntSoftmax;
import dev.bitweave.numerics.KvCache;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;
import dev.bitweave.pack.DecoderOps;
import dev.bitweave.pack.ProgramImage;
import dev.bitweave.runtime.board.BoardException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ATTN through the real top against IntAttention: the KV cache is quantized in Java exactly as
 * KvCache does (and as KVSTORE writes it: key scales already multiplied by invSqrt(headSize)),
 * written to board memory, and every output word of every head compared.
 */
class AttnUnitTest {
    static final int Q = 0, OUT = 4096;

    /** A vector of one random magnitude (2^0 .. 2^31), sometimes saturated, sometimes all zero. */
    static int[] vec(Random r, int n) {
        int[] v = new int[n];
        int kind = r.nextInt(12);
        if (kind == 0) return v;
        long m = 1L << r.nextInt(32);
        for (int i = 0; i < n; i++) {
            if (kind == 1) v[i] = r.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            else v[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) (r.nextDouble() * 2 * m - m)));
        }
        return v;
    }

    /** Magnitudes up to 2 (fx 2^17): scores within a few units, so many positions share the softmax. */
    static int[] small(Random r, int n) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(1 << 18) - (1 << 17);
        return v;
    }

    static long align(long a) {
        return (a + 4095) & ~4095L;
    }

    /** One layer's KV cache in Java and in board memory, with the key codes and scales for the coverage count. */
    record Layer(KvCache cache, long kc, long ks, long vc, long vs, byte[] keyCodes, Scale[] keyScales, byte[] valueCodes, Scale[] valueScales) {
    }

    /** What the inputs exercised: saturated scores, exp arguments past 16 integer bits (e = 0), zero scales, saturated outputs. */
    static final class Coverage {
        int satScores, expZero, zeroScales, satOutputs;

        void assertAll(boolean outputs) {
            assertTrue(satScores > 0 && expZero > 0 && zeroScales > 0 && (satOutputs > 0 || !outputs),
                    "inputs did not cover every case: " + satScores + " saturated scores, " + expZero + " zero exps, "
                            + zeroScales + " zero scales, " + satOutputs + " saturated outputs");
        }
    }

    static Layer layer(UnitBench b, Random r, int kvHeads, int hs, int seqLen, int positions, int bits, boolean maxValues) {
        KvCache cache = new KvCache(seqLen, kvHeads, hs, bits);
        Scale inv = Scale.invSqrt(hs, 0);
        int slots = kvHeads * seqLen;
        Scale[] keyScales = new Scale[slots], valueScales = new Scale[slots];
        byte[] kc = new byte[slots * hs], vc = new byte[slots * hs];
        ByteBuffer ks = ByteBuffer.allocate(slots * 8).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer vs = ByteBuffer.allocate(slots * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < positions; t++) {
            int[] k = new int[kvHeads * hs], v = new int[kvHeads * hs];
            for (int h = 0; h < kvHeads; h++) {
                System.arraycopy(maxValues ? small(r, hs) : vec(r, hs), 0, k, h * hs, hs);
                if (maxValues) java.util.Arrays.fill(v, h * hs, (h + 1) * hs, Integer.MAX_VALUE);
                else System.arraycopy(vec(r, hs), 0, v, h * hs, hs);
            }
            cache.store(t, k, v);
            for (int h = 0; h < kvHeads; h++) {
                int slot = h * seqLen + t;
                int[] ksl = new int[hs], vsl = new int[hs];
                System.arraycopy(k, h * hs, ksl, 0, hs);
                System.arraycopy(v, h * hs, vsl, 0, hs);
                QuantizedVector qk = ActivationQuantizer.quantizeFx(ksl, bits);
                QuantizedVector qv = ActivationQuantizer.quantizeFx(vsl, bits);
                for (int i = 0; i < hs; i++) {
                    kc[slot * hs + i] = (byte) qk.codes()[i];
                    vc[slot * hs + i] = (byte) qv.codes()[i];
                }
                Scale kscale = qk.step().times(inv);
                keyScales[slot] = kscale;
                valueScales[slot] = qv.step();
                ks.putInt(slot * 8, (int) kscale.mant()).putInt(slot * 8 + 4, kscale.exp());
                vs.putInt(slot * 8, (int) qv.step().mant()).putInt(slot * 8 + 4, qv.step().exp());
            }
        }
        long kcA = UnitBench.DATA, ksA = align(kcA + kc.length), vcA = align(ksA + slots * 8L), vsA = align(vcA + vc.length);
        b.mem(kcA, kc);
        b.mem(ksA, ks.array());
        b.mem(vcA, vc);
        b.mem(vsA, vs.array());
        return new Layer(cache, kcA, ksA, vcA, vsA, kc, keyScales, vc, valueScales);
    }

    /** IntAttention.attend over raw cache arrays (codes [kvHeads][seqLen][hs], scales [kvHeads][seqLen]), for caches KvCache cannot make. */
    static int[] attendRaw(int[] q, int heads, int kvMul, int hs, int seqLen, int pos, byte[] kc, Scale[] ks, byte[] vc, Scale[] vs) {
        int[] out = new int[heads * hs];
        for (int h = 0; h < heads; h++) {
            int kvh = h / kvMul;
            int[] scores = new int[pos + 1];
            for (int t = 0; t <= pos; t++) {
                int slot = kvh * seqLen + t;
                long dot = 0;
                for (int i = 0; i < hs; i++) dot += (long) q[h * hs + i] * kc[slot * hs + i];
                scores[t] = Fixed.sat32(ks[slot].apply(dot, 0));
            }
            int[] p = IntSoftmax.apply(scores, pos + 1);
            for (int i = 0; i < hs; i++) {
                long acc = 0;
                for (int t = 0; t <= pos; t++) {
                    int slot = kvh * seqLen + t;
                    acc += vs[slot].apply(p[t], 0) * vc[slot * hs + i];
                }
                out[h * hs + i] = Fixed.sat32(acc);
            }
        }
        return out;
    }

    /** Runs ATTN at each position and compares all heads; returns the cycles of each run. */
    static long[] check(UnitBench b, Random r, Coverage cov, int heads, int kvHeads, int hs, int seqLen, int bits, int... positions) {
        return check(b, r, cov, false, heads, kvHeads, hs, seqLen, bits, positions);
    }

    static long[] check(UnitBench b, Random r, Coverage cov, boolean maxValues, int heads, int kvHeads, int hs, int seqLen, int bits,
                        int... positions) {
        int maxPos = 0;
        for (int p : positions) maxPos = Math.max(maxPos, p);
        Layer l = layer(b, r, kvHeads, hs, seqLen, maxPos + 1, bits, maxValues);
        int kvMul = (heads + kvHeads - 1) / kvHeads;     // heads / kvHeads, or the ceiling for the ragged case
        IntAttention att = new IntAttention(hs);
        long[] cycles = new long[positions.length];
        for (int pi = 0; pi < positions.length; pi++) {
            int pos = positions[pi];
            int[] q = new int[heads * hs];
            for (int h = 0; h < heads; h++) System.arraycopy(maxValues ? small(r, hs) : vec(r, hs), 0, q, h * hs, hs);
            b.loadVec(Q, q);
            b.pos(pos);
            cycles[pi] = b.run(DecoderOps.attn(heads, l.kc, Q, hs, seqLen, kvMul, l.ks, l.vc, l.vs, OUT))[0];
            int[] want = new int[heads * hs];
            for (int h = 0; h < heads; h++) att.attend(q, h, h / kvMul, pos, l.cache, want);
            assertArrayEquals(want, attendRaw(q, heads, kvMul, hs, seqLen, pos, l.keyCodes, l.keyScales, l.valueCodes, l.valueScales),
                    "the raw reference agrees with IntAttention");
            for (int h = 0; h < heads; h++) {
                int kvh = h / kvMul;
                int[] scores = new int[pos + 1];
                int max = Integer.MIN_VALUE;
                for (int t = 0; t <= pos; t++) {
                    int slot = kvh * seqLen + t;
                    long dot = 0;
                    for (int i = 0; i < hs; i++) dot += (long) q[h * hs + i] * l.keyCodes[slot * hs + i];
                    scores[t] = Fixed.sat32(l.keyScales[slot].apply(dot, 0));
                    if (scores[t] == Integer.MAX_VALUE || scores[t] == Integer.MIN_VALUE) cov.satScores++;
                    if (l.keyScales[slot].mant() == 0) cov.zeroScales++;
                    max = Math.max(max, scores[t]);
                }
                for (int t = 0; t <= pos; t++) if (IntExp.expFx((long) scores[t] - max) == 0) cov.expZero++;
                int[] p = IntSoftmax.apply(scores, pos + 1);
                for (int i = 0; i < hs; i++) {
                    long acc = 0;
                    for (int t = 0; t <= pos; t++) {
                        int slot = kvh * seqLen + t;
                        acc += l.valueScales[slot].apply(p[t], 0) * l.valueCodes[slot * hs + i];
                    }
                    if (acc != Fixed.sat32(acc)) cov.satOutputs++;
                }
            }
            assertArrayEquals(want, b.vec(OUT, heads * hs),
                    "ATTN heads " + heads + " kvHeads " + kvHeads + " headSize " + hs + " seqLen " + seqLen + " pos " + pos);
        }
        return cycles;
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void stories260kShapeGqa(int bus) {
        try (UnitBench b = UnitBench.open(bus)) {
            Coverage cov = new Coverage();
            long[] c = check(b, new Random(1 + bus), cov, 8, 4, 8, 512, 8, 0, 1, 7, 64, 300);
            cov.assertAll(false);
            System.out.printf("ATTN bus %d heads 8 kvHeads 4 headSize 8: pos 0 %d, pos 64 %d, pos 300 %d cycles%n", bus, c[0], c[3], c[4]);
        }
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void headSize64UnalignedSeqLen(int bus) {
        try (UnitBench b = UnitBench.open(bus)) {
            // seqLen 333: the KV heads after the first start inside a beat
            Coverage cov = new Coverage();
            long[] c = check(b, new Random(2 + bus), cov, 12, 12, 64, 333, 8, 0, 1, 7, 64, 300);
            cov.assertAll(false);
            System.out.printf("ATTN bus %d heads 12 headSize 64: pos 0 %d, pos 64 %d, pos 300 %d cycles%n", bus, c[0], c[3], c[4]);
        }
    }

    /**
     * Scales KVSTORE never writes: exponents from -80 (rounding right shifts past the product's width)
     * up to +2 (left shifts; with a normalised mantissa any nonzero left-shifted score or weight
     * saturates, so this checks the saturation, not the shift count), zero scales, code -128.
     */
    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void rawScalesShiftBothWays(int bus) {
        Random r = new Random(4 + bus);
        int heads = 4, kvHeads = 2, hs = 16, seqLen = 70, pos = 69;
        int slots = kvHeads * seqLen;
        byte[] kc = new byte[slots * hs], vc = new byte[slots * hs];
        r.nextBytes(kc);
        r.nextBytes(vc);
        Scale[] ks = new Scale[slots], vs = new Scale[slots];
        ByteBuffer ksb = ByteBuffer.allocate(slots * 8).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer vsb = ByteBuffer.allocate(slots * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int s = 0; s < slots; s++) {
            ks[s] = r.nextInt(10) == 0 ? Scale.ZERO : new Scale((1L << 30) + r.nextInt(1 << 30), -80 + r.nextInt(83));
            vs[s] = r.nextInt(10) == 0 ? Scale.ZERO : new Scale((1L << 30) + r.nextInt(1 << 30), -80 + r.nextInt(83));
            ksb.putInt(s * 8, (int) ks[s].mant()).putInt(s * 8 + 4, ks[s].exp());
            vsb.putInt(s * 8, (int) vs[s].mant()).putInt(s * 8 + 4, vs[s].exp());
        }
        long kcA = UnitBench.DATA, ksA = align(kcA + kc.length), vcA = align(ksA + slots * 8L), vsA = align(vcA + vc.length);
        try (UnitBench b = UnitBench.open(bus)) {
            b.mem(kcA, kc);
            b.mem(ksA, ksb.array());
            b.mem(vcA, vc);
            b.mem(vsA, vsb.array());
            for (int p : new int[]{0, 3, pos}) {
                int[] q = new int[heads * hs];
                for (int i = 0; i < q.length; i++) q[i] = r.nextInt(1 << 13) - (1 << 12);   // |dot * mant| << 2^62
                b.loadVec(Q, q);
                b.pos(p);
                b.run(DecoderOps.attn(heads, kcA, Q, hs, seqLen, heads / kvHeads, ksA, vcA, vsA, OUT));
                assertArrayEquals(attendRaw(q, heads, heads / kvHeads, hs, seqLen, p, kc, ks, vc, vs), b.vec(OUT, heads * hs), "pos " + p);
            }
        }
    }

    static void assertRefused(UnitBench b, ProgramImage.Entry e) {
        BoardException x = assertThrows(BoardException.class, () -> b.run(e));
        assertTrue(x.getMessage().contains("ERROR=2, PC=0"), x.getMessage());
    }

    @ParameterizedTest(name = "bus {0}")
    @ValueSource(ints = {128, 512})
    void otherShapes(int bus) {
        try (UnitBench b = UnitBench.open(bus)) {
            Random r = new Random(3 + bus);
            Coverage cov = new Coverage();
            check(b, r, cov, 4, 2, 64, 77, 4, 0, 5, 76);          // GQA at headSize 64, 4-bit cache
            check(b, r, cov, 8, 2, 16, 101, 6, 33, 100);          // kvMul 4, a key per beat at 128
            check(b, r, cov, 3, 2, 4, 9, 8, 8, 0);                // heads not a multiple of kvMul, tiny keys
            check(b, r, cov, 2, 2, 32, 1, 8, 0);                  // seqLen 1
            check(b, r, cov, 2, 1, 2, 41, 8, 40);                 // headSize 2 and 1: 8..64 keys per beat
            check(b, r, cov, 1, 1, 1, 23, 8, 22);
            // every value at 2^31 - 1 and scores within a few units: the output saturates when the rounded p_t sum past 2^16
            check(b, r, cov, true, 8, 8, 8, 400, 2, 300, 301, 399);
            cov.assertAll(true);
            long d = UnitBench.DATA;
            b.pos(3);
            assertRefused(b, DecoderOps.attn(2, d, Q, 48, 16, 1, d, d, d, OUT));              // headSize not a power of two
            assertRefused(b, DecoderOps.attn(2, d, Q, 128, 16, 1, d, d, d, OUT));             // headSize > 64
            assertRefused(b, DecoderOps.attn(2, d, Q, 16, 16, 0, d, d, d, OUT));              // kvMul 0
            assertRefused(b, DecoderOps.attn(2, d, Q, 16, 3, 1, d, d, d, OUT));               // pos >= seqLen
            assertRefused(b, DecoderOps.attn(2, d, Q, 16, 2048, 1, d, d, d, OUT));            // seqLen > 1024
            assertRefused(b, DecoderOps.attn(2, d + 1, Q, 16, 16, 1, d, d, d, OUT));          // key codes off a key
            assertRefused(b, DecoderOps.attn(2, d, Q, 16, 16, 1, d, d + 1, d, OUT));          // value codes off a key
            assertRefused(b, DecoderOps.attn(2, d, Q, 16, 16, 1, d + 4, d, d, OUT));          // key scales off 8 bytes
            assertRefused(b, DecoderOps.attn(2, d, Q, 16, 16, 1, d, d, d + 4, OUT));          // value scales off 8 bytes
            check(b, r, cov, 2, 2, 16, 16, 8, 3);                                            // and runs normally after
        }
    }
}
