package dev.bitweave.quantize;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;

import java.util.Arrays;

/**
 * Round-to-nearest quantization of one matrix into any {@link WeightSpec}. Per group it picks the
 * ideal scale, encodes it (so the codes are computed against the scale the hardware will really
 * use), then rounds each weight to the nearest point of the format's grid.
 */
public final class RoundToNearest {
    /** Largest exponent spread inside one tensor; smaller groups are flushed toward zero. */
    static final int MAX_EXP_SPREAD = 24;

    private final WeightSpec spec;
    private final long[] gridValues;  // sorted distinct integer values a code can take (INT sym / floats)
    private final int[] gridCodes;    // the code of each grid value

    public RoundToNearest(WeightSpec spec) {
        this.spec = spec;
        long[] values = spec.codeValues();
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        // Distinct finite values; for duplicates (+0/-0) keep the lower code.
        Arrays.sort(order, (a, b) -> values[a] != values[b] ? Long.compare(values[a], values[b]) : Integer.compare(a, b));
        long[] gv = new long[values.length];
        int[] gc = new int[values.length];
        int n = 0;
        for (int c : order) {
            if (spec.format().isSpecial(c)) continue;
            if (n > 0 && gv[n - 1] == values[c]) continue;
            gv[n] = values[c];
            gc[n] = c;
            n++;
        }
        this.gridValues = Arrays.copyOf(gv, n);
        this.gridCodes = Arrays.copyOf(gc, n);
    }

    public QuantTensor quantize(String name, float[] w, int rows, int cols) {
        return quantize(name, w, rows, cols, 1.0);
    }

    /**
     * As {@link #quantize(String, float[], int, int)} with every group's range shrunk to clip times
     * its extremes (0 < clip <= 1): the weights beyond it saturate, the rest get a finer grid.
     */
    public QuantTensor quantize(String name, float[] w, int rows, int cols, double clip) {
        if (!(clip > 0 && clip <= 1)) throw new IllegalArgumentException("clip " + clip + " outside (0, 1]");
        int g = spec.groupSize();
        int gpr = (cols + g - 1) / g;
        int groups = rows * gpr;
        boolean asym = spec.format() == ElementFormat.INT && !spec.symmetric();
        double[] target = new double[groups];
        double[] lo = new double[groups];
        for (int r = 0; r < rows; r++) {
            for (int gi = 0; gi < gpr; gi++) {
                int c0 = r * cols + gi * g;
                int c1 = r * cols + Math.min(cols, (gi + 1) * g);
                double mn = 0;
                double mx = 0;
                for (int k = c0; k < c1; k++) {
                    mn = Math.min(mn, w[k]);
                    mx = Math.max(mx, w[k]);
                }
                int gr = r * gpr + gi;
                lo[gr] = mn * clip;
                if (asym) target[gr] = clip * (mx - mn) / ((1 << spec.bits()) - 1);
                else target[gr] = clip * Math.max(-mn, mx) / gridValues[gridValues.length - 1];
            }
        }
        int[] mult = new int[groups];
        int[] exp = new int[groups];
        encodeScales(target, mult, exp);
        byte[] codes = new byte[rows * cols];
        int[] zero = asym ? new int[groups] : null;
        int qmaxAsym = (1 << spec.bits()) - 1;
        for (int r = 0; r < rows; r++) {
            for (int gi = 0; gi < gpr; gi++) {
                int gr = r * gpr + gi;
                double scale = Math.scalb((double) mult[gr], exp[gr]);
                int c0 = r * cols + gi * g;
                int c1 = r * cols + Math.min(cols, (gi + 1) * g);
                if (scale == 0) {
                    for (int k = c0; k < c1; k++) codes[k] = (byte) (asym ? 0 : gridCodes[nearest(0)]);
                    continue;
                }
                if (asym) {
                    int z = (int) Math.max(0, Math.min(qmaxAsym, Math.round(-lo[gr] / scale)));
                    zero[gr] = z;
                    for (int k = c0; k < c1; k++) {
                        codes[k] = (byte) Math.max(0, Math.min(qmaxAsym, Math.round(w[k] / scale) + z));
                    }
                } else if (spec.format() == ElementFormat.INT) {
                    // the symmetric int grid is every integer in [lo, hi]: round and clamp
                    long gridLo = gridValues[0];
                    long gridHi = gridValues[gridValues.length - 1];
                    int mask = (1 << spec.bits()) - 1;
                    for (int k = c0; k < c1; k++) codes[k] = (byte) (Math.max(gridLo, Math.min(gridHi, Math.round(w[k] / scale))) & mask);
                } else {
                    for (int k = c0; k < c1; k++) codes[k] = (byte) gridCodes[nearest(w[k] / scale)];
                }
            }
        }
        return new QuantTensor(name, rows, cols, spec, codes, mult, exp, zero);
    }

    /** Index of the grid value nearest to x; ties go to the even code (the smaller magnitude for INT). */
    private int nearest(double x) {
        int i = Arrays.binarySearch(gridValues, (long) Math.floor(x));
        int hi = i >= 0 ? i : -i - 1; // first value >= floor(x)
        int best = -1;
        double bestErr = Double.MAX_VALUE;
        for (int j = Math.max(0, hi - 1); j <= Math.min(gridValues.length - 1, hi + 1); j++) {
            double e = Math.abs(gridValues[j] - x);
            if (e < bestErr || (e == bestErr && (gridCodes[j] & 1) == 0)) {
                best = j;
                bestErr = e;
            }
        }
        return best;
    }

    private void encodeScales(double[] target, int[] mult, int[] exp) {
        ScaleEncoding enc = spec.scaleEncoding();
        int mbits = spec.scaleBits();
        int mmax = (1 << mbits) - 1;
        double smax = 0;
        for (double t : target) smax = Math.max(smax, t);
        if (smax == 0) {
            Arrays.fill(exp, 0);
            Arrays.fill(mult, enc == ScaleEncoding.POW2 ? 1 : 0);
            return;
        }
        int topExp = Math.getExponent(smax);
        switch (enc) {
            case MUL_SHIFT -> {
                int e = topExp - mbits + 1; // smax / 2^e in [2^(mbits-1), 2^mbits)
                for (int i = 0; i < target.length; i++) {
                    exp[i] = e;
                    mult[i] = (int) Math.min(mmax, Math.round(Math.scalb(target[i], -e)));
                }
            }
            case POW2 -> {
                int floor = topExp - MAX_EXP_SPREAD;
                for (int i = 0; i < target.length; i++) {
                    mult[i] = 1;
                    // ceil keeps every weight inside the grid; rounding down gains resolution but clips.
                    exp[i] = target[i] == 0 ? topExp : Math.max(floor, (int) Math.ceil(Math.log(target[i]) / Math.log(2) - 1e-12));
                }
            }
            case MUL_EXP -> {
                int floor = topExp - MAX_EXP_SPREAD;
                for (int i = 0; i < target.length; i++) {
                    int e = Math.max(floor, (target[i] == 0 ? topExp : Math.getExponent(target[i])) - mbits + 1);
                    exp[i] = e;
                    mult[i] = (int) Math.min(mmax, Math.round(Math.scalb(target[i], -e)));
                }
            }
        }
    }
}
