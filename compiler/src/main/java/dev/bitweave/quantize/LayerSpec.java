package dev.bitweave.quantize;

import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;

/**
 * What a recipe asks for one weight matrix; groupSize 0 means one group per row (per-channel).
 * activationBits null means the plan default.
 */
public record LayerSpec(ElementFormat format, int bits, boolean symmetric, int groupSize, ScaleEncoding scaleEncoding,
                        int scaleBits, Integer activationBits) {

    public WeightSpec forColumns(int cols) {
        int g = groupSize == 0 ? cols : Math.min(groupSize, cols);
        return new WeightSpec(format, bits, format.isFloat() || symmetric, g, scaleEncoding,
                scaleEncoding.perGroupMultiplier() ? scaleBits : 0);
    }
}
