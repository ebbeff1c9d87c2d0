package dev.bitweave.pack;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Layouts and region bytes worked out by hand from docs/hardware.md. */
class WeightImagePackerTest {
    private static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    private static LinearLayout layout(QuantTensor t, int bus) {
        return HardwareParams.derive(List.of(LinearShape.of(t)), bus).layout(LinearShape.of(t));
    }

    @Test
    void twoGroupsPerBeatOneRowPerBlock() {
        // BUS 32, int4: C_b = 8, R = 1; G = 4 < C_b gives 2 entries per beat; 2 x 16 bits fill one beat, so N = 1.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 4, true, 4, ScaleEncoding.MUL_SHIFT, 16);
        byte[] codes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        QuantTensor t = new QuantTensor("w", 2, 6, spec, codes, new int[]{0x1234, 0x5678, 0x9ABC, 0xDEF0},
                new int[]{-9, -9, -9, -9}, null);
        LinearLayout l = layout(t, 32);
        assertEquals(List.of(8, 1, 2, 16, 1, 1), List.of(l.cb(), l.r(), l.eRow(), l.entryBits(), l.n(), l.s()));
        assertEquals(4, l.imageBeats());
        assertEquals(-9, l.eMin());
        assertEquals(-9, l.tensorExponent());
        assertEquals("34 12 78 56 21 43 65 00 bc 9a f0 de 87 a9 cb 00", hex(WeightImagePacker.packRegion(t, l, 32)));
    }

    @Test
    void threeBitSymmetricCodesAreALoAndAHiPlane() {
        // BUS 32: C_3 = 16 codes per lo beat, R = 1 lo beat and 1 hi beat per row.
        // per channel (G = cols = 2), pow2: one 8-bit entry per row; N = 32 / 8 = 4 rows fill the scale beat.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, true, 2, ScaleEncoding.POW2, 0);
        QuantTensor t = new QuantTensor("w", 1, 2, spec, new byte[]{5, 3}, new int[]{1}, new int[]{-5}, null);
        LinearLayout l = layout(t, 32);
        assertEquals(List.of(3, 16, 1, 1, 8, 4, 1), List.of(l.b(), l.cb(), l.r(), l.eRow(), l.entryBits(), l.n(), l.s()));
        assertEquals(2, l.rowBeats());
        assertEquals(3, l.imageBeats());
        assertEquals(LinearLayout.LOG2_PER_CHANNEL, l.log2Group());
        // code 5 (-3) = 1 01, code 3 = 0 11: hi beat 01 (bits 0, 1), lo beat 01 | 11 << 2 = 0d;
        // the last block keeps its S scale beats with the unused rows zero
        assertEquals("fb 00 00 00 01 00 00 00 0d 00 00 00", hex(WeightImagePacker.packRegion(t, l, 32)));
    }

