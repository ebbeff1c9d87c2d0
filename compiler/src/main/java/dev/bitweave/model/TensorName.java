package dev.bitweave.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Canonical tensor names, the ones GGUF uses for Llama (blk.N.attn_q ...). Every importer maps its
 * own names onto these, and plans store tensors under them. Matrices are row-major
 * [out_features, in_features], as in llama2.c: y = W x.
 */
public final class TensorName {
    private TensorName() {
    }

    public static final String TOKEN_EMBD = "token_embd";
    public static final String OUTPUT_NORM = "output_norm";
    public static final String OUTPUT = "output";

    public static String attnNorm(int l) { return "blk." + l + ".attn_norm"; }
    public static String attnQ(int l) { return "blk." + l + ".attn_q"; }
    public static String attnK(int l) { return "blk." + l + ".attn_k"; }
    public static String attnV(int l) { return "blk." + l + ".attn_v"; }
    public static String attnOut(int l) { return "blk." + l + ".attn_output"; }
    public static String ffnNorm(int l) { return "blk." + l + ".ffn_norm"; }
    /** w1 in llama2.c */
    public static String ffnGate(int l) { return "blk." + l + ".ffn_gate"; }
    /** w2 in llama2.c */
    public static String ffnDown(int l) { return "blk." + l + ".ffn_down"; }
    /** w3 in llama2.c */
    public static String ffnUp(int l) { return "blk." + l + ".ffn_up"; }

    /** Every tensor of a model with this config, in llama2.c file order, with its shape. */
    public static List<TensorShape> all(ModelConfig c) {
        List<TensorShape> out = new ArrayList<>();
        out.add(new TensorShape(TOKEN_EMBD, c.vocabSize(), c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(attnNorm(l), 1, c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(attnQ(l), c.dim(), c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(attnK(l), c.kvDim(), c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(attnV(l), c.kvDim(), c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(attnOut(l), c.dim(), c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(ffnNorm(l), 1, c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(ffnGate(l), c.hiddenDim(), c.dim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(ffnDown(l), c.dim(), c.hiddenDim()));
        for (int l = 0; l < c.layers(); l++) out.add(new TensorShape(ffnUp(l), c.hiddenDim(), c.dim()));
        out.add(new TensorShape(OUTPUT_NORM, 1, c.dim()));
        if (!c.tiedClassifier()) out.add(new TensorShape(OUTPUT, c.vocabSize(), c.dim()));
        return out;
    }

    /**
     * The factors of a layer's low-rank error correction, W ~ Q(W) + A B (docs/numerics.md):
     * A is [rows, r], B is [r, cols]. Only the layers' own matrices (blk.*) may have them.
     */
    public static String lowRankA(String layer) { return layer + ".lr_a"; }
    public static String lowRankB(String layer) { return layer + ".lr_b"; }

    /** The 8-bit side path of a layer's first (salient) input columns, [rows, k] (docs/numerics.md). */
    public static String side(String layer) { return layer + ".side"; }

    public static boolean isSide(String name) {
        return name.endsWith(".side");
    }

    public static boolean isLowRank(String name) {
        return name.endsWith(".lr_a") || name.endsWith(".lr_b");
    }

    /** The layer a low-rank factor corrects. */
    public static String lowRankBase(String name) {
        return name.substring(0, name.length() - ".lr_a".length());
    }

    /** Norm weights are vectors; everything else is a matrix that gets quantized. */
    public static boolean isNorm(String name) {
        return name.endsWith("_norm");
    }
}
