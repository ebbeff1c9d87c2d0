package dev.bitweave.pack;

import dev.bitweave.runtime.BadInputException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * program.img (docs/hardware.md, "program.img"): 64-byte entries of 16 little-endian 32-bit words
 * that the sequencer walks. Encoding and decoding are exact inverses; the decoder is strict
 * (reserved bits and words must be 0) because the hardware reports such entries as bad fields.
 */
public final class ProgramImage {
    public static final int ENTRY_BYTES = 64;
    static final int WORDS = ENTRY_BYTES / 4;

    public static final int OP_END = 0;
    public static final int OP_LOAD_ACT = 1;
    public static final int OP_LINEAR = 2;
    public static final int OP_STORE_VEC = 3;
    /** Decoder ops (docs/decoder.md): each is carried out by one unit of the decoder build. */
    public static final int OP_EMBED = 4, OP_RMSNORM = 5, OP_QUANT = 6, OP_ROPE = 7, OP_KVSTORE = 8, OP_ATTN = 9,
            OP_SWIGLU = 10, OP_LOAD_VEC = 12, OP_STORE_ACT = 13;

    private ProgramImage() {
    }

    /** One program entry. */
    public sealed interface Entry permits End, LoadAct, Linear, LinearTo, StoreVec, UnitOp {
    }

    /** Stops the sequencer; STATUS.done rises. */
    public record End() implements Entry {
    }

    /** Loads the activation block of n codes at address into the activation buffer. */
    public record LoadAct(int n, long address) implements Entry {
    }

    /** Writes n int32 values of the vector registers, from word src, to address. */
    public record StoreVec(int n, long address, int src) implements Entry {
        public StoreVec(int n, long address) {
            this(n, address, 0);
        }
    }

    /**
     * A LINEAR whose rows go to VRF word dst (docs/decoder.md); accumulate: each row is added to
     * the word already there, saturating (the residual add); argmax: track the largest result.
     */
    public record LinearTo(Linear linear, int dst, boolean argmax, boolean accumulate) implements Entry {
        public LinearTo(Linear linear, int dst, boolean argmax) {
            this(linear, dst, argmax, false);
        }
    }

    /**
     * A decoder op (docs/decoder.md) as its words: words[k] is entry word k, words[0] the op.
     * {@link DecoderOps} builds them by field name.
     */
    public record UnitOp(int[] words) implements Entry {
        public UnitOp {
            if (words.length != WORDS) throw new IllegalArgumentException("an entry has " + WORDS + " words");
            words = words.clone();
        }

        public int op() {
            return words[0] & 0xFF;
        }

        @Override
        public int[] words() {
            return words.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UnitOp u && java.util.Arrays.equals(words, u.words);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(words);
        }

        @Override
        public String toString() {
            return "UnitOp" + java.util.Arrays.toString(words);
        }
    }

    /**
     * One linear layer over the region at address (words w1..w12 of a LINEAR entry).
     *
     * @param b          stored weight width (2, 3, 4 or 8)
     * @param r          code beats per row; for b = 3 the lo beats only
     * @param log2Group  log2(G), or {@value LinearLayout#LOG2_PER_CHANNEL} for per channel
     * @param entryBits  w_s
     * @param size       region bytes
     */
    public record Linear(int b, boolean asymmetric, boolean hasM, boolean hasE, int rows, int cols, int r,
                         int log2Group, int eMin, int tensorExponent, int entryBits, int n, int s, long address,
                         long size, boolean floatCodes) implements Entry {

        public Linear(int b, boolean asymmetric, boolean hasM, boolean hasE, int rows, int cols, int r, int log2Group, int eMin,
                      int tensorExponent, int entryBits, int n, int s, long address, long size) {
            this(b, asymmetric, hasM, hasE, rows, cols, r, log2Group, eMin, tensorExponent, entryBits, n, s, address, size, false);
        }

        public static Linear of(LayerRegion region) {
            LinearLayout l = region.layout();
            return new Linear(l.b(), l.hasZ(), l.hasM(), l.hasE(), l.rows(), l.cols(), l.r(), l.log2Group(), l.eMin(),
                    l.tensorExponent(), l.entryBits(), l.n(), l.s(), region.address(), region.size(), l.floatCodes());
        }

        public boolean perChannel() {
            return log2Group == LinearLayout.LOG2_PER_CHANNEL;
        }
    }

    public static byte[] encode(List<? extends Entry> entries) {
        ByteBuffer buf = ByteBuffer.allocate(entries.size() * ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            int[] w = new int[WORDS];
            if (e instanceof LoadAct a) {
                vector(w, OP_LOAD_ACT, a.n(), a.address());
            } else if (e instanceof StoreVec s) {
                vector(w, OP_STORE_VEC, s.n(), s.address());
                w[4] = s.src();
            } else if (e instanceof Linear l) {
                linear(w, l);
            } else if (e instanceof LinearTo t) {
                linear(w, t.linear());
                w[13] = t.dst();
                w[14] = (t.argmax() ? 1 : 0) | (t.accumulate() ? 2 : 0);
            } else if (e instanceof UnitOp u) {
                w = u.words();
            } else {
                w[0] = OP_END;
            }
            for (int v : w) buf.putInt(v);
        }
        return buf.array();
    }

