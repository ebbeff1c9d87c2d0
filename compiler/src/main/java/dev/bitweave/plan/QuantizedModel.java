package dev.bitweave.plan;

import dev.bitweave.numerics.ActivationPrecision;
import dev.bitweave.numerics.QuantTensor;

import java.util.Map;

/**
 * A plan loaded into memory: norm vectors in fx and quantized matrices, by canonical name.
 */
public record QuantizedModel(Plan plan, Map<String, int[]> vectors, Map<String, QuantTensor> matrices) {
    public int activationBits(String tensor) {
        Integer a = plan.tensor(tensor).activationBits();
        return a == null ? plan.activations() : a;
    }

    /** The tensor's input width, with its token-adaptive low width when the plan gives one. */
    public ActivationPrecision activation(String tensor) {
        ActivationPolicy p = plan.tensor(tensor).activationPolicy();
        int bits = activationBits(tensor);
        return p == null ? ActivationPrecision.fixed(bits) : new ActivationPrecision(bits, p.lowBits(), p.peakToMeanQ8());
    }
}
