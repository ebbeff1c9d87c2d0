package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A complete, tiny Llama model as GGUF, every tensor F32 with a known pattern; tests swap in
 * other storage types or break one piece at a time.
 */
final class TinyGguf {
    static final ModelConfig CONFIG = new ModelConfig(32, 64, 1, 2, 1, 4, 8, 10000.0, 1e-5, false);
    static final List<String> TOKENS = List.of("<unk>", "<s>", "</s>", "\u2581hi");

    record Tensor(int type, long[] ne, byte[] data) {
    }

    final Map<String, Tensor> tensors = new LinkedHashMap<>();
    final Map<String, Object> metadata = new LinkedHashMap<>();

    TinyGguf() {
        metadata.put("general.architecture", "llama");
        metadata.put("general.name", "tiny");
        metadata.put("llama.context_length", 8L);
        metadata.put("llama.embedding_length", 32L);
        metadata.put("llama.feed_forward_length", 64L);
        metadata.put("llama.block_count", 1L);
        metadata.put("llama.attention.head_count", 2L);
        metadata.put("llama.attention.head_count_kv", 1L);
        metadata.put("llama.rope.dimension_count", 16L);
        metadata.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        metadata.put("tokenizer.ggml.model", "llama");
        metadata.put("tokenizer.ggml.tokens", TOKENS);
        metadata.put("tokenizer.ggml.scores", new float[]{0f, 0f, 0f, -1.5f});
        metadata.put("tokenizer.ggml.bos_token_id", 1L);
        metadata.put("tokenizer.ggml.eos_token_id", 2L);
        for (TensorShape t : TensorName.all(CONFIG)) {
            long[] ne = t.rows() == 1 ? new long[]{t.cols()} : new long[]{t.cols(), t.rows()};
            tensors.put(t.name() + ".weight", new Tensor(GgufTestWriter.F32, ne, f32(pattern(t))));
        }
    }

    /** The F32 contents every tensor starts with: distinct per tensor and element. */
    static float[] pattern(TensorShape t) {
        float[] v = new float[(int) t.elements()];
        int salt = Math.floorMod(t.name().hashCode(), 1000);
        for (int i = 0; i < v.length; i++) v[i] = (i - v.length / 2) * 0.001f + salt;
        return v;
    }

    static byte[] f32(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    GgufTestWriter writer() {
        return writer(Set.of());
    }

    @SuppressWarnings("unchecked")
    GgufTestWriter writer(Set<String> omitKeys) {
        GgufTestWriter w = new GgufTestWriter();
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            if (omitKeys.contains(e.getKey())) continue;
            Object v = e.getValue();
            if (v instanceof String s) w.string(e.getKey(), s);
            else if (v instanceof Long n) w.u32(e.getKey(), n);
            else if (v instanceof Float f) w.f32(e.getKey(), f);
            else if (v instanceof float[] f) w.f32s(e.getKey(), f);
            else if (v instanceof List<?> l) w.strings(e.getKey(), (List<String>) l);
            else throw new IllegalArgumentException(e.getKey());
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            w.tensor(e.getKey(), e.getValue().type(), e.getValue().ne(), e.getValue().data());
        }
        return w;
    }
}
