package dev.bitweave.pack;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** program.img words exactly as docs/hardware.md lists them, and a strict decoder. */
class ProgramImageTest {
    private static final ProgramImage.Linear LINEAR = new ProgramImage.Linear(4, true, true, false, 172, 64, 11, 5, -23, -23,
            24, 2, 3, 0x1_2345_6780L, 41_984);

    private static int[] words(byte[] image, int entry) {
        ByteBuffer b = ByteBuffer.wrap(image, entry * 64, 64).order(ByteOrder.LITTLE_ENDIAN);
        int[] w = new int[16];
        for (int i = 0; i < 16; i++) w[i] = b.getInt();
        return w;
    }

    @Test
    void linearWordsAreTheDocumentedFields() {
        int[] w = words(ProgramImage.encode(List.of(LINEAR)), 0);
        assertEquals(2 | 4 << 8 | 1 << 12 | 1 << 13, w[0]);
        assertArrayEquals(new int[]{172, 64, 11, 5, -23, -23, 24, 2, 3, 0x2345_6780, 1, 41_984, 0, 0, 0},
                Arrays.copyOfRange(w, 1, 16));
    }

    @Test
    void vectorEntriesAndEnd() {
        byte[] img = ProgramImage.encode(List.of(new ProgramImage.LoadAct(64, 0x2000), new ProgramImage.StoreVec(512, 0x3_0000_1000L),
                new ProgramImage.End()));
        assertEquals(3 * 64, img.length);
        assertArrayEquals(new int[]{1, 64, 0x2000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, words(img, 0));
        assertArrayEquals(new int[]{3, 512, 0x1000, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, words(img, 1));
        assertArrayEquals(new int[16], words(img, 2));
    }

    @Test
    void decodeInvertsEncode() {
        List<ProgramImage.Entry> program = List.of(new ProgramImage.LoadAct(172, 0x10_0000), LINEAR,
                new ProgramImage.Linear(8, false, false, true, 1, 1, 1, 31, 7, 0, 8, 4, 1, 0, 64),
                new ProgramImage.StoreVec(64, 0x10_1000), new ProgramImage.End());
        assertEquals(program, ProgramImage.decode(ProgramImage.encode(program), "p"));
    }

    @Test
    void decoderRefusesWhatTheHardwareFlags() {
        byte[] img = ProgramImage.encode(List.of(LINEAR, new ProgramImage.End()));
        byte[] unknown = img.clone();
        unknown[64] = 99;
        assertMessage("p: entry 1, word 0: unknown op 99", unknown);
        byte[] reserved = img.clone();
        reserved[15 * 4] = 1;
        assertMessage("p: entry 0, word 15: reserved word is 1, expected 0", reserved);
        byte[] argmaxFlags = img.clone();
        argmaxFlags[14 * 4] = 4;   // bits 0 (argmax) and 1 (accumulate) are defined
        assertMessage("p: entry 0, word 14: reserved bits set", argmaxFlags);
        byte[] accumulate = img.clone();
        accumulate[14 * 4] = 3;
        assertEquals(List.of(new ProgramImage.LinearTo(LINEAR, 0, true, true), new ProgramImage.End()),
                ProgramImage.decode(accumulate, "p"));
        byte[] add = img.clone();
        add[0] = 11;               // ADD is gone: the residual add is part of LINEAR
        assertMessage("p: entry 0, word 0: unknown op 11", add);
        byte[] flags = img.clone();
        flags[2] |= 1;           // bit 16 of w0
        assertMessage("p: entry 0, word 0: reserved bits set", flags);
        byte[] fp = ProgramImage.encode(List.of(new ProgramImage.Linear(2, false, false, true, 1, 1, 1, 31, 7, 0, 8, 4, 1, 0, 64),
                new ProgramImage.End()));
        fp[1] |= (byte) 0x80;    // bit 15: float codes, on a 2-bit layer
        assertMessage("p: entry 0, word 0: float codes flag on a 2-bit layer (fp4 and fp8 only)", fp);
        assertMessage("p: 65 bytes is not a whole number of 64-byte entries", Arrays.copyOf(img, 65));
    }

    private static void assertMessage(String expected, byte[] image) {
        BadInputException e = assertThrows(BadInputException.class, () -> ProgramImage.decode(image, "p"));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void entriesComeFromRegions() {
        ProgramImage.Linear op = ProgramImage.Linear.of(new LayerRegion("w", 4096, 41_984,
                LinearLayout.of(new LinearShape("w", 172, 64,
                        new WeightSpec(ElementFormat.INT, 3, false, 32, ScaleEncoding.MUL_SHIFT, 16), -23, -23), 128, 512)));
        assertEquals(3, op.b());
        assertEquals(1, op.r()); // lo beats: C_3 = 128 / 2 = 64 codes, so one lo beat (and one hi beat) per row
        assertTrue(op.asymmetric() && op.hasM() && !op.hasE());
        assertEquals(5, op.log2Group());
        assertEquals(4096, op.address());
        int[] w = words(ProgramImage.encode(List.of(op)), 0);
        assertEquals(2 | 3 << 8 | 1 << 12 | 1 << 13, w[0]); // b = 3 in bits 8..11
        assertEquals(1, w[3]);
    }
}
