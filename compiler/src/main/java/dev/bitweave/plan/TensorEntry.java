package dev.bitweave.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One tensor of a plan as stored in plan.json (docs/plan-format.md). Norm vectors use format
 * "q16" (int32 Q15.16, one per element) and carry only {@code codes}; matrices carry the number
 * format and the blobs their scale encoding needs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TensorEntry(String name, List<Integer> shape, String format, Integer bits, Boolean symmetric,
                          Integer groupSize, String scaleEncoding, Integer scaleBits, Integer tensorExponent,
                          Integer activationBits, ActivationPolicy activationPolicy, Blob codes, Blob scales, Blob exponents,
                          Blob zeros) {

    public static final String Q16 = "q16";

    @JsonIgnore
    public int rows() {
        return shape.get(0);
    }

    @JsonIgnore
    public int cols() {
        return shape.get(1);
    }

    @JsonIgnore
    public boolean isVector() {
        return Q16.equals(format);
    }
}
