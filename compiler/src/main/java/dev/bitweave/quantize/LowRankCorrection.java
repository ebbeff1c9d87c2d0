package dev.bitweave.quantize;

import dev.bitweave.model.TensorName;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;

import java.util.SplittableRandom;

/**
 * Low-rank error correction (docs/quantization.md): W ~ Q(W) + A B with A [rows, r] and B [r, cols]
 * the top-r singular directions of the rounding residual E = W - deq(Q(W)), both stored as int8 per
 * channel. The hardware computes Q(W) x + A q(B x) with ordinary LINEAR and QUANT entries.
 */
public final class LowRankCorrection {
    /** Subspace iterations: the residual's spectrum is flat, so a few dozen are plenty for r << cols. */
    static final int ITERATIONS = 30;

    /** The two factors, quantized. */
    public record Factors(QuantTensor a, QuantTensor b) {
    }

    private LowRankCorrection() {
    }

    /** @param w the layer as quantized (after any scaling), q its rounding */
    public static Factors fit(String name, float[] w, QuantTensor q, int rank) {
        int rows = q.rows();
        int cols = q.cols();
        double[] e = q.dequantize();
        for (int i = 0; i < e.length; i++) e[i] = w[i] - e[i];
        double[][] v = topRightSingularVectors(e, rows, cols, rank);
        // A = E V (rows x r), B = V^T (r x cols): E V V^T is E's best rank-r approximation
        float[] a = new float[rows * rank];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < rank; k++) {
                double s = 0;
                for (int c = 0; c < cols; c++) s += e[r * cols + c] * v[k][c];
                a[r * rank + k] = (float) s;
            }
        }
        float[] b = new float[rank * cols];
        for (int k = 0; k < rank; k++) for (int c = 0; c < cols; c++) b[k * cols + c] = (float) v[k][c];
        return new Factors(int8(TensorName.lowRankA(name), a, rows, rank), int8(TensorName.lowRankB(name), b, rank, cols));
    }

    private static QuantTensor int8(String name, float[] w, int rows, int cols) {
        WeightSpec spec = new WeightSpec(ElementFormat.INT, 8, true, cols, ScaleEncoding.MUL_SHIFT, 16);
        return new RoundToNearest(spec).quantize(name, w, rows, cols);
    }

    /** Orthonormal rows v[0..r) spanning E's top-r right singular subspace, by subspace iteration on E^T E. */
    static double[][] topRightSingularVectors(double[] e, int rows, int cols, int rank) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + cols);
        double[][] v = new double[rank][cols];
        for (double[] row : v) for (int c = 0; c < cols; c++) row[c] = rnd.nextDouble() - 0.5;
        orthonormalize(v);
        double[] tmp = new double[rows];
        for (int it = 0; it < ITERATIONS; it++) {
            for (double[] vk : v) {
                // vk <- E^T (E vk)
                for (int r = 0; r < rows; r++) {
                    double s = 0;
                    for (int c = 0; c < cols; c++) s += e[r * cols + c] * vk[c];
                    tmp[r] = s;
                }
                java.util.Arrays.fill(vk, 0);
                for (int r = 0; r < rows; r++) {
                    double t = tmp[r];
                    for (int c = 0; c < cols; c++) vk[c] += e[r * cols + c] * t;
                }
            }
            orthonormalize(v);
        }
        return v;
    }

    /** Modified Gram-Schmidt; a vector that vanishes is replaced by zeros (rank-deficient E). */
    private static void orthonormalize(double[][] v) {
        for (int k = 0; k < v.length; k++) {
            for (int j = 0; j < k; j++) {
                double d = 0;
                for (int c = 0; c < v[k].length; c++) d += v[k][c] * v[j][c];
                for (int c = 0; c < v[k].length; c++) v[k][c] -= d * v[j][c];
            }
            double n = 0;
            for (double x : v[k]) n += x * x;
            n = Math.sqrt(n);
            for (int c = 0; c < v[k].length; c++) v[k][c] = n > 1e-300 ? v[k][c] / n : 0;
        }
    }
}
