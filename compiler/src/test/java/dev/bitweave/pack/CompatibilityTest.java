package dev.bitweave.pack;

import dev.bitweave.board.BoardCatalog;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the hardware of this version refuses, and that each refusal names the tensor, what it has and what is supported. */
class CompatibilityTest {
    @TempDir
    Path tmp;

    private static LinearShape shape(ElementFormat f, int bits, int group, int cols) {
        return new LinearShape("blk.2.ffn_down", 64, cols, new WeightSpec(f, bits, true, group, ScaleEncoding.POW2, 0), -10, 0);
    }

    private static String refusal(LinearShape s) {
        return assertThrows(BadInputException.class, () -> Compatibility.checkTensor(s)).getMessage();
    }

    @Test
    void fp8E5m2IsRefusedE4m3AndFp4Run() {
        assertEquals("tensor blk.2.ffn_down: has fp8-e5m2 weights, which the hardware of this version does not run; "
                + Compatibility.SUPPORTED, refusal(shape(ElementFormat.FP8_E5M2, 8, 32, 64)));
        Compatibility.checkTensor(shape(ElementFormat.FP4_E2M1, 4, 32, 64));   // the 4-bit lanes decode fp4-e2m1
        Compatibility.checkTensor(shape(ElementFormat.FP8_E4M3, 8, 32, 64));   // the 8-bit lanes decode fp8-e4m3
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7})
    void widthsFiveToSevenAreRefused(int bits) {
        assertEquals("tensor blk.2.ffn_down: has " + bits + "-bit int weights, which the hardware of this version does not run; "
                + Compatibility.SUPPORTED, refusal(shape(ElementFormat.INT, bits, 32, 172)));
    }

    @Test
    void groupSizesMustBePowersOfTwoOfAtLeastFourUnlessPerChannel() {
        assertEquals("tensor blk.2.ffn_down: has group size 12 (cols 172), which the hardware of this version does not run; "
                + Compatibility.SUPPORTED, refusal(shape(ElementFormat.INT, 4, 12, 172)));
        assertTrue(refusal(shape(ElementFormat.INT, 4, 2, 172)).contains("group size 2 (cols 172)"));
        assertTrue(refusal(shape(ElementFormat.INT, 4, 1, 172)).contains("group size 1"));
        for (int g : new int[]{4, 8, 64, 128, 172, 256}) {
            assertDoesNotThrow(() -> Compatibility.checkTensor(shape(ElementFormat.INT, 4, g, 172)), "group " + g);
        }
        for (int bits : new int[]{2, 3, 4, 8}) {
            assertDoesNotThrow(() -> Compatibility.checkTensor(shape(ElementFormat.INT, bits, 16, 172)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 1024})
    void busesOutsideThirtyTwoToFiveTwelveAreRefused(int bus) {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Compatibility.checkBoard(PackFixtures.boardWithBus(bus)));
        assertEquals("board alveo-u280: a memory bus of " + bus + " bits is not supported by the hardware in this version;"
                + " supported: 32, 64, 128, 256 or 512 bits", e.getMessage());
    }

    @Test
    void aBuildLargerThanTheBoardsMemoryIsRefused() throws Exception {
        QuantizedModel m = PackFixtures.stories260k(tmp, "w8a8");
        BadInputException e = assertThrows(BadInputException.class,
                () -> BuildImages.create(m, BoardCatalog.byName("ice40-up5k")));
        assertTrue(e.getMessage().startsWith("board ice40-up5k: this build needs "), e.getMessage());
        assertTrue(e.getMessage().endsWith("but its SPRAM holds 131072"), e.getMessage());
    }
}
