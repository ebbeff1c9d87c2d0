package dev.bitweave.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bitweave.model.ModelConfig;

import java.util.List;

/**
 * plan.json: a quantized model, i.e. the model shape, the number format of every tensor and where
 * its bytes are in tensors.bin (docs/plan-format.md).
 *
 * @param schema      always {@link #SCHEMA}
 * @param version     schema version, {@link #VERSION}
 * @param model       model shape
 * @param activations default activation width of linear-layer inputs (per-token dynamic scale)
 * @param kvBits      width of the KV-cache codes
 * @param recipe      the recipe that produced it (name or file)
 * @param source      the checkpoint it came from
 * @param tensorsFile file name of the tensor data, inside the plan directory
 * @param tensorsSize expected size of that file in bytes
 */
@JsonPropertyOrder({"schema", "version", "model", "activations", "kvBits", "recipe", "source", "tensorsFile",
        "tensorsSize", "tensors"})
public record Plan(String schema, int version, ModelConfig model, int activations, int kvBits, String recipe,
                   String source, String tensorsFile, long tensorsSize, List<TensorEntry> tensors) {
    public static final String SCHEMA = "bitweave.plan";
    public static final int VERSION = 1;
    public static final int ALIGNMENT = 64;
    public static final String PLAN_JSON = "plan.json";
    public static final String TENSORS_BIN = "tensors.bin";

    public TensorEntry tensor(String name) {
        for (TensorEntry t : tensors) if (t.name().equals(name)) return t;
        return null;
    }
}
