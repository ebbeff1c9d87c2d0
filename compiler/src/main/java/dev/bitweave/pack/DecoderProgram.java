package dev.bitweave.pack;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.numerics.IntRmsNorm;
import dev.bitweave.numerics.Scale;
import dev.bitweave.plan.QuantizedModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * program.img of a decoder build: one decode step (docs/numerics.md, "The decode step") as program
 * entries. The same program serves every token; the token and position come from registers.
 */
public final class DecoderProgram {
    private DecoderProgram() {
    }

    /** Where the decode step keeps its vectors in the VRF (word addresses, each on a 512-bit row). */
    /** lowRank: three slots of lowRankSlot words for B x of the layers that share an input (q, k, v). */
    public record VrfLayout(int x, int q, int k, int v, int att, int gate, int up, int h, int logits, int lowRank,
                            int lowRankSlot, int words) {
        static final int ALIGN = 16;

        public static VrfLayout of(ModelConfig c, int maxRank) {
            int slot = lowRankSlotWords(maxRank);
            int[] sizes = {c.dim(), c.dim(), c.kvDim(), c.kvDim(), c.dim(), c.hiddenDim(), c.hiddenDim(),
                    c.hiddenDim(), c.vocabSize(), 3 * slot};
            int[] at = new int[sizes.length];
            int next = 0;
            for (int i = 0; i < sizes.length; i++) {
                at[i] = next;
                next += (sizes[i] + ALIGN - 1) / ALIGN * ALIGN;
            }
            return new VrfLayout(at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7], at[8], at[9], slot, next);
        }

