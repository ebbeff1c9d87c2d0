package dev.bitweave.quantize.mixed;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;

/** The real values an INT plan tensor stands for: (code value - zero point) * M_g * 2^E_g. */
final class DequantizedWeights {
    private DequantizedWeights() {
    }

    static float[] of(QuantTensor t) {
        if (t.spec().format() != ElementFormat.INT) throw new IllegalArgumentException(t.name() + ": not an int tensor");
        long[] value = t.spec().codeValues();
        int g = t.spec().groupSize();
        int gpr = t.groupsPerRow();
        float[] out = new float[t.rows() * t.cols()];
        for (int r = 0; r < t.rows(); r++) {
            for (int c = 0; c < t.cols(); c++) {
                int k = r * t.cols() + c;
                int group = r * gpr + c / g;
                long v = value[t.codes()[k] & 0xFF] - (t.zero() != null ? t.zero()[group] : 0);
                out[k] = (float) (v * Math.scalb((double) t.mult()[group], t.exp()[group]));
            }
        }
        return out;
    }
}
