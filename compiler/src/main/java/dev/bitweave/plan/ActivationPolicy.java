package dev.bitweave.plan;

/**
 * A matrix's token-adaptive input width (plan.json {@code activationPolicy}, docs/plan-format.md):
 * inputs whose peak-to-mean ratio is at most peakToMeanQ8 / 256 are quantized to lowBits instead
 * of the tensor's activationBits (numerics.ActivationPrecision).
 */
public record ActivationPolicy(int lowBits, int peakToMeanQ8) {
}
