package dev.bitweave.quantize;

import dev.bitweave.importer.Checkpoint;
import dev.bitweave.importer.PreQuantized;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Salient channels kept at 8 bits in a side path (docs/quantization.md, "Salient channels"). The
 * input channels that carry the largest calibration activations are moved to the front by a
 * permutation that leaves the model unchanged: one permutation of the residual stream (embedding
 * columns, norm gains, the columns of q, k, v, gate and up, the rows of attn_output and down) and
 * one of each layer's hidden units (the rows of gate and up, the columns of down). Then a layer's
 * salient inputs are its first k columns, and the side path is an ordinary LINEAR over the first k
 * codes of the layer's own input (`X.side`, [rows, k], int8), added to the layer's result.
 *
 * @param residual the new order of the residual channels: residual[j] is the old index of channel j
 * @param hidden   per layer, the new order of its hidden units
 * @param k        salient residual channels (the side paths of q, k, v, gate, up)
 * @param kHidden  salient hidden units (the side path of down)
 */
public record SalientChannels(int[] residual, int[][] hidden, int k, int kHidden) {

    /** The layers with a side path, and how many of their first columns it covers. */
    public int sideColumns(String tensor, ModelConfig c) {
        if (!tensor.startsWith("blk.") || tensor.endsWith(".attn_output")) return 0;
        return tensor.endsWith(".ffn_down") ? kHidden : k;
    }

    /** The top fraction of channels by mean |x| (at least one), residual ones summed over every layer's norm outputs. */
    public static SalientChannels choose(ModelConfig c, Calibration cal, double fraction) {
        double[] r = new double[c.dim()];
        for (int l = 0; l < c.layers(); l++) {
            add(r, cal.meanAbs(TensorName.attnQ(l)));
            add(r, cal.meanAbs(TensorName.ffnGate(l)));
        }
        int k = Math.max(1, (int) Math.round(fraction * c.dim()));
        int kh = Math.max(1, (int) Math.round(fraction * c.hiddenDim()));
        int[][] hidden = new int[c.layers()][];
        for (int l = 0; l < c.layers(); l++) hidden[l] = largestFirst(cal.meanAbs(TensorName.ffnDown(l)));
        return new SalientChannels(largestFirst(r), hidden, k, kh);
    }

    private static void add(double[] into, double[] x) {
        for (int j = 0; j < into.length; j++) into[j] += x[j];
    }

    /** Indices by descending value, ties by index: deterministic. */
    static int[] largestFirst(double[] v) {
        return IntStream.range(0, v.length).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -v[j]).thenComparingInt(j -> j))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The checkpoint with both permutations applied: the same model, salient channels first. */
    public Checkpoint permute(Checkpoint base) {
        return new Permuted(base, this);
    }

    private record Permuted(Checkpoint base, SalientChannels s) implements Checkpoint {
        public String source() {
            return base.source();
        }

        public ModelConfig config() {
            return base.config();
        }

        public List<TensorShape> tensors() {
            return base.tensors();
        }

        public Optional<Vocabulary> vocabulary() {
            return base.vocabulary();
        }

        public Optional<PreQuantized> preQuantized(String name) {
            return Optional.empty();   // permuted tensors are not the stored ones
        }

        public Optional<Path> file() {
            return base.file();
        }

        public void close() throws IOException {
            base.close();
        }

        public float[] readFloat(String name) throws IOException {
            float[] w = base.readFloat(name);
            TensorShape t = tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            int[] res = s.residual();
            if (TensorName.isNorm(name)) return columns(w, 1, t.cols(), res);
            if (name.equals(TensorName.TOKEN_EMBD) || name.equals(TensorName.OUTPUT)) return columns(w, t.rows(), t.cols(), res);
            int l = Integer.parseInt(name.split("\\.")[1]);
            int[] hid = s.hidden()[l];
            if (name.equals(TensorName.attnOut(l))) return rows(w, t.rows(), t.cols(), res);
            if (name.equals(TensorName.ffnGate(l)) || name.equals(TensorName.ffnUp(l))) {
                return rows(columns(w, t.rows(), t.cols(), res), t.rows(), t.cols(), hid);
            }
            if (name.equals(TensorName.ffnDown(l))) return rows(columns(w, t.rows(), t.cols(), hid), t.rows(), t.cols(), res);
            return columns(w, t.rows(), t.cols(), res);   // q, k, v
        }

        private static float[] columns(float[] w, int rows, int cols, int[] order) {
            float[] out = new float[w.length];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out[r * cols + c] = w[r * cols + order[c]];
            return out;
        }

        private static float[] rows(float[] w, int rows, int cols, int[] order) {
            float[] out = new float[w.length];
            for (int r = 0; r < rows; r++) System.arraycopy(w, order[r] * cols, out, r * cols, cols);
            return out;
        }
    }

    /** The first k columns of w, and w with them zeroed (the side path carries them). */
    static float[][] split(float[] w, int rows, int cols, int k) {
        float[] side = new float[rows * k];
        float[] main = Arrays.copyOf(w, w.length);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                side[r * k + c] = w[r * cols + c];
                main[r * cols + c] = 0;
            }
        }
        return new float[][]{main, side};
    }
}
