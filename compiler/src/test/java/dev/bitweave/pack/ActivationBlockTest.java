package dev.bitweave.pack;

import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.Scale;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Activation blocks and output vectors as docs/hardware.md lays them out in memory. */
class ActivationBlockTest {
    @Test
    void headerThenCodesPaddedToABeat() {
        Scale step = Scale.of(12345, -40);
        int[] codes = new int[70];
        for (int i = 0; i < codes.length; i++) codes[i] = i % 2 == 0 ? -127 + i : 127 - i;
        for (int bus : new int[]{32, 64, 128, 512}) {
            byte[] b = ActivationBlock.encode(new QuantizedVector(codes, step), bus);
            int beat = bus / 8;
            assertEquals(64 + (70 + beat - 1) / beat * beat, b.length, "BUS " + bus);
            ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(step.mant(), w.getInt(0) & 0xFFFF_FFFFL);
            assertEquals(step.exp(), w.getInt(4));
            for (int i = 8; i < 64; i++) assertEquals(0, b[i], "header byte " + i);
            for (int i = 0; i < 70; i++) assertEquals(codes[i], b[64 + i]);
            for (int i = 64 + 70; i < b.length; i++) assertEquals(0, b[i], "padding byte " + i);
            QuantizedVector back = ActivationBlock.decode(b, 0, 70);
            assertArrayEquals(codes, back.codes());
            assertEquals(step, back.step());
        }
    }

    @Test
    void zeroStepAndDecodeAtAnOffset() {
        byte[] block = ActivationBlock.encode(new QuantizedVector(new int[]{0, 0, 0}, Scale.ZERO), 64);
        byte[] memory = new byte[128 + block.length];
        System.arraycopy(block, 0, memory, 128, block.length);
        assertEquals(Scale.ZERO, ActivationBlock.decode(memory, 128, 3).step());
    }

    @Test
    void anUnnormalisedStepIsRefused() {
        byte[] block = ActivationBlock.encode(new QuantizedVector(new int[4], Scale.of(1, 0)), 32);
        block[3] = 0; // mantissa 0 high byte: below 2^30
        block[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> ActivationBlock.decode(block, 0, 4));
    }

    @Test
    void codesOutsideInt8AreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ActivationBlock.encode(new QuantizedVector(new int[]{128}, Scale.of(1, 0)), 32));
    }

    @Test
    void outputsAreLittleEndianInt32PaddedToABeat() {
        int[] y = {1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x01020304};
        byte[] out = ActivationBlock.encodeOutput(y, 512);
        assertEquals(64, out.length);
        assertEquals(0x04, out[16]);
        assertEquals(0x01, out[19]);
        assertArrayEquals(y, ActivationBlock.decodeOutput(out, 0, 5));
    }
}
