package dev.bitweave.quantize;

import dev.bitweave.importer.PreQuantized;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.QuantTensor;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;

import java.util.Optional;

/**
 * GGUF Q8_0 / Q4_0 blocks as plan tensors without any loss: an fp16 block scale d is exactly an
 * 11-bit multiplier times a power of two (mul-exp encoding). Q8_0 becomes symmetric INT8, Q4_0
 * asymmetric INT4 with zero point 8. A negative d is absorbed by negating the codes (Q4_0:
 * code 15 - q with zero point 7); where that is impossible (Q8_0 code -128) the tensor is not
 * exactly representable and the caller re-quantizes it instead.
 */
public final class PreQuantizedImport {
    private PreQuantizedImport() {
    }

    public static Optional<QuantTensor> convert(String name, PreQuantized p) {
        boolean q8 = p.kind().equals("Q8_0");
        int blocks = p.fp16Scales().length;
        int[] mult = new int[blocks];
        int[] exp = new int[blocks];
        int[] zero = q8 ? null : new int[blocks];
        byte[] codes = p.codes().clone();
        for (int b = 0; b < blocks; b++) {
            int h = p.fp16Scales()[b] & 0xFFFF;
            boolean negative = (h & 0x8000) != 0;
            int e = (h >> 10) & 0x1F;
            int m = h & 0x3FF;
            if (e == 31) return Optional.empty(); // Inf/NaN scale
            if (e == 0) {
                mult[b] = m;
                exp[b] = -24;
            } else {
                mult[b] = 1024 + m;
                exp[b] = e - 25;
            }
            if (!q8) zero[b] = negative ? 7 : 8;
            if (negative) {
                for (int k = b * p.blockSize(); k < (b + 1) * p.blockSize(); k++) {
                    if (q8) {
                        if (codes[k] == Byte.MIN_VALUE) return Optional.empty();
                        codes[k] = (byte) -codes[k];
                    } else {
                        codes[k] = (byte) (15 - codes[k]);
                    }
                }
            }
        }
        WeightSpec spec = q8
                ? new WeightSpec(ElementFormat.INT, 8, true, p.blockSize(), ScaleEncoding.MUL_EXP, 11)
                : new WeightSpec(ElementFormat.INT, 4, false, p.blockSize(), ScaleEncoding.MUL_EXP, 11);
        return Optional.of(new QuantTensor(name, p.rows(), p.cols(), spec, codes, mult, exp, zero));
    }
}