    private static void vector(int[] w, int op, int n, long address) {
        if (n < 0) throw new IllegalArgumentException("negative element count " + n);
        w[0] = op;
        w[1] = n;
        w[2] = (int) address;
        w[3] = (int) (address >>> 32);
    }

    private static void linear(int[] w, Linear l) {
        if (l.b() < 0 || l.b() > 15) throw new IllegalArgumentException("width " + l.b() + " does not fit 4 bits");
        if (l.size() < 0 || l.size() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("region of " + l.size() + " bytes does not fit the 32-bit size word");
        }
        w[0] = OP_LINEAR | l.b() << 8 | (l.asymmetric() ? 1 << 12 : 0) | (l.hasM() ? 1 << 13 : 0) | (l.hasE() ? 1 << 14 : 0)
                | (l.floatCodes() ? 1 << 15 : 0);
        w[1] = l.rows();
        w[2] = l.cols();
        w[3] = l.r();
        w[4] = l.log2Group();
        w[5] = l.eMin();
        w[6] = l.tensorExponent();
        w[7] = l.entryBits();
        w[8] = l.n();
        w[9] = l.s();
        w[10] = (int) l.address();
        w[11] = (int) (l.address() >>> 32);
        w[12] = (int) l.size();
    }

    /**
     * @param source names the image in error messages, e.g. its file
     * @throws BadInputException naming the entry and the word for anything the hardware would refuse
     */
    public static List<Entry> decode(byte[] image, String source) {
        if (image.length % ENTRY_BYTES != 0) {
            throw new BadInputException(source + ": " + image.length + " bytes is not a whole number of "
                    + ENTRY_BYTES + "-byte entries");
        }
        ByteBuffer buf = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < image.length / ENTRY_BYTES; i++) {
            int[] w = new int[WORDS];
            for (int k = 0; k < WORDS; k++) w[k] = buf.getInt();
            out.add(decodeEntry(w, source + ": entry " + i));
        }
        return out;
    }

    private static Entry decodeEntry(int[] w, String where) {
        int op = w[0] & 0xFF;
        switch (op) {
            case OP_END -> {
                if (w[0] != OP_END) throw bad(where, 0, "flags set on END");
                requireZero(w, 1, where);
                return new End();
            }
            case OP_LOAD_ACT, OP_STORE_VEC -> {
                requireZero(w, op == OP_LOAD_ACT ? 4 : 5, where);
                if (w[0] != op) throw bad(where, 0, "flags set on a vector entry");
                if (w[1] < 0) throw bad(where, 1, "element count " + Integer.toUnsignedString(w[1]) + " too large");
                long address = (w[2] & 0xFFFF_FFFFL) | (long) w[3] << 32;
                return op == OP_LOAD_ACT ? new LoadAct(w[1], address) : new StoreVec(w[1], address, w[4]);
            }
            case OP_EMBED, OP_RMSNORM, OP_QUANT, OP_ROPE, OP_KVSTORE, OP_ATTN, OP_SWIGLU, OP_LOAD_VEC, OP_STORE_ACT -> {
                if (w[0] != op) throw bad(where, 0, "flags set on a decoder entry");
                return new UnitOp(w);
            }
            case OP_LINEAR -> {
                requireZero(w, 15, where);
                if ((w[14] & ~3) != 0) throw bad(where, 14, "reserved bits set");
                if ((w[0] & ~0xFFFF) != 0) throw bad(where, 0, "reserved bits set");
                int wb = (w[0] >>> 8) & 0xF;
                if ((w[0] & 1 << 15) != 0 && wb != 4 && wb != 8) throw bad(where, 0, "float codes flag on a " + wb + "-bit layer (fp4 and fp8 only)");
                for (int k : new int[]{1, 2, 3, 4, 7, 8, 9}) {
                    if (w[k] < 0) throw bad(where, k, Integer.toUnsignedString(w[k]) + " too large");
                }
                long address = (w[10] & 0xFFFF_FFFFL) | (long) w[11] << 32;
                Linear l = new Linear((w[0] >>> 8) & 0xF, (w[0] & 1 << 12) != 0, (w[0] & 1 << 13) != 0, (w[0] & 1 << 14) != 0,
                        w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], address, w[12] & 0xFFFF_FFFFL, (w[0] & 1 << 15) != 0);
                return w[13] == 0 && w[14] == 0 ? l : new LinearTo(l, w[13], (w[14] & 1) != 0, (w[14] & 2) != 0);
            }
            default -> throw bad(where, 0, "unknown op " + op);
        }
    }

    private static void requireZero(int[] w, int from, String where) {
        for (int k = from; k < WORDS; k++) {
            if (w[k] != 0) throw bad(where, k, "reserved word is " + Integer.toUnsignedString(w[k]) + ", expected 0");
        }
    }

    private static BadInputException bad(String where, int word, String problem) {
        return new BadInputException(where + ", word " + word + ": " + problem);
    }
}
