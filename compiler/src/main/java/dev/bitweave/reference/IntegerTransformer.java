package dev.bitweave.reference;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.numerics.ActivationQuantizer;
import dev.bitweave.numerics.Fixed;
import dev.bitweave.numerics.IntAttention;
import dev.bitweave.numerics.IntLinear;
import dev.bitweave.numerics.IntRmsNorm;
import dev.bitweave.numerics.IntSilu;
import dev.bitweave.numerics.KvCache;
import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.numerics.RopeTable;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.runtime.generate.Decoder;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The bit-exact integer decoder (docs/numerics.md): every hardware backend must produce exactly
 * the logits this class produces. Integer-only after the plan is loaded; floats appear only in
 * the logits handed to the host sampler (fx / 2^16).
 */
public final class IntegerTransformer implements Decoder {
    private final ModelConfig c;
    private final QuantizedModel m;
    private final IntLinear embedding;
    private final IntLinear classifier;
    private final Layer[] layers;
    private final IntRmsNorm finalNorm;
    private final RopeTable rope;
    private final IntAttention attention;
    private final KvCache[] caches;
    private final float[] logits;
    private int[] lastLogitsFx;
    private int nextPos;
    private LinearTap tap = (name, pos, in, out) -> { };

    /** Sees every linear layer's input codes and fx output: the test vectors of co-simulation. */
    @FunctionalInterface
    public interface LinearTap {
        void linear(String tensor, int pos, QuantizedVector input, int[] output);
    }

    public void setTap(LinearTap tap) {
        this.tap = tap;
    }

    private ActivationTap activationTap = (tensor, x, bits) -> { };

    /**
     * Sees every vector a linear layer's input is quantized from (tensor = the first layer that
     * reads it: attn_q, attn_output, ffn_gate, ffn_down, the classifier) and the width chosen for it.
     */
    @FunctionalInterface
    public interface ActivationTap {
        void vector(String tensor, int[] x, int bits);
    }

    public void setActivationTap(ActivationTap tap) {
        this.activationTap = tap;
    }

    private int[] run(IntLinear l, QuantizedVector x, int pos) {
        int[] y = l.apply(x);
        tap.linear(l.weights().name(), pos, x, y);
        return y;
    }

    /** A layer's low-rank correction: its factors, B then A (docs/numerics.md). */
    private record LowRank(IntLinear a, IntLinear b) {
    }

    private final Map<String, LowRank> lowRank = new HashMap<>();
    private final Map<String, IntLinear> side = new HashMap<>();

    /**
     * What is added (saturating) to the layer's destination after its own product (y for most
     * layers, x + y for the residual ones): first its side path over the first k input codes, then
     * its low-rank correction u = A q8(B x) (docs/numerics.md).
     */
    private void correct(IntLinear layer, QuantizedVector x, int pos, int[] dst) {
        IntLinear sp = side.get(layer.weights().name());
        if (sp != null) {
            int k = sp.weights().cols();
            addInto(dst, run(sp, new QuantizedVector(Arrays.copyOf(x.codes(), k), x.step()), pos));
        }
        LowRank lr = lowRank.get(layer.weights().name());
        if (lr == null) return;
        int[] t = run(lr.b(), x, pos);
        addInto(dst, run(lr.a(), ActivationQuantizer.quantizeFx(t, 8), pos));
    }

    private record Layer(IntRmsNorm attnNorm, IntLinear q, IntLinear k, IntLinear v, IntLinear o,
                         IntRmsNorm ffnNorm, IntLinear gate, IntLinear down, IntLinear up) {
    }