    @Test
    void asymmetricThreeBitCodesKeepTheirValueAndEntriesPackMThenEThenZ() {
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, false, 2, ScaleEncoding.MUL_EXP, 16);
        QuantTensor t = new QuantTensor("w", 1, 2, spec, new byte[]{5, 7}, new int[]{0xBEEF}, new int[]{-2}, new int[]{6});
        LinearLayout l = layout(t, 32);
        assertEquals(32, l.entryBits());
        assertEquals(List.of(true, true, true), List.of(l.hasM(), l.hasE(), l.hasZ()));
        // 5 = 1 01, 7 = 1 11: hi beat 03, lo beat 0d
        assertEquals("ef be fe 06 03 00 00 00 0d 00 00 00", hex(WeightImagePacker.packRegion(t, l, 32)));
    }

    @Test
    void aHiBeatPrecedesEachPairOfLoBeatsAndAnOddRowLeavesItsUpperHalfZero() {
        // BUS 32, 40 columns of code 7: R = ceil(40 / 16) = 3 lo beats, 2 hi beats, 5 code beats per row.
        // Per channel pow2, asymmetric: entries of 16 bits (E, Z), N = 2, S = 1.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, false, 40, ScaleEncoding.POW2, 0);
        byte[] codes = new byte[40];
        Arrays.fill(codes, (byte) 7);
        QuantTensor t = new QuantTensor("w", 1, 40, spec, codes, new int[]{1}, new int[]{-1}, new int[]{0});
        LinearLayout l = layout(t, 32);
        assertEquals(List.of(16, 3, 5, 16, 2, 1), List.of(l.cb(), l.r(), l.rowBeats(), l.entryBits(), l.n(), l.s()));
        assertEquals(6, l.imageBeats());
        assertEquals(6L * 4, l.regionBytes());
        // hi beat of lo beats 0 and 1, lo beat 0, lo beat 1, hi beat of lo beat 2 (8 codes; bits [16, 32) zero), lo beat 2
        assertEquals("ff 00 00 00 ff ff ff ff ff ff ff ff ff ff ff ff ff 00 00 00 ff ff 00 00",
                hex(WeightImagePacker.packRegion(t, l, 32)));
    }

    @Test
    void theHiBeatHoldsTheSecondLoBeatsTopBitsFromBitC3() {
        // BUS 32, 17 symmetric columns: R = 2. Column 0 is -4 (1 00), column 16 is -2 (1 10), the rest 1 (0 01).
        // G = 16 = C_3, mul-shift: E_row = 2 entries of 16 bits fill one beat, so N = 1, S = 1.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, true, 16, ScaleEncoding.MUL_SHIFT, 16);
        byte[] codes = new byte[17];
        Arrays.fill(codes, (byte) 1);
        codes[0] = 4;
        codes[16] = 6;
        QuantTensor t = new QuantTensor("w", 1, 17, spec, codes, new int[]{0x0102, 0x0304}, new int[]{-7, -7}, null);
        LinearLayout l = layout(t, 32);
        assertEquals(List.of(16, 2, 3, 2, 1, 1), List.of(l.cb(), l.r(), l.rowBeats(), l.eRow(), l.n(), l.s()));
        // lo beat 0: 00 then fifteen 01 = 0x54 0x55 0x55 0x55; lo beat 1: 10 = 0x02
        assertEquals("02 01 04 03 01 00 01 00 54 55 55 55 02 00 00 00", hex(WeightImagePacker.packRegion(t, l, 32)));
    }

    @Test
    void groupsSpanningBeatsGetOneEntryEach() {
        // stories260K's ffn_down at BUS 64, int4 g32: C_b = 16, R = ceil(172 / 16) = 11, G = 32 >= C_b:
        // E_row = ceil(11 * 16 / 32) = 6; 6 x 16 = 96 bits per row, so N = 2 rows make 3 whole beats.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 4, true, 32, ScaleEncoding.MUL_SHIFT, 16);
        LinearLayout l = LinearLayout.of(new LinearShape("ffn_down", 64, 172, spec, -20, -20), 64, 256);
        assertEquals(List.of(16, 11, 6, 2, 3), List.of(l.cb(), l.r(), l.eRow(), l.n(), l.s()));
        assertEquals(32 * 3 + 64 * 11, l.imageBeats());
        assertEquals(64 * 172 * 4 + 64 * 6 * 16, l.planBits());
        assertEquals(5, l.log2Group());
    }

    @Test
    void aSmallScaleBufferCapsNAndPadsTheScaleBeats() {
        // int3 asym g32 mul-shift at BUS 512, 768 columns: C_3 = 256, R = 3 lo beats (+ 2 hi beats) per row;
        // E_row = 3 beats x 8 groups = 24 entries of 24 bits = 576 bits.
        // Unbounded, N = 512 / gcd(576, 512) = 8 rows in 9 beats; a 2048-bit buffer holds 3 rows, padded to 4 beats.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, false, 32, ScaleEncoding.MUL_SHIFT, 16);
        LinearShape s = new LinearShape("attn_q", 768, 768, spec, -20, -20);
        LinearLayout natural = LinearLayout.of(s, 512, 4608);
        assertEquals(List.of(256, 3, 5), List.of(natural.cb(), natural.r(), natural.rowBeats()));
        assertEquals(List.of(24, 24, 8, 9), List.of(natural.eRow(), natural.entryBits(), natural.n(), natural.s()));
        assertEquals(96L * 9 + 768 * 5, natural.imageBeats());
        LinearLayout capped = LinearLayout.of(s, 512, 2048);
        assertEquals(List.of(3, 4), List.of(capped.n(), capped.s()));
        assertEquals(256L * 4 + 768 * 5, capped.imageBeats());
    }
}
