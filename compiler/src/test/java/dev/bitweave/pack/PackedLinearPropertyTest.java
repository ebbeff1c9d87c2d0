package dev.bitweave.pack;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.IntLinear;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed == IntLinear over random tensors: shapes whose rows and columns are not multiples of C_b
 * or G, every width, group size (G < C_b, G = C_b, G > C_b, per channel), scale encoding and
 * symmetry, every bus, scale buffers from the smallest legal one (blocks capped, padded scale
 * beats) to the default, regions at an address inside random memory, and extreme codes, scales
 * and activations. 3-bit tensors (bit planes) are also swept on their own at every bus.
 */
class PackedLinearPropertyTest {
    private static final int[] WIDTHS = {2, 3, 4, 8};
    private static final int[] GROUPS = {4, 8, 16, 32, 64, 128, 256, 0}; // 0: per channel
    private static final int[] BUSES = {32, 64, 128, 256, 512};

    private enum Extreme { RANDOM, MAX, MIN }

    @Test
    void randomTensorsPackedEqualIntLinear() {
        SplittableRandom rnd = new SplittableRandom(2024);
        Set<String> threeBit = new TreeSet<>();
        for (int k = 0; k < 600; k++) {
            LinearLayout l = check(rnd, randomTensor(rnd, "t" + k, Extreme.RANDOM), k);
            if (l.b() == 3) threeBit.add(l.cb() * 2 + (l.r() == 1 ? " R=1" : l.r() % 2 == 1 ? " R odd" : " R even"));
        }
        // The random mix reaches 3-bit planes at every bus, with one, an odd and an even number of lo beats.
        for (int bus : BUSES) {
            for (String r : List.of(" R=1", " R odd", " R even")) {
                if (bus < 512 || !r.equals(" R odd")) assertTrue(threeBit.contains(bus + r), bus + r + " not reached: " + threeBit);
            }
        }
    }

    /**
     * 3-bit planes at every bus: R = 1 to 5 lo beats (the odd ones leave half a hi beat unused), G
     * below, at and above C_3 = BUS / 2 and per channel, symmetric and asymmetric, random and extreme codes.
     */
    @Test
    void threeBitPlanesAtEveryBusPackedEqualIntLinear() {
        SplittableRandom rnd = new SplittableRandom(333);
        int k = 0;
        for (int bus : BUSES) {
            int c3 = bus / 2;
            for (int r = 1; r <= 5; r++) {
                int cols = (r - 1) * c3 + 1 + rnd.nextInt(c3);
                for (int g : new int[]{4, c3, 2 * c3, 0}) {
                    for (boolean sym : new boolean[]{true, false}) {
                        for (Extreme ex : Extreme.values()) {
                            QuantTensor t = tensor(rnd, "p" + k, ex, 3, sym, randomEncoding(rnd), 1 + rnd.nextInt(6), cols, g);
                            LinearLayout l = check(rnd, t, k++, bus);
                            assertEquals(List.of(3, c3, r), List.of(l.b(), l.cb(), l.r()));
                            assertEquals(r + (r + 1) / 2, l.rowBeats());
                        }
                    }
                }
            }
        }
    }

