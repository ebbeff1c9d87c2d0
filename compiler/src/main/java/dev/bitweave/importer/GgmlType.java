package dev.bitweave.importer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The ggml tensor storage types bitweave can read from GGUF, with their block layouts.
 * Quantized blocks cover {@code blockSize} consecutive elements of one row (along ne[0]).
 */
public enum GgmlType {
    F32(0, 1, 4) {
        @Override
        void decode(ByteBuffer src, int blocks, float[] out, int at) {
            src.asFloatBuffer().get(out, at, blocks);
            src.position(src.position() + 4 * blocks);
        }
    },
    F16(1, 1, 2) {
        @Override
        void decode(ByteBuffer src, int blocks, float[] out, int at) {
            for (int i = 0; i < blocks; i++) out[at + i] = Fp16.toFloat(src.getShort());
        }
    },
    /** fp16 scale d, then 16 bytes: element j &lt; 16 in the low nibble of byte j, element j+16 in its high nibble. */
    Q4_0(2, 32, 18) {
        @Override
        void decode(ByteBuffer src, int blocks, float[] out, int at) {
            for (int b = 0; b < blocks; b++, at += 32) {
                float d = Fp16.toFloat(src.getShort());
                for (int j = 0; j < 16; j++) {
                    int q = src.get() & 0xFF;
                    out[at + j] = ((q & 0x0F) - 8) * d;
                    out[at + j + 16] = ((q >>> 4) - 8) * d;
                }
            }
        }
    },
    /** fp16 scale d, then 32 signed bytes q: value = d * q. */
    Q8_0(8, 32, 34) {
        @Override
        void decode(ByteBuffer src, int blocks, float[] out, int at) {
            for (int b = 0; b < blocks; b++, at += 32) {
                float d = Fp16.toFloat(src.getShort());
                for (int j = 0; j < 32; j++) out[at + j] = src.get() * d;
            }
        }
    },
    /** The upper half of an fp32: widening is exact. */
    BF16(30, 1, 2) {
        @Override
        void decode(ByteBuffer src, int blocks, float[] out, int at) {
            for (int i = 0; i < blocks; i++) out[at + i] = Float.intBitsToFloat((src.getShort() & 0xFFFF) << 16);
        }
    };

    /** ggml's names for every type id it has defined (gaps were removed types), for messages. */
    private static final String[] KNOWN_NAMES = {
            "F32", "F16", "Q4_0", "Q4_1", "Q4_2 (removed)", "Q4_3 (removed)", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
            "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
            "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M",
            "BF16", "Q4_0_4_4 (removed)", "Q4_0_4_8 (removed)", "Q4_0_8_8 (removed)", "TQ1_0", "TQ2_0",
            "IQ4_NL_4_4 (removed)", "IQ4_NL_4_8 (removed)", "IQ4_NL_8_8 (removed)", "MXFP4"};

    final int id;
    final int blockSize;
    final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Decodes {@code blocks} blocks from {@code src} into {@code out} starting at {@code at}. */
    abstract void decode(ByteBuffer src, int blocks, float[] out, int at);

    public int blockSize() {
        return blockSize;
    }

    long bytesFor(long elements) {
        return elements / blockSize * blockBytes;
    }

    static Optional<GgmlType> byId(int id) {
        return Arrays.stream(values()).filter(t -> t.id == id).findFirst();
    }

    /** True for ids ggml has defined, whether or not bitweave reads them. */
    static boolean isKnownId(int id) {
        return id >= 0 && id < KNOWN_NAMES.length;
    }

    static String describe(int id) {
        return (isKnownId(id) ? KNOWN_NAMES[id] : "unknown") + " (type id " + id + ")";
    }

    static String supportedList() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toArray(String[]::new));
    }
}
