package dev.bitweave.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * The model's shape as a build's plan copy (plan/plan.json, docs/plan-format.md) records it:
 * what the runtime needs to drive a decode step and to count its roofline bytes.
 */
public record ModelShape(int dim, int layers, int heads, int kvHeads, int headSize, int vocabSize, int seqLen, int kvBits) {
    public static final String FILE = "plan.json";

    public int kvDim() {
        return kvHeads * headSize;
    }

    /** Reads plan.json's "model" and "kvBits"; problems name the file and the JSON path. */
    public static ModelShape read(Path file) {
        JsonFields.Root root = JsonFields.parse(file, "the build's copy of its plan; recompile the build");
        JsonFields f = root.fields();
        JsonNode m = f.object(root.node(), "$", "model");
        int heads = f.integer(m, "$.model", "heads", 1, 1 << 16);
        int kvHeads = f.integer(m, "$.model", "kvHeads", 1, heads);
        if (heads % kvHeads != 0) throw f.error("$.model.kvHeads", kvHeads + " does not divide heads " + heads);
        return new ModelShape(
                f.integer(m, "$.model", "dim", 1, 1 << 20),
                f.integer(m, "$.model", "layers", 1, 1 << 12),
                heads, kvHeads,
                f.integer(m, "$.model", "headSize", 1, 1 << 12),
                f.integer(m, "$.model", "vocabSize", 3, 1 << 24),
                f.integer(m, "$.model", "seqLen", 1, 1 << 24),
                f.integer(root.node(), "$", "kvBits", 2, 8));
    }
}
