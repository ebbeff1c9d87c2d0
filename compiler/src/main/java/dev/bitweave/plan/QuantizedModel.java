package dev.bitweave.plan;

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
}
