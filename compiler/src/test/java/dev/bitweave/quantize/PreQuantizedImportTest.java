package dev.bitweave.quantize;

import dev.bitweave.importer.Fp16;
import dev.bitweave.importer.PreQuantized;
import dev.bitweave.numerics.QuantTensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GGUF Q8_0/Q4_0 blocks become plan tensors whose values equal llama.cpp's dequantization exactly. */
class PreQuantizedImportTest {
    private static double planValue(QuantTensor t, int i) {
        int g = i / t.spec().groupSize();
        long v = t.spec().codeValues()[t.codes()[i] & 0xFF] - (t.zero() == null ? 0 : t.zero()[g]);
        return v * (double) t.mult()[g] * Math.pow(2, t.exp()[g]);
    }

    private static PreQuantized blocks(String kind, SplittableRandom r, short[] scales) {
        int n = scales.length * 32;
        byte[] codes = new byte[n];
        for (int i = 0; i < n; i++) codes[i] = (byte) (kind.equals("Q8_0") ? r.nextInt(-127, 128) : r.nextInt(16));
        return new PreQuantized(kind, 2, n / 2, 32, scales, codes);
    }

    @Test
    void q8AndQ4ValuesAreExactIncludingNegativeAndSubnormalScales() {
        SplittableRandom r = new SplittableRandom(7);
        short[] scales = {Fp16.fromFloat(0.0123f), Fp16.fromFloat(-0.5f), Fp16.fromFloat(3.0e-6f), (short) 0x0001,
                Fp16.fromFloat(-0.00042f), 0, Fp16.fromFloat(1.75f), Fp16.fromFloat(-2.0e-5f)};
        for (String kind : new String[]{"Q8_0", "Q4_0"}) {
            PreQuantized p = blocks(kind, r, scales);
            QuantTensor t = PreQuantizedImport.convert("t", p).orElseThrow();
            for (int i = 0; i < p.codes().length; i++) {
                float d = Fp16.toFloat(p.fp16Scales()[i / 32]);
                float expect = kind.equals("Q8_0") ? d * p.codes()[i] : d * (p.codes()[i] - 8);
                float got = (float) planValue(t, i);
                assertTrue(expect == got, kind + " element " + i + ": " + expect + " vs " + got); // -0 == 0
            }
            assertTrue(t.accumulatorBits(8) <= 64);
        }
    }

    @Test
    void anUnrepresentableBlockIsRefusedSoTheCallerRequantizes() {
        byte[] codes = new byte[32];
        codes[5] = Byte.MIN_VALUE; // -128 with a negative scale cannot be negated into int8
        PreQuantized p = new PreQuantized("Q8_0", 1, 32, 32, new short[]{Fp16.fromFloat(-0.25f)}, codes);
        assertTrue(PreQuantizedImport.convert("t", p).isEmpty());
    }
}
