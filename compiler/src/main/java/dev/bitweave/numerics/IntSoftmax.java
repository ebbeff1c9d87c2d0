package dev.bitweave.numerics;

/** Softmax of fx scores into Q0.16 probabilities (docs/numerics.md, "Softmax"). */
public final class IntSoftmax {
    private IntSoftmax() {
    }

    public static int[] apply(int[] scores, int n) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) max = Math.max(max, scores[i]);
        int[] e = new int[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            e[i] = IntExp.expFx(scores[i] - max);
            sum += e[i];
        }
        long recip = (1L << 47) / sum; // sum >= 2^16 because the maximum contributes exp(0)
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = (int) Fixed.shiftRound(e[i] * recip, 31);
        return p;
    }
}
