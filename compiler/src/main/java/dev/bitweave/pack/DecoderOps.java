package dev.bitweave.pack;

import dev.bitweave.numerics.ActivationPrecision;
import dev.bitweave.numerics.Scale;

import static dev.bitweave.pack.ProgramImage.UnitOp;

/**
 * The decoder's program entries (docs/decoder.md, "Program entries") by field name. VRF
 * arguments are word addresses in the vector register file; addresses are board byte addresses.
 */
public final class DecoderOps {
    private DecoderOps() {
    }

    private static int[] words(int op) {
        int[] w = new int[ProgramImage.ENTRY_BYTES / 4];
        w[0] = op;
        return w;
    }

    private static void addr(int[] w, int lo, long address) {
        w[lo] = (int) address;
        w[lo + 1] = (int) (address >>> 32);
    }

    public static UnitOp embed(int n, long table, int stride, int headerBytes, int log2Group, int dst) {
        int[] w = words(ProgramImage.OP_EMBED);
        w[1] = n;
        addr(w, 2, table);
        w[4] = stride;
        w[5] = headerBytes;
        w[6] = log2Group;
        w[7] = dst;
        return new UnitOp(w);
    }

    /** A fixed width, unchecked: tests write bad widths to see the hardware refuse them. */
    public static UnitOp rmsNorm(int n, long gain, int src, long epsQ40, int bits) {
        int[] w = rmsNorm(n, gain, src, epsQ40, ActivationPrecision.fixed(8)).words();
        w[7] = bits;
        return new UnitOp(w);
    }

    /** w7 = bits; token-adaptive: w8 = peakToMeanQ8, w9 = low bits (0: fixed width) */
    public static UnitOp rmsNorm(int n, long gain, int src, long epsQ40, ActivationPrecision a) {
        int[] w = words(ProgramImage.OP_RMSNORM);
        w[1] = n;
        addr(w, 2, gain);
        w[4] = src;
        addr(w, 5, epsQ40);
        precision(w, a);
        return new UnitOp(w);
    }

    /** A fixed width, unchecked (as rmsNorm). */
    public static UnitOp quant(int n, int src, int bits) {
        int[] w = quant(n, src, ActivationPrecision.fixed(8)).words();
        w[7] = bits;
        return new UnitOp(w);
    }

    public static UnitOp quant(int n, int src, ActivationPrecision a) {
        int[] w = words(ProgramImage.OP_QUANT);
        w[1] = n;
        w[4] = src;
        precision(w, a);
        return new UnitOp(w);
    }

    private static void precision(int[] w, ActivationPrecision a) {
        w[7] = a.bits();
        w[8] = a.peakToMeanQ8();
        w[9] = a.lowBits();
    }

    public static UnitOp rope(int n, long table, int vrf, int stride, int headSize) {
        int[] w = words(ProgramImage.OP_ROPE);
        w[1] = n;
        addr(w, 2, table);
        w[4] = vrf;
        w[5] = stride;
        w[6] = headSize;
        return new UnitOp(w);
    }

    /** multiplier: Scale.ZERO for none (values); invSqrt(headSize, 0) for keys. */
    public static UnitOp kvStore(int kvHeads, long codes, int src, int headSize, int seqLen, int bits, long scales,
                                 Scale multiplier) {
        int[] w = words(ProgramImage.OP_KVSTORE);
        w[1] = kvHeads;
        addr(w, 2, codes);
        w[4] = src;
        w[5] = headSize;
        w[6] = seqLen;
        w[7] = bits;
        addr(w, 8, scales);
        w[10] = (int) multiplier.mant();
        w[11] = multiplier.mant() == 0 ? 0 : multiplier.exp();
        return new UnitOp(w);
    }

    public static UnitOp attn(int heads, long keyCodes, int q, int headSize, int seqLen, int kvMul, long keyScales,
                              long valueCodes, long valueScales, int out) {
        int[] w = words(ProgramImage.OP_ATTN);
        w[1] = heads;
        addr(w, 2, keyCodes);
        w[4] = q;
        w[5] = headSize;
        w[6] = seqLen;
        w[7] = kvMul;
        addr(w, 8, keyScales);
        addr(w, 10, valueCodes);
        addr(w, 12, valueScales);
        w[14] = out;
        return new UnitOp(w);
    }

    public static UnitOp swiglu(int n, int gate, int up, int dst) {
        int[] w = words(ProgramImage.OP_SWIGLU);
        w[1] = n;
        w[4] = gate;
        w[5] = up;
        w[6] = dst;
        return new UnitOp(w);
    }

    public static UnitOp loadVec(int n, long address, int dst) {
        int[] w = words(ProgramImage.OP_LOAD_VEC);
        w[1] = n;
        addr(w, 2, address);
        w[4] = dst;
        return new UnitOp(w);
    }

    public static UnitOp storeAct(int n, long address) {
        int[] w = words(ProgramImage.OP_STORE_ACT);
        w[1] = n;
        addr(w, 2, address);
        return new UnitOp(w);
    }
}
