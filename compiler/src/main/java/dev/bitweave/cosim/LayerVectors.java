package dev.bitweave.cosim;

import dev.bitweave.numerics.QuantizedVector;
import dev.bitweave.plan.QuantizedModel;
import dev.bitweave.reference.IntegerTransformer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test vectors from real activations: the integer reference runs a few greedy steps from BOS and
 * the tap keeps, for every linear tensor, the input codes and the output of the last step.
 */
public final class LayerVectors {
    public record Vector(int pos, QuantizedVector input, int[] output) {
    }

    private LayerVectors() {
    }

    public static Map<String, Vector> capture(QuantizedModel model, int steps) {
        IntegerTransformer t = new IntegerTransformer(model);
        Map<String, Vector> out = new LinkedHashMap<>();
        t.setTap((name, pos, in, y) -> out.put(name, new Vector(pos, in, y.clone())));
        int token = 1;
        for (int pos = 0; pos < Math.min(steps, model.plan().model().seqLen()); pos++) {
            t.forward(token, pos);
            int[] logits = t.logitsFx();
            int best = 0;
            for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
            token = best;
        }
        return out;
    }
}
