package dev.bitweave.numerics;

/**
 * An activation vector as the MAC array sees it: small signed integer codes and one step size,
 * value_i = codes[i] * step.
 */
public record QuantizedVector(int[] codes, Scale step) {
}