    /**
     * fp4-e2m1 and fp8-e4m3 codes (every finite code, the largest magnitudes included) in groups and
     * per channel, pow2 and mul-exp scales.
     */
    @Test
    void smallFloatsPackedEqualIntLinear() {
        SplittableRandom rnd = new SplittableRandom(44);
        for (int k = 0; k < 120; k++) {
            boolean fp8 = k >= 60;
            int cols = 1 + rnd.nextInt(300);
            int g = new int[]{4, 16, 32, 0}[k % 4];
            g = g == 0 || g >= cols ? cols : g;
            ScaleEncoding enc = k % 3 == 0 ? ScaleEncoding.MUL_EXP : ScaleEncoding.POW2;
            WeightSpec spec = new WeightSpec(fp8 ? ElementFormat.FP8_E4M3 : ElementFormat.FP4_E2M1, fp8 ? 8 : 4, true, g, enc,
                    enc.perGroupMultiplier() ? 16 : 0);
            int rows = 1 + rnd.nextInt(6);
            int groups = rows * ((cols + g - 1) / g);
            byte[] codes = new byte[rows * cols];
            for (int i = 0; i < codes.length; i++) {
                // the largest finite magnitudes: fp4 0b0111 and 0b1111, fp8 0x7E and 0xFE; 0x7F/0xFF are NaN
                int c = k % 5 == 0 ? (fp8 ? (i % 2 == 0 ? 0x7E : 0xFE) : (i % 2 == 0 ? 7 : 15)) : rnd.nextInt(fp8 ? 256 : 16);
                if (fp8 && (c & 0x7F) == 0x7F) c--;
                codes[i] = (byte) c;
            }
            int[] mult = new int[groups];
            int[] exp = new int[groups];
            for (int gi = 0; gi < groups; gi++) {
                mult[gi] = enc.perGroupMultiplier() ? rnd.nextInt(1 << 16) : 1;
                // within the 64-bit accumulator bound: fp8 values reach 2^18, so less exponent spread
                exp[gi] = (fp8 ? -45 : -30) + rnd.nextInt(fp8 ? (enc.perGroupMultiplier() ? 4 : 16) : 21);
            }
            LinearLayout l = check(rnd, new QuantTensor("f" + k, rows, cols, spec, codes, mult, exp, null), k);
            assertTrue(l.floatCodes());
        }
    }

    @Test
    void extremeCodesScalesAndActivationsPackedEqualIntLinear() {
        SplittableRandom rnd = new SplittableRandom(77);
        for (int k = 0; k < 300; k++) {
            check(rnd, randomTensor(rnd, "x" + k, k % 2 == 0 ? Extreme.MAX : Extreme.MIN), k);
        }
    }

    private static LinearLayout check(SplittableRandom rnd, QuantTensor t, int k) {
        return check(rnd, t, k, BUSES[rnd.nextInt(BUSES.length)]);
    }

    private static LinearLayout check(SplittableRandom rnd, QuantTensor t, int k, int bus) {
        LinearShape shape = LinearShape.of(t);
        HardwareParams natural = HardwareParams.derive(List.of(shape), bus);
        long row = natural.layout(shape).rowEntryBits();
        // The smallest legal buffer caps N and pads the scale beats; the default does not.
        int smallest = (int) Math.max(4L * bus, (row + bus - 1) / bus * bus);
        HardwareParams hw = rnd.nextBoolean() ? natural
                : new HardwareParams(bus, natural.modes(), natural.maxCols(), smallest);
        LinearLayout layout = hw.layout(shape);

        // The region sits at a beat boundary inside random bytes, so stray reads show.
        int before = rnd.nextInt(4) * hw.beatBytes();
        byte[] region = WeightImagePacker.packRegion(t, layout, bus);
        byte[] memory = new byte[before + region.length + 3 * hw.beatBytes()];
        rnd.nextBytes(memory);
        System.arraycopy(region, 0, memory, before, region.length);
        ProgramImage.Linear op = (ProgramImage.Linear) ProgramImage.decode(ProgramImage.encode(
                List.of(ProgramImage.Linear.of(new LayerRegion(t.name(), before, region.length, layout)))), "test").get(0);

        int act = 4 + rnd.nextInt(5);
        IntLinear ref = new IntLinear(t, act);
        int qmax = (1 << (act - 1)) - 1;
        for (int[] codes : activations(rnd, t.cols(), qmax)) {
            // Rounding shift of the requantization at least 32: the rounded product then fits 64 bits
            // before sat32 at any accumulator, as for real plans (weights below 2^15 in fx).
            int exp = -(Fixed.FX + t.minExp()) - 32 - rnd.nextInt(k % 3 == 0 ? 1 : 40);
            Scale step = rnd.nextInt(8) == 0 ? Scale.ZERO : new Scale((1L << 30) + rnd.nextLong(1L << 30), exp);
            QuantizedVector x = new QuantizedVector(codes, step);
            int[] want = ref.apply(x);
            int[] got = PackFixtures.runPacked(op, memory, bus, x);
            assertArrayEquals(want, got, () -> "case " + k + ": " + describe(t, layout, bus));
        }
        return layout;
    }

