package dev.bitweave.pack;

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

import java.util.function.BiFunction;

/**
 * The decode step of docs/numerics.md ("The decode step"), written out as IntegerTransformer runs
 * it but with every linear layer going through a pluggable function. That gives the pack suites
 * the real input of every linear tensor, at every layer, and lets them run a whole model on the
 * packed images.
 */
final class TappedDecoder {
    private final QuantizedModel m;
    private final ModelConfig c;
    private final BiFunction<String, QuantizedVector, int[]> linear;
    private final RopeTable rope;
    private final IntAttention attention;
    private final KvCache[] caches;
    private int nextPos;

    /** @param linear (tensor name, input) -> fx output of every row */
    TappedDecoder(QuantizedModel m, BiFunction<String, QuantizedVector, int[]> linear) {
        this.m = m;
        this.c = m.plan().model();
        this.linear = linear;
        this.rope = new RopeTable(c.headSize(), c.seqLen(), c.ropeTheta());
        this.attention = new IntAttention(c.headSize());
        this.caches = new KvCache[c.layers()];
        for (int l = 0; l < c.layers(); l++) caches[l] = new KvCache(c.seqLen(), c.kvHeads(), c.headSize(), m.plan().kvBits());
    }

    private QuantizedVector norm(String normName, String linearName, int[] x) {
        return new IntRmsNorm(m.vectors().get(normName), c.normEps()).apply(x, m.activationBits(linearName));
    }

    /** Logits in fx of one step. */
    int[] forward(int token) {
        int pos = nextPos++;
        int[] x = new IntLinear(m.matrices().get(TensorName.TOKEN_EMBD), m.activationBits(TensorName.TOKEN_EMBD)).dequantizeRow(token);
        int kvMul = c.heads() / c.kvHeads();
        for (int l = 0; l < c.layers(); l++) {
            QuantizedVector xn = norm(TensorName.attnNorm(l), TensorName.attnQ(l), x);
            int[] q = linear.apply(TensorName.attnQ(l), xn);
            int[] k = linear.apply(TensorName.attnK(l), xn);
            int[] v = linear.apply(TensorName.attnV(l), xn);
            rope.rotate(q, pos);
            rope.rotate(k, pos);
            caches[l].store(pos, k, v);
            int[] att = new int[c.dim()];
            for (int h = 0; h < c.heads(); h++) attention.attend(q, h, h / kvMul, pos, caches[l], att);
            String o = TensorName.attnOut(l);
            add(x, linear.apply(o, ActivationQuantizer.quantizeFx(att, m.activationBits(o))));
            QuantizedVector fn = norm(TensorName.ffnNorm(l), TensorName.ffnGate(l), x);
            int[] hidden = IntSilu.swiglu(linear.apply(TensorName.ffnGate(l), fn), linear.apply(TensorName.ffnUp(l), fn));
            String d = TensorName.ffnDown(l);
            add(x, linear.apply(d, ActivationQuantizer.quantizeFx(hidden, m.activationBits(d))));
        }
        String cls = c.tiedClassifier() ? TensorName.TOKEN_EMBD : TensorName.OUTPUT;
        return linear.apply(cls, norm(TensorName.OUTPUT_NORM, cls, x));
    }

    private static void add(int[] x, int[] y) {
        for (int i = 0; i < x.length; i++) x[i] = Fixed.sat32((long) x[i] + y[i]);
    }
}
