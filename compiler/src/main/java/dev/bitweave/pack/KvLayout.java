package dev.bitweave.pack;

import dev.bitweave.model.ModelConfig;

/**
 * The KV cache in board memory (docs/decoder.md): per layer, key codes [kvHeads][seqLen][headSize]
 * int8, key scales [kvHeads][seqLen] (8 bytes: mantissa, exponent), then the same for values, each
 * on its own page. Offsets are relative to the KV area.
 */
public record KvLayout(long codeBytes, long scaleBytes, long layerBytes, int layers) {
    public static KvLayout of(ModelConfig c) {
        long codes = MemoryMap.alignUp((long) c.kvHeads() * c.seqLen() * c.headSize());
        long scales = MemoryMap.alignUp((long) c.kvHeads() * c.seqLen() * 8);
        return new KvLayout(codes, scales, 2 * (codes + scales), c.layers());
    }

    public long bytes() {
        return layerBytes * layers;
    }

    public long keyCodes(int layer) {
        return layer * layerBytes;
    }

    public long keyScales(int layer) {
        return keyCodes(layer) + codeBytes;
    }

    public long valueCodes(int layer) {
        return keyScales(layer) + scaleBytes;
    }

    public long valueScales(int layer) {
        return valueCodes(layer) + codeBytes;
    }
}
