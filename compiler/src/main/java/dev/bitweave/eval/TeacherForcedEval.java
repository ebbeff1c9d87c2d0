package dev.bitweave.eval;

import dev.bitweave.runtime.generate.Decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * How closely a quantized decoder follows the float model: the float model greedily continues the
 * prompt, then both models are fed that same token sequence (teacher forcing) and their next-token
 * distributions are compared at every position: top-1 agreement and KL(float || quantized).
 */
public final class TeacherForcedEval {
    public record Position(int pos, int token, int floatTop1, int quantTop1, double kl) {
        public boolean agrees() {
            return floatTop1 == quantTop1;
        }
    }

    public record Result(List<Position> positions) {
        public double top1Agreement() {
            return positions.stream().filter(Position::agrees).count() / (double) positions.size();
        }

        public double meanKl() {
            return positions.stream().mapToDouble(Position::kl).average().orElse(0);
        }
    }

    private TeacherForcedEval() {
    }

    /**
     * @param prompt tokens starting with BOS
     * @param steps  positions to evaluate (prompt included), at most seqLen
     */
    public static Result run(Decoder reference, Decoder quantized, int[] prompt, int steps) {
        steps = Math.min(steps, reference.seqLen());
        List<Position> out = new ArrayList<>();
        int token = prompt[0];
        for (int pos = 0; pos < steps; pos++) {
            float[] f = reference.forward(token, pos).clone();
            float[] q = quantized.forward(token, pos);
            int ft = argmax(f);
            out.add(new Position(pos, token, ft, argmax(q), kl(f, q)));
            token = pos + 1 < prompt.length ? prompt[pos + 1] : ft;
        }
        return new Result(out);
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /** KL(softmax(p) || softmax(q)) in nats, computed in double. */
    public static double kl(float[] p, float[] q) {
        double[] lp = logSoftmax(p);
        double[] lq = logSoftmax(q);
        double kl = 0;
        for (int i = 0; i < p.length; i++) kl += Math.exp(lp[i]) * (lp[i] - lq[i]);
        return Math.max(0, kl);
    }

    /** log(softmax(x)) in double. */
    static double[] logSoftmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        double sum = 0;
        for (float v : x) sum += Math.exp(v - max);
        double lse = max + Math.log(sum);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] - lse;
        return out;
    }
}