    private static List<int[]> activations(SplittableRandom rnd, int n, int qmax) {
        List<int[]> out = new ArrayList<>();
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = rnd.nextInt(2 * qmax + 1) - qmax;
        out.add(r);
        out.add(PackFixtures.filled(n, qmax));
        out.add(PackFixtures.filled(n, -qmax));
        out.add(PackFixtures.alternating(n, qmax));
        return out;
    }

    private static QuantTensor randomTensor(SplittableRandom rnd, String name, Extreme ex) {
        int bits = WIDTHS[rnd.nextInt(WIDTHS.length)];
        boolean sym = rnd.nextBoolean();
        ScaleEncoding enc = randomEncoding(rnd);
        int rows = 1 + rnd.nextInt(40);
        int cols = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 300);
        return tensor(rnd, name, ex, bits, sym, enc, rows, cols, GROUPS[rnd.nextInt(GROUPS.length)]);
    }

    private static ScaleEncoding randomEncoding(SplittableRandom rnd) {
        return ScaleEncoding.values()[rnd.nextInt(ScaleEncoding.values().length)];
    }

    /** @param g group size, 0 for per channel */
    private static QuantTensor tensor(SplittableRandom rnd, String name, Extreme ex, int bits, boolean sym, ScaleEncoding enc,
                                      int rows, int cols, int g) {
        g = g == 0 || g >= cols ? cols : g; // as the quantizer caps it
        if (g < cols && g < 4) g = 4;
        WeightSpec spec = new WeightSpec(ElementFormat.INT, bits, sym, g, enc, enc.perGroupMultiplier() ? 16 : 0);
        int gpr = (cols + g - 1) / g;
        int groups = rows * gpr;
        byte[] codes = new byte[rows * cols];
        int maxCode = (1 << bits) - 1;
        for (int i = 0; i < codes.length; i++) {
            int c = switch (ex) {
                case RANDOM -> rnd.nextInt(maxCode + 1);
                // symmetric: the largest and the most negative value; asymmetric: the top and bottom code
                case MAX -> sym ? (1 << (bits - 1)) - 1 : maxCode;
                case MIN -> sym ? 1 << (bits - 1) : 0;
            };
            codes[i] = (byte) c;
        }
        int[] mult = new int[groups];
        int[] exp = new int[groups];
        int[] zero = sym ? null : new int[groups];
        // Keep the accumulator within 64 bits as the plan reader demands: cols * qmax * |w| * M * 2^spread < 2^63.
        int spread = ex == Extreme.RANDOM ? rnd.nextInt(21) : 20;
        int base = -40 + rnd.nextInt(60);
        int tensorExp = base;
        for (int gi = 0; gi < groups; gi++) {
            mult[gi] = enc.perGroupMultiplier() ? (ex == Extreme.RANDOM ? rnd.nextInt(1 << 16) : 0xFFFF) : 1;
            exp[gi] = enc.perGroupExponent() ? base + (ex == Extreme.RANDOM ? rnd.nextInt(spread + 1) : gi % 2 * spread) : tensorExp;
            if (zero != null) zero[gi] = ex == Extreme.MIN ? maxCode : ex == Extreme.MAX ? 0 : rnd.nextInt(maxCode + 1);
        }
        QuantTensor t = new QuantTensor(name, rows, cols, spec, codes, mult, exp, zero);
        assertTrue(t.accumulatorBits(8) <= 64, "test tensor must respect the 64-bit accumulator bound");
        return t;
    }

    private static String describe(QuantTensor t, LinearLayout l, int bus) {
        return t.rows() + "x" + t.cols() + " int" + t.spec().bits() + (t.spec().symmetric() ? " sym" : " asym")
                + " G=" + t.spec().groupSize() + " " + t.spec().scaleEncoding().id() + " BUS " + bus
                + " C_b=" + l.cb() + " R=" + l.r() + " E_row=" + l.eRow() + " w_s=" + l.entryBits()
                + " N=" + l.n() + " S=" + l.s() + " codes " + Arrays.toString(Arrays.copyOf(t.codes(), Math.min(8, t.codes().length)));
    }
}
