package dev.bitweave.pack;

import dev.bitweave.board.Board;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.plan.TensorEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The build parameters of docs/hardware.md that the generated array is sized by.
 *
 * @param bus       BUS, memory data bus width in bits
 * @param modes     stored weight widths the array is built for (2, 3, 4, 8), ascending
 * @param maxCols   MAX_COLS: the widest linear input, rounded up to a whole code beat of the mode with the
 *                  most codes per beat (so every row's R * C_b columns fit the activation buffer)
 * @param scaleBits SCALE_BITS: capacity of the on-chip scale buffer, a multiple of BUS
 */
public record HardwareParams(int bus, List<Integer> modes, int maxCols, int scaleBits) {

    /** A scale buffer smaller than this saves nothing worth having and forces tiny blocks. */
    static final int MIN_SCALE_BEATS = 4;
    /**
     * The buffer grows past the minimum up to this many beats when that lets a layer use its
     * natural N (whole beats of entries without padding); beyond it, the padding is cheaper than the RAM.
     */
    static final int MAX_SCALE_BEATS = 16;

    public HardwareParams {
        modes = List.copyOf(modes);
    }

    public static HardwareParams derive(QuantizedModel model, Board board) {
        Compatibility.checkBoard(board);
        List<LinearShape> shapes = linearShapes(model);
        Compatibility.checkTensors(shapes);
        return derive(shapes, board.busWidthBits());
    }

    /** For shapes already checked by {@link Compatibility}. */
    public static HardwareParams derive(List<LinearShape> shapes, int bus) {
        Compatibility.checkBus("of " + bus + " bits", bus);
        TreeSet<Integer> modes = new TreeSet<>();
        int cols = 0;
        for (LinearShape t : shapes) {
            modes.add(LinearLayout.storedWidth(t.spec().bits()));
            cols = Math.max(cols, t.cols());
        }
        if (modes.isEmpty()) throw new IllegalArgumentException("no linear tensors");
        int widest = widestBeat(bus, modes);
        int maxCols = LinearLayout.ceilDiv(cols, widest) * widest;
        long scale = (long) MIN_SCALE_BEATS * bus;
        for (LinearShape t : shapes) {
            // Any buffer of at least one row holds a block; sizing here only decides the padding.
            long row = LinearLayout.of(t, bus, Integer.MAX_VALUE).rowEntryBits();
            long natural = lcm(row, bus);
            scale = Math.max(scale, natural <= (long) MAX_SCALE_BEATS * bus ? natural : LinearLayout.ceilDiv(row, bus) * bus);
        }
        if (scale > Integer.MAX_VALUE) throw new IllegalArgumentException("scale entries of one row exceed 2^31 bits");
        return new HardwareParams(bus, List.copyOf(modes), maxCols, (int) scale);
    }

    /** The linear tensors of a plan in plan order; a tied classifier is token_embd itself. */
    public static List<LinearShape> linearShapes(QuantizedModel model) {
        List<LinearShape> out = new ArrayList<>();
        for (TensorEntry e : model.plan().tensors()) {
            if (!e.isVector()) out.add(LinearShape.of(model.matrices().get(e.name())));
        }
        return out;
    }

    public LinearLayout layout(LinearShape t) {
        return LinearLayout.of(t, bus, scaleBits);
    }

    /** Codes per code beat at stored width b (per lo beat for b = 3). */
    public int codesPerBeat(int b) {
        return LinearLayout.codesPerBeat(bus, b);
    }

    /** The most codes a code beat holds in any of these modes: MAX_COLS is a multiple of it. */
    static int widestBeat(int bus, Iterable<Integer> modes) {
        int widest = 0;
        for (int b : modes) widest = Math.max(widest, LinearLayout.codesPerBeat(bus, b));
        return widest;
    }

    public int beatBytes() {
        return bus / 8;
    }

    /** Bit w set for every mode w: the MODES field of the PARAMS register (before its shift to bit 16). */
    public int modesMask() {
        int m = 0;
        for (int w : modes) m |= 1 << w;
        return m;
    }

    private static long lcm(long a, long b) {
        long x = a, y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
