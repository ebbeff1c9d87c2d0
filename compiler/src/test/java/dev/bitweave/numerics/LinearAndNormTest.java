package dev.bitweave.numerics;

import dev.bitweave.plan.BitPacking;
import dev.bitweave.quantize.RoundToNearest;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The integer ops against float math on the same inputs: close (these are approximations by design),
 * with exact checks where the definition is exact.
 */
class LinearAndNormTest {
    private static float[] gaussian(SplittableRandom r, int n, double sd) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(), v = r.nextDouble();
            w[i] = (float) (sd * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return w;
    }

    private static double relErr(double[] ref, int[] fx) {
        double num = 0, den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = fx[i] / 65536.0 - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    static WeightSpec spec(ElementFormat f, int bits, boolean sym, int g, ScaleEncoding e) {
        return new WeightSpec(f, bits, sym, g, e, 16);
    }

    @Test
    void bitPackingRoundTripsEveryWidth() {
        SplittableRandom r = new SplittableRandom(4);
        for (int bits = 2; bits <= 8; bits++) {
            byte[] codes = new byte[1001];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) r.nextInt(1 << bits);
            byte[] packed = BitPacking.pack(codes, bits);
            assertEquals((1001L * bits + 7) / 8, packed.length);
            assertArrayEquals(codes, BitPacking.unpack(packed, bits, codes.length));
        }
        // 3-bit codes 1..5 straddle the first byte boundary: 001 010 011 100 101
        byte[] p = BitPacking.pack(new byte[]{1, 2, 3, 4, 5}, 3);
        assertArrayEquals(new byte[]{(byte) 0b11_010_001, (byte) 0b0_101_100_0}, p);
    }

    @Test
    void linearLayersTrackFloatMathForEveryFormat() {
        SplittableRandom r = new SplittableRandom(5);
        int rows = 37, cols = 172; // 172 = 5 groups of 32 + one of 12
        float[] w = gaussian(r, rows * cols, 0.05);
        float[] x = gaussian(r, cols, 1.0);
        Object[][] cases = {
                {spec(ElementFormat.INT, 8, true, cols, ScaleEncoding.MUL_SHIFT), 0.01},
                {spec(ElementFormat.INT, 4, true, 32, ScaleEncoding.MUL_SHIFT), 0.12},
                {spec(ElementFormat.INT, 4, true, 32, ScaleEncoding.POW2), 0.2},
                {spec(ElementFormat.INT, 3, false, 32, ScaleEncoding.MUL_SHIFT), 0.2},
                {spec(ElementFormat.INT, 2, false, 16, ScaleEncoding.MUL_SHIFT), 0.45},
                {spec(ElementFormat.FP8_E4M3, 8, true, 32, ScaleEncoding.POW2), 0.05},
                {spec(ElementFormat.FP8_E5M2, 8, true, 32, ScaleEncoding.POW2), 0.1},
                {spec(ElementFormat.FP4_E2M1, 4, true, 32, ScaleEncoding.POW2), 0.2},
                {spec(ElementFormat.INT, 8, true, 32, ScaleEncoding.MUL_EXP), 0.01},
        };
        int[] xfx = new int[cols];
        for (int i = 0; i < cols; i++) xfx[i] = Math.round(x[i] * 65536f);
        for (Object[] c : cases) {
            WeightSpec s = (WeightSpec) c[0];
            QuantTensor q = new RoundToNearest(s).quantize("t", w, rows, cols);
            IntLinear lin = new IntLinear(q, 8);
            int[] y = lin.apply(ActivationQuantizer.quantizeFx(xfx, 8));
            double[] ref = new double[rows];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) ref[i] += w[i * cols + j] * (double) x[j];
            double err = relErr(ref, y);
            assertTrue(err < (double) c[1], s + ": relative error " + err);
            assertTrue(q.accumulatorBits(8) <= 64);
        }
    }

    @Test
    void rmsNormStepMatchesFloat() {
        SplittableRandom r = new SplittableRandom(6);
        for (double sd : new double[]{1e-3, 0.05, 1, 300}) {
            float[] x = gaussian(r, 64, sd);
            float[] g = gaussian(r, 64, 1);
            int[] xfx = new int[64], gfx = new int[64];
            for (int i = 0; i < 64; i++) {
                xfx[i] = Math.round(x[i] * 65536f);
                gfx[i] = Math.round(g[i] * 65536f);
            }
            QuantizedVector q = new IntRmsNorm(gfx, 1e-5).apply(xfx, 8);
            double ss = 0;
            for (int i = 0; i < 64; i++) ss += (xfx[i] / 65536.0) * (xfx[i] / 65536.0);
            double inv = 1 / Math.sqrt(ss / 64 + 1e-5);
            for (int i = 0; i < 64; i++) {
                double expect = (xfx[i] / 65536.0) * (gfx[i] / 65536.0) * inv;
                double got = q.codes()[i] * q.step().toDouble();
                assertEquals(expect, got, q.step().toDouble() * 0.5001 + 1e-9, "sd " + sd + " element " + i);
            }
        }
    }

    @Test
    void expSoftmaxAndSiluTrackFloat() {
        for (int d = 0; d > -20 * 65536; d -= 977) {
            assertEquals(Math.exp(d / 65536.0), IntExp.expFx(d) / 65536.0, 1e-3 * Math.exp(d / 65536.0) + 2e-5, "exp " + d);
        }
        for (int x = -12 * 65536; x < 12 * 65536; x += 1231) {
            double xr = x / 65536.0;
            assertEquals(xr / (1 + Math.exp(-xr)), IntSilu.silu(x) / 65536.0, 2e-3 * Math.abs(xr) + 3e-5, "silu " + xr);
        }
        int[] p = IntSoftmax.apply(new int[]{0, 65536, -65536, 3 * 65536}, 4);
        double z = Math.exp(0) + Math.exp(1) + Math.exp(-1) + Math.exp(3);
        assertEquals(Math.exp(3) / z, p[3] / 65536.0, 1e-3);
        assertEquals(Math.exp(-1) / z, p[2] / 65536.0, 1e-3);
    }

    @Test
    void worstCaseInputsDoNotOverflowTheDerivedAccumulator() {
        // all weights at the format's extreme and all activations at +-qmax: the exact sum must fit
        for (int bits = 2; bits <= 8; bits++) {
            WeightSpec s = spec(ElementFormat.INT, bits, false, 64, ScaleEncoding.MUL_SHIFT);
            int cols = 4096;
            byte[] codes = new byte[cols];
            java.util.Arrays.fill(codes, (byte) ((1 << bits) - 1));
            int groups = cols / 64;
            int[] mult = new int[groups];
            int[] exp = new int[groups];
            int[] zero = new int[groups];
            java.util.Arrays.fill(mult, 65535);
            QuantTensor q = new QuantTensor("w", 1, cols, s, codes, mult, exp, zero);
            int[] a = new int[cols];
            java.util.Arrays.fill(a, 127);
            double exact = (double) cols * 127 * ((1 << bits) - 1) * 65535;
            assertTrue(Math.log(exact) / Math.log(2) + 1 <= q.accumulatorBits(8));
            int[] y = new IntLinear(q, 8).apply(new QuantizedVector(a, Scale.of(1, -16)));
            assertEquals(Integer.MAX_VALUE, y[0]); // saturates, never wraps
        }
    }
}
