package dev.bitweave.reference;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.generate.Decoder;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The float32 forward pass of llama2.c's run.c, operation for operation, so that greedy
 * decoding picks the same tokens as the C reference and the logits agree to the last few bits.
 *
 * <p>Java float arithmetic is IEEE single precision without contraction, which is what gcc
 * emits for run.c on x86-64 without -ffast-math, so sums are kept in run.c's order. Only expf,
 * powf, cosf and sinf are left to a {@link FloatMath}: java.lang.Math by default, which differs
 * from glibc in a last bit now and then; with glibc's own functions the logits are bit-identical
 * to run.c's (a test checks this on Linux).
 *
 * <p>This is the float reference that every quantized path is compared with; it is neither
 * fast nor thread-safe. One instance holds one KV cache, i.e. one sequence.
 */
public final class FloatTransformer implements Decoder {
    private final ModelConfig config;
    private final int dim;
    private final int hiddenDim;
    private final int kvDim;
    private final int headSize;
    private final int kvMul;
    private final float normEps;
    private final FloatMath math;

    private final float[] tokenEmbedding;
    private final Layer[] layers;
    private final float[] finalNorm;
    private final float[] classifier;
    /** 1 / theta^(2j / head_size) for j < head_size / 2, as run.c computes it in float. */
    private final float[] ropeFreq;

    private final float[] x;
    private final float[] xb;
    private final float[] xb2;
    private final float[] hb;
    private final float[] hb2;
    private final float[] q;
    private final float[] att;
    private final float[] logits;
    private final float[] ropeCos;
    private final float[] ropeSin;
    /** (layer, position, kv_dim) */
    private final float[] keyCache;
    private final float[] valueCache;
    /** Positions 0..validPositions-1 hold keys and values of the current sequence. */
    private int validPositions;
    private LinearInputs tap = LinearInputs.NONE;

    /**
     * Sees the input vector of every linear layer as forward computes it (calibration). One call
     * per vector: q, k and v share theirs (reported for attn_q), as do gate and up (for ffn_gate);
     * the classifier's is reported for token_embd when it is tied to the embedding.
     */
    public interface LinearInputs {
        LinearInputs NONE = (tensor, x, n) -> { };

        /** x[0..n) is the input of tensor; only valid during the call. */
        void input(String tensor, float[] x, int n);
    }

    /** Reports linear inputs to tap from now on (NONE to stop). */
    public void tap(LinearInputs tap) {
        this.tap = tap;
    }

    private record Layer(float[] attnNorm, float[] wq, float[] wk, float[] wv, float[] wo,
                         float[] ffnNorm, float[] w1, float[] w2, float[] w3) {
    }

    private FloatTransformer(ModelConfig config, Map<String, float[]> weights, FloatMath math) {
        this.config = config;
        this.math = math;
        dim = config.dim();
        hiddenDim = config.hiddenDim();
        kvDim = config.kvDim();
        headSize = config.headSize();
        kvMul = config.heads() / config.kvHeads();
        normEps = (float) config.normEps();

        tokenEmbedding = weights.get(TensorName.TOKEN_EMBD);
        layers = new Layer[config.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Layer(weights.get(TensorName.attnNorm(l)), weights.get(TensorName.attnQ(l)),
                    weights.get(TensorName.attnK(l)), weights.get(TensorName.attnV(l)),
                    weights.get(TensorName.attnOut(l)), weights.get(TensorName.ffnNorm(l)),
                    weights.get(TensorName.ffnGate(l)), weights.get(TensorName.ffnDown(l)),
                    weights.get(TensorName.ffnUp(l)));
        }
        finalNorm = weights.get(TensorName.OUTPUT_NORM);
        classifier = config.tiedClassifier() ? tokenEmbedding : weights.get(TensorName.OUTPUT);

        float theta = (float) config.ropeTheta();
        ropeFreq = new float[headSize / 2];
        for (int headDim = 0; headDim < headSize; headDim += 2) {
            ropeFreq[headDim / 2] = 1.0f / math.pow(theta, headDim / (float) headSize);
        }

        x = new float[dim];
        xb = new float[dim];
        xb2 = new float[dim];
        hb = new float[hiddenDim];
        hb2 = new float[hiddenDim];
        q = new float[dim];
        att = new float[config.seqLen()];
        logits = new float[config.vocabSize()];
        ropeCos = new float[headSize / 2];
        ropeSin = new float[headSize / 2];
        keyCache = new float[Math.multiplyExact(Math.multiplyExact(config.layers(), config.seqLen()), kvDim)];
        valueCache = new float[keyCache.length];
    }

