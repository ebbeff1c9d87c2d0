package dev.bitweave.pack;

import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.WeightSpec;

/**
 * What the layout of one linear tensor depends on: its shape, number format and exponent range,
 * without the codes. Layouts and hardware parameters are computed from shapes so that a plan of
 * a large model can be sized (efficiency tables, resource estimates) without holding its weights.
 *
 * @param eMin           E_min, the smallest group exponent of the tensor
 * @param tensorExponent the exponent of every group when the scale encoding stores none per group
 *                       (mul-shift); 0 otherwise
 */
public record LinearShape(String name, int rows, int cols, WeightSpec spec, int eMin, int tensorExponent) {

    public static LinearShape of(QuantTensor t) {
        int eMin = t.minExp();
        int tensorExp = t.spec().scaleEncoding().perGroupExponent() ? 0 : eMin;
        return new LinearShape(t.name(), t.rows(), t.cols(), t.spec(), eMin, tensorExp);
    }
}
