package dev.bitweave.pack;

import dev.bitweave.board.Board;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.runtime.BadInputException;

import java.util.List;

/**
 * What the hardware of this version can run (docs/hardware.md, "Supported in this version"). A
 * plan can hold formats the reference computes but the MAC array does not (small floats, odd
 * widths, arbitrary group sizes); those are refused here, before anything is packed, naming the
 * tensor, what it has and what is supported.
 */
public final class Compatibility {
    /** The narrowest bus still gives a code beat of at least one quad at 8 bits (32 / 8 = 4 = Q). */
    public static final int MIN_BUS = 32;
    /** The activation block's 64-byte header must end on a beat boundary, so a beat is at most 64 bytes. */
    public static final int MAX_BUS = 512;
    static final String SUPPORTED = "supported: int weights of 2, 3 (as bit planes), 4 or 8 bits, symmetric or asymmetric, and fp4-e2m1"
            + " and fp8-e4m3 weights; any scale encoding, group sizes that are powers of two >= 4, or per channel";

    private Compatibility() {
    }

    /** Refuses a board whose bus the overlay cannot split into lanes. */
    public static void checkBoard(Board board) {
        checkBus(board.name(), board.busWidthBits());
    }

    static void checkBus(String board, int bus) {
        if (bus < MIN_BUS || bus > MAX_BUS || Integer.bitCount(bus) != 1) {
            throw new BadInputException("board " + board + ": a memory bus of " + bus
                    + " bits is not supported by the hardware in this version; supported: 32, 64, 128, 256 or 512 bits");
        }
    }

    public static void checkTensors(List<LinearShape> tensors) {
        for (LinearShape t : tensors) checkTensor(t);
    }

    public static void checkTensor(LinearShape t) {
        WeightSpec s = t.spec();
        if (s.format() == ElementFormat.FP8_E5M2) {
            throw refuse(t, "has " + s.format().id() + " weights, which the hardware of this version does not run");
        }
        if (s.bits() != 2 && s.bits() != 3 && s.bits() != 4 && s.bits() != 8) {
            throw refuse(t, "has " + s.bits() + "-bit int weights, which the hardware of this version does not run");
        }
        if (!isPerChannel(s.groupSize(), t.cols()) && (s.groupSize() < 4 || Integer.bitCount(s.groupSize()) != 1)) {
            throw refuse(t, "has group size " + s.groupSize() + " (cols " + t.cols()
                    + "), which the hardware of this version does not run");
        }
    }

    /** One group covers the whole row: the quantizer caps groupSize at cols, a plan may hold more. */
    static boolean isPerChannel(int groupSize, int cols) {
        return groupSize >= cols;
    }

    private static BadInputException refuse(LinearShape t, String what) {
        return new BadInputException("tensor " + t.name() + ": " + what + "; " + SUPPORTED);
    }
}