    /** Reads every tensor of the checkpoint as fp32 (the checkpoint stays open and is not closed). */
    public static FloatTransformer load(Checkpoint checkpoint) throws IOException {
        return load(checkpoint, FloatMath.JAVA);
    }

    /** As {@link #load(Checkpoint)}, with exp, pow, cos and sin from {@code math}. */
    public static FloatTransformer load(Checkpoint checkpoint, FloatMath math) throws IOException {
        ModelConfig config = checkpoint.config();
        String problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(checkpoint.source() + ": " + problems);
        }
        Map<String, float[]> weights = new HashMap<>();
        for (TensorShape shape : TensorName.all(config)) {
            float[] w = checkpoint.readFiniteFloat(shape.name());
            if (w.length != shape.elements()) {
                throw new IllegalStateException(checkpoint.source() + ": tensor " + shape.name() + " has " + w.length
                        + " elements, expected " + shape.rows() + "x" + shape.cols());
            }
            weights.put(shape.name(), w);
        }
        return new FloatTransformer(config, weights, math);
    }

    public ModelConfig config() {
        return config;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int seqLen() {
        return config.seqLen();
    }

    /**
     * run.c's forward. Feeding position 0 starts a new sequence; any other position must follow
     * the ones already fed, since attention reads their cached keys and values.
     */
    @Override
    public float[] forward(int token, int pos) {
        if (token < 0 || token >= config.vocabSize()) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + config.vocabSize());
        }
        if (pos < 0 || pos >= config.seqLen() || pos > validPositions) {
            throw new IllegalArgumentException("position " + pos + " cannot be fed: seq_len is " + config.seqLen()
                    + " and positions 0.." + (validPositions - 1) + " are cached");
        }
        validPositions = pos + 1;
        System.arraycopy(tokenEmbedding, token * dim, x, 0, dim);
        ropeAngles(pos);
        for (int l = 0; l < layers.length; l++) {
            Layer w = layers[l];
            attention(w, l, pos);
            feedForward(w, l);
        }
        rmsnorm(x, x, finalNorm, normEps);
        tap.input(config.tiedClassifier() ? TensorName.TOKEN_EMBD : TensorName.OUTPUT, x, dim);
        matmul(logits, x, classifier, dim, config.vocabSize());
        return logits;
    }

    /** The rotation run.c recomputes for every layer and pair; the values do not depend on either. */
    private void ropeAngles(int pos) {
        for (int j = 0; j < ropeFreq.length; j++) {
            float val = pos * ropeFreq[j];
            ropeCos[j] = math.cos(val);
            ropeSin[j] = math.sin(val);
        }
    }

    private void attention(Layer w, int l, int pos) {
        rmsnorm(xb, x, w.attnNorm(), normEps);
        int layerOffset = l * config.seqLen() * kvDim;
        int kvRow = layerOffset + pos * kvDim;
        tap.input(TensorName.attnQ(l), xb, dim);
        matmul(q, 0, xb, w.wq(), dim, dim);
        matmul(keyCache, kvRow, xb, w.wk(), dim, kvDim);
        matmul(valueCache, kvRow, xb, w.wv(), dim, kvDim);

        for (int i = 0; i < dim; i += 2) {
            int pair = (i % headSize) / 2;
            rotate(q, i, ropeCos[pair], ropeSin[pair]);
            if (i < kvDim) {
                rotate(keyCache, kvRow + i, ropeCos[pair], ropeSin[pair]);
            }
        }

        float scale = (float) Math.sqrt(headSize);
        for (int h = 0; h < config.heads(); h++) {
            int qOffset = h * headSize;
            int kvHeadOffset = (h / kvMul) * headSize;
            for (int t = 0; t <= pos; t++) {
                int k = layerOffset + t * kvDim + kvHeadOffset;
                float score = 0.0f;
                for (int i = 0; i < headSize; i++) {
                    score += q[qOffset + i] * keyCache[k + i];
                }
                att[t] = score / scale;
            }
            softmax(att, pos + 1, math);
            for (int i = 0; i < headSize; i++) {
                xb[qOffset + i] = 0.0f;
            }
            for (int t = 0; t <= pos; t++) {
                int v = layerOffset + t * kvDim + kvHeadOffset;
                float a = att[t];
                for (int i = 0; i < headSize; i++) {
                    xb[qOffset + i] += a * valueCache[v + i];
                }
            }
        }
        tap.input(TensorName.attnOut(l), xb, dim);
        matmul(xb2, xb, w.wo(), dim, dim);
        for (int i = 0; i < dim; i++) {
            x[i] += xb2[i];
        }
    }

    private void feedForward(Layer w, int l) {
        rmsnorm(xb, x, w.ffnNorm(), normEps);
        tap.input(TensorName.ffnGate(l), xb, dim);
        matmul(hb, xb, w.w1(), dim, hiddenDim);
        matmul(hb2, xb, w.w3(), dim, hiddenDim);
        for (int i = 0; i < hiddenDim; i++) {
            float val = hb[i];
            val *= 1.0f / (1.0f + math.exp(-val));
            val *= hb2[i];
            hb[i] = val;
        }
        tap.input(TensorName.ffnDown(l), hb, hiddenDim);
        matmul(xb, hb, w.w2(), hiddenDim, dim);
        for (int i = 0; i < dim; i++) {
            x[i] += xb[i];
        }
    }

    private static void rotate(float[] vec, int i, float fcr, float fci) {
        float v0 = vec[i];
        float v1 = vec[i + 1];
        vec[i] = v0 * fcr - v1 * fci;
        vec[i + 1] = v0 * fci + v1 * fcr;
    }

    /** out may be in: each element is read before it is written. */
    private static void rmsnorm(float[] out, float[] in, float[] weight, float eps) {
        int size = weight.length;
        float ss = 0.0f;
        for (int j = 0; j < size; j++) {
            ss += in[j] * in[j];
        }
        ss /= size;
        ss += eps;
        // sqrt in double rounded to float is exactly sqrtf: double rounding is harmless for sqrt.
        ss = 1.0f / (float) Math.sqrt(ss);
        for (int j = 0; j < size; j++) {
            out[j] = weight[j] * (ss * in[j]);
        }
    }

    private static void softmax(float[] x, int size, FloatMath math) {
        float max = x[0];
        for (int i = 1; i < size; i++) {
            if (x[i] > max) {
                max = x[i];
            }
        }
        float sum = 0.0f;
        for (int i = 0; i < size; i++) {
            x[i] = math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < size; i++) {
            x[i] /= sum;
        }
    }

    /** out = W in, W row-major (d, n); each row summed j = 0..n-1 in float like run.c. */
    private static void matmul(float[] out, float[] in, float[] w, int n, int d) {
        matmul(out, 0, in, w, n, d);
    }

    private static void matmul(float[] out, int outOffset, float[] in, float[] w, int n, int d) {
        for (int i = 0; i < d; i++) {
            float val = 0.0f;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                val += w[row + j] * in[j];
            }
            out[outOffset + i] = val;
        }
    }
}
