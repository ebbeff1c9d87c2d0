package dev.bitweave.numerics;

/**
 * A quantized matrix in the form the reference computes with: one code per element and, per group,
 * the scale M_g * 2^E_g and (asymmetric INT) the zero point. Element (r, c) belongs to group
 * r * groupsPerRow + c / groupSize; groups never cross rows, so a row whose length is not a
 * multiple of the group size ends in one shorter group.
 *
 * @param codes unsigned code bits of each element, row-major
 * @param mult  M_g per group (all 1 for pow2)
 * @param exp   E_g per group
 * @param zero  zero point per group (asymmetric INT), else null
 */
public record QuantTensor(String name, int rows, int cols, WeightSpec spec, byte[] codes,
                          int[] mult, int[] exp, int[] zero) {

    public int groupsPerRow() {
        return (cols + spec.groupSize() - 1) / spec.groupSize();
    }

    public int groupCount() {
        return rows * groupsPerRow();
    }

    public int minExp() {
        int m = Integer.MAX_VALUE;
        for (int e : exp) m = Math.min(m, e);
        return m;
    }

    public int maxExp() {
        int m = Integer.MIN_VALUE;
        for (int e : exp) m = Math.max(m, e);
        return m;
    }

    public long maxMult() {
        long m = 0;
        for (int v : mult) m = Math.max(m, v & 0xFFFFFFFFL);
        return m;
    }

    /**
     * Bits of the signed accumulator of one output row that no input can overflow, for activations
     * of {@code activationBits}: sum over groups of groupSize * maxAct * maxWeight * M_g * 2^(E_g - E_min),
     * bounded with the tensor's largest M and exponent spread.
     */
    public int accumulatorBits(int activationBits) {
        long maxAct = (1L << (activationBits - 1)) - 1;
        double bound = (double) cols * maxAct * spec.maxMagnitude() * maxMult()
                * Math.pow(2, maxExp() - minExp());
        return 1 + (int) Math.ceil(Math.log(bound + 1) / Math.log(2));
    }

    /** The real value (w(code) - z) * M * 2^E of every element, row-major, in double (offline use: fitting, error search). */
    public double[] dequantize() {
        long[] values = spec.codeValues();
        int g = spec.groupSize();
        int gpr = groupsPerRow();
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int group = r * gpr + c / g;
                long z = zero == null ? 0 : zero[group];
                double v = (values[codes[r * cols + c] & 0xFF] - z) * (double) (mult[group] & 0xFFFFFFFFL);
                out[r * cols + c] = Math.scalb(v, exp[group]);
            }
        }
        return out;
    }
}