    public IntegerTransformer(QuantizedModel m) {
        this.m = m;
        this.c = m.plan().model();
        this.embedding = linear(TensorName.TOKEN_EMBD);
        this.classifier = c.tiedClassifier() ? embedding : linear(TensorName.OUTPUT);
        this.layers = new Layer[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            layers[l] = new Layer(norm(TensorName.attnNorm(l)), linear(TensorName.attnQ(l)), linear(TensorName.attnK(l)),
                    linear(TensorName.attnV(l)), linear(TensorName.attnOut(l)), norm(TensorName.ffnNorm(l)),
                    linear(TensorName.ffnGate(l)), linear(TensorName.ffnDown(l)), linear(TensorName.ffnUp(l)));
        }
        this.finalNorm = norm(TensorName.OUTPUT_NORM);
        this.rope = new RopeTable(c.headSize(), c.seqLen(), c.ropeTheta());
        this.attention = new IntAttention(c.headSize());
        this.caches = new KvCache[c.layers()];
        for (int l = 0; l < c.layers(); l++) caches[l] = new KvCache(c.seqLen(), c.kvHeads(), c.headSize(), m.plan().kvBits());
        this.logits = new float[c.vocabSize()];
        for (String name : m.matrices().keySet()) {
            if (TensorName.isSide(name)) side.put(name.substring(0, name.length() - ".side".length()), linear(name));
            if (name.endsWith(".lr_a")) {
                String base = TensorName.lowRankBase(name);
                lowRank.put(base, new LowRank(linear(name), linear(TensorName.lowRankB(base))));
            }
        }
    }

    private IntLinear linear(String name) {
        return new IntLinear(m.matrices().get(name), m.activationBits(name));
    }

    private IntRmsNorm norm(String name) {
        return new IntRmsNorm(m.vectors().get(name), c.normEps());
    }

    /** The width l's input x is quantized to: fixed, or chosen for this vector (token-adaptive). */
    private int act(IntLinear l, int[] x) {
        int bits = m.activation(l.weights().name()).bitsFor(x);
        activationTap.vector(l.weights().name(), x, bits);
        return bits;
    }

    @Override
    public int vocabSize() {
        return c.vocabSize();
    }

    @Override
    public int seqLen() {
        return c.seqLen();
    }

    /** Layer l's KV cache, positions 0 .. (positions fed so far - 1) filled. */
    public KvCache kvCache(int layer) {
        return caches[layer];
    }

    /** The next position forward expects. */
    public int nextPos() {
        return nextPos;
    }

    /** The logits of the last step in fx (Q15.16): what hardware must match bit for bit. */
    public int[] logitsFx() {
        return lastLogitsFx;
    }

    @Override
    public float[] forward(int token, int pos) {
        // position 0 starts a new sequence (as in FloatTransformer): attention reads only positions 0..pos
        if (pos != nextPos && pos != 0) throw new IllegalStateException("positions must be fed in order: expected " + nextPos + ", got " + pos);
        if (token < 0 || token >= c.vocabSize()) throw new IllegalArgumentException("token " + token + " outside vocabulary");
        nextPos = pos + 1;
        int[] x = embedding.dequantizeRow(token);
        int kvMul = c.heads() / c.kvHeads();
        for (int l = 0; l < c.layers(); l++) {
            Layer L = layers[l];
            QuantizedVector xn = L.attnNorm().apply(x, act(L.q(), x));
            int[] q = run(L.q(), xn, pos);
            int[] k = run(L.k(), xn, pos);
            int[] v = run(L.v(), xn, pos);
            correct(L.q(), xn, pos, q);
            correct(L.k(), xn, pos, k);
            correct(L.v(), xn, pos, v);
            rope.rotate(q, pos);
            rope.rotate(k, pos);
            caches[l].store(pos, k, v);
            int[] att = new int[c.dim()];
            for (int h = 0; h < c.heads(); h++) attention.attend(q, h, h / kvMul, pos, caches[l], att);
            QuantizedVector ao = ActivationQuantizer.quantizeFx(att, act(L.o(), att));
            addInto(x, run(L.o(), ao, pos));
            correct(L.o(), ao, pos, x);
            QuantizedVector fn = L.ffnNorm().apply(x, act(L.gate(), x));
            int[] gate = run(L.gate(), fn, pos);
            int[] up = run(L.up(), fn, pos);
            correct(L.gate(), fn, pos, gate);
            correct(L.up(), fn, pos, up);
            int[] h = IntSilu.swiglu(gate, up);
            QuantizedVector hq = ActivationQuantizer.quantizeFx(h, act(L.down(), h));
            addInto(x, run(L.down(), hq, pos));
            correct(L.down(), hq, pos, x);
        }
        QuantizedVector xf = finalNorm.apply(x, act(classifier, x));
        lastLogitsFx = run(classifier, xf, pos);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (lastLogitsFx[i] / (double) Fixed.FX_ONE);
        return logits;
    }

    private static void addInto(int[] x, int[] y) {
        for (int i = 0; i < x.length; i++) x[i] = Fixed.sat32((long) x[i] + y[i]);
    }
}