        public static int lowRankSlotWords(int maxRank) {
            return (maxRank + ALIGN - 1) / ALIGN * ALIGN;
        }
    }

    /** The largest rank of the plan's low-rank corrections (0: none). */
    public static int maxRank(QuantizedModel m) {
        int r = 0;
        for (var e : m.matrices().entrySet()) if (e.getKey().endsWith(".lr_a")) r = Math.max(r, e.getValue().cols());
        return r;
    }

    /** A layer's product and where it lands: dst, added to what is there when accumulate (the residual). */
    private record Product(String layer, int dst, boolean accumulate, boolean argmax) {
    }

    /**
     * Layers that read the same input codes from ACT. Each correction's B x runs first (while ACT
     * still holds the input), then the layers themselves, then their side paths (accumulating),
     * then per correction QUANT of B x into ACT and A accumulating into the layer's destination
     * (docs/decoder.md, "Low-rank correction" and "Side paths").
     */
    private static void products(List<ProgramImage.Entry> p, QuantizedModel m, Map<String, LayerRegion> regions, VrfLayout r,
                                 List<Product> layers) {
        List<Product> corrected = layers.stream().filter(x -> regions.containsKey(TensorName.lowRankA(x.layer()))).toList();
        for (int i = 0; i < corrected.size(); i++) {
            p.add(linear(regions, TensorName.lowRankB(corrected.get(i).layer()), r.lowRank() + i * r.lowRankSlot(), false));
        }
        for (Product x : layers) {
            boolean sidePath = regions.containsKey(TensorName.side(x.layer()));
            p.add(new ProgramImage.LinearTo(ProgramImage.Linear.of(regions.get(x.layer())), x.dst(),
                    x.argmax() && !corrected.contains(x) && !sidePath, x.accumulate()));
        }
        // side paths: LINEARs over the first k codes of the same input, accumulating into the layer's destination
        for (Product x : layers) {
            LayerRegion sp = regions.get(TensorName.side(x.layer()));
            if (sp != null) p.add(new ProgramImage.LinearTo(ProgramImage.Linear.of(sp), x.dst(), x.argmax() && !corrected.contains(x), true));
        }
        for (int i = 0; i < corrected.size(); i++) {
            Product x = corrected.get(i);
            String a = TensorName.lowRankA(x.layer());
            p.add(DecoderOps.quant(m.matrices().get(a).cols(), r.lowRank() + i * r.lowRankSlot(), m.activationBits(a)));
            p.add(new ProgramImage.LinearTo(ProgramImage.Linear.of(regions.get(a)), x.dst(), x.argmax(), true));
        }
    }

    /**
     * @param tablesBase board address of tables.img
     * @param kvBase     board address of the KV area
     * @param logits     board address the logits are stored to
     */
    public static List<ProgramImage.Entry> of(QuantizedModel m, Map<String, LayerRegion> regions, DecoderTables tables,
                                              long tablesBase, KvLayout kv, long kvBase, long logits) {
        ModelConfig c = m.plan().model();
        VrfLayout r = VrfLayout.of(c, maxRank(m));
        long eps = IntRmsNorm.epsQ40(c.normEps());
        int hs = c.headSize();
        int kvBits = m.plan().kvBits();
        Scale keyScale = Scale.invSqrt(hs, 0);
        List<ProgramImage.Entry> p = new ArrayList<>();
        p.add(DecoderOps.embed(c.dim(), tablesBase + tables.embedding(), tables.embeddingStride(), tables.embeddingHeader(),
                tables.log2Group(), r.x()));
        long rope = tablesBase + tables.rope();
        for (int l = 0; l < c.layers(); l++) {
            p.add(DecoderOps.rmsNorm(c.dim(), tablesBase + tables.gains().get(TensorName.attnNorm(l)), r.x(), eps,
                    m.activation(TensorName.attnQ(l))));
            products(p, m, regions, r, List.of(new Product(TensorName.attnQ(l), r.q(), false, false),
                    new Product(TensorName.attnK(l), r.k(), false, false), new Product(TensorName.attnV(l), r.v(), false, false)));
            p.add(DecoderOps.rope(c.dim(), rope, r.q(), tables.ropeStride(), hs));
            p.add(DecoderOps.rope(c.kvDim(), rope, r.k(), tables.ropeStride(), hs));
            p.add(DecoderOps.kvStore(c.kvHeads(), kvBase + kv.keyCodes(l), r.k(), hs, c.seqLen(), kvBits,
                    kvBase + kv.keyScales(l), keyScale));
            p.add(DecoderOps.kvStore(c.kvHeads(), kvBase + kv.valueCodes(l), r.v(), hs, c.seqLen(), kvBits,
                    kvBase + kv.valueScales(l), Scale.ZERO));
            p.add(DecoderOps.attn(c.heads(), kvBase + kv.keyCodes(l), r.q(), hs, c.seqLen(), c.heads() / c.kvHeads(),
                    kvBase + kv.keyScales(l), kvBase + kv.valueCodes(l), kvBase + kv.valueScales(l), r.att()));
            p.add(DecoderOps.quant(c.dim(), r.att(), m.activation(TensorName.attnOut(l))));
            products(p, m, regions, r, List.of(new Product(TensorName.attnOut(l), r.x(), true, false)));
            p.add(DecoderOps.rmsNorm(c.dim(), tablesBase + tables.gains().get(TensorName.ffnNorm(l)), r.x(), eps,
                    m.activation(TensorName.ffnGate(l))));
            products(p, m, regions, r, List.of(new Product(TensorName.ffnGate(l), r.gate(), false, false),
                    new Product(TensorName.ffnUp(l), r.up(), false, false)));
            p.add(DecoderOps.swiglu(c.hiddenDim(), r.gate(), r.up(), r.h()));
            p.add(DecoderOps.quant(c.hiddenDim(), r.h(), m.activation(TensorName.ffnDown(l))));
            products(p, m, regions, r, List.of(new Product(TensorName.ffnDown(l), r.x(), true, false)));
        }
        String classifier = c.tiedClassifier() ? TensorName.TOKEN_EMBD : TensorName.OUTPUT;
        p.add(DecoderOps.rmsNorm(c.dim(), tablesBase + tables.gains().get(TensorName.OUTPUT_NORM), r.x(), eps,
                m.activation(classifier)));
        p.add(linear(regions, classifier, r.logits(), true));
        p.add(new ProgramImage.StoreVec(c.vocabSize(), logits, r.logits()));
        p.add(new ProgramImage.End());
        return p;
    }

    private static ProgramImage.Entry linear(Map<String, LayerRegion> regions, String name, int dst, boolean argmax) {
        return new ProgramImage.LinearTo(ProgramImage.Linear.of(regions.get(name)), dst, argmax);
    }
}
