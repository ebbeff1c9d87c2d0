package dev.bitweave.pack;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import org.junit.jupiter.api.Test;

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
    void threeBitSymmetricCodesAreSignExtendedIntoFourBitLanes() {
        // per channel (G = cols = 2), pow2: one 8-bit entry per row; N = 32 / 8 = 4 rows fill the scale beat.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, true, 2, ScaleEncoding.POW2, 0);
        QuantTensor t = new QuantTensor("w", 1, 2, spec, new byte[]{5, 3}, new int[]{1}, new int[]{-5}, null);
        LinearLayout l = layout(t, 32);
        assertEquals(List.of(4, 1, 1, 8, 4, 1), List.of(l.b(), l.r(), l.eRow(), l.entryBits(), l.n(), l.s()));
        assertEquals(LinearLayout.LOG2_PER_CHANNEL, l.log2Group());
        // code 5 is -3: 1101 in four bits; the last block keeps its S scale beats with the unused rows zero
        assertEquals("fb 00 00 00 3d 00 00 00", hex(WeightImagePacker.packRegion(t, l, 32)));
    }

    @Test
    void asymmetricThreeBitCodesKeepTheirValueAndEntriesPackMThenEThenZ() {
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, false, 2, ScaleEncoding.MUL_EXP, 16);
        QuantTensor t = new QuantTensor("w", 1, 2, spec, new byte[]{5, 7}, new int[]{0xBEEF}, new int[]{-2}, new int[]{6});
        LinearLayout l = layout(t, 32);
        assertEquals(32, l.entryBits());
        assertEquals(List.of(true, true, true), List.of(l.hasM(), l.hasE(), l.hasZ()));
        assertEquals("ef be fe 06 75 00 00 00", hex(WeightImagePacker.packRegion(t, l, 32)));
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
        // int3 asym g32 mul-shift at BUS 512, 768 columns: E_row = 6 beats x 4 groups = 24 entries of 24 bits = 576 bits.
        // Unbounded, N = 512 / gcd(576, 512) = 8 rows in 9 beats; a 2048-bit buffer holds 3 rows, padded to 4 beats.
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 3, false, 32, ScaleEncoding.MUL_SHIFT, 16);
        LinearShape s = new LinearShape("attn_q", 768, 768, spec, -20, -20);
        LinearLayout natural = LinearLayout.of(s, 512, 4608);
        assertEquals(List.of(24, 24, 8, 9), List.of(natural.eRow(), natural.entryBits(), natural.n(), natural.s()));
        LinearLayout capped = LinearLayout.of(s, 512, 2048);
        assertEquals(List.of(3, 4), List.of(capped.n(), capped.s()));
        assertEquals(256L * 4 + 768 * 6, capped.imageBeats());
    }
}
