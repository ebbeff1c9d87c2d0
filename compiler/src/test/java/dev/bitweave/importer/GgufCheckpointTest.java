package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufCheckpointTest {
    @TempDir
    Path tmp;

    // ---- the real model ----

    @Test
    void realGgufTensorsAreBitIdenticalToTheLlama2cCheckpoint() throws IOException {
        try (GgufCheckpoint gguf = GgufCheckpoint.open(SharedModels.stories260kGguf());
             Llama2cCheckpoint bin = Llama2cCheckpoint.open(SharedModels.stories260kBin())) {
            for (TensorShape t : bin.tensors()) {
                assertEquals(GgmlType.F32, gguf.storageType(t.name()));
                assertArrayEquals(bits(bin.readFloat(t.name())), bits(gguf.readFloat(t.name())), t.name());
            }
            assertEquals(Set.copyOf(gguf.tensors().stream().filter(t -> !t.name().equals(TensorName.OUTPUT)).toList()),
                    Set.copyOf(bin.tensors()));
            // llama.cpp's converter writes the shared classifier out as its own copy.
            assertArrayEquals(bits(bin.readFloat(TensorName.TOKEN_EMBD)), bits(gguf.readFloat(TensorName.OUTPUT)));
        }
    }

    @Test
    void realGgufConfigIsWhatTheFileDeclares() throws IOException {
        try (GgufCheckpoint gguf = GgufCheckpoint.open(SharedModels.stories260kGguf())) {
            // The converter declares context 2048 (the .bin says 512) and an explicit output.weight.
            assertEquals(new ModelConfig(64, 172, 5, 8, 4, 512, 2048, 10000.0, 1e-5, false), gguf.config());
            assertTrue(gguf.preQuantized(TensorName.attnQ(0)).isEmpty());
        }
    }

    @Test
    void realGgufVocabularyEqualsTok512() throws IOException {
        Vocabulary expected = readTokenizerBin(SharedModels.tok512());
        try (GgufCheckpoint gguf = GgufCheckpoint.open(SharedModels.stories260kGguf())) {
            Vocabulary v = gguf.vocabulary().orElseThrow();
            assertEquals(expected.size(), v.size());
            for (int i = 0; i < v.size(); i++) {
                assertEquals(new String(expected.pieces().get(i), StandardCharsets.ISO_8859_1),
                        new String(v.pieces().get(i), StandardCharsets.ISO_8859_1), "piece " + i);
            }
            assertArrayEquals(bits(expected.scores()), bits(v.scores()));
            assertEquals(expected.maxTokenLength(), v.maxTokenLength());
        }
    }

    /** llama2.c tokenizer.bin: int32 max_token_length, then per token float score, int32 length, bytes. */
    static Vocabulary readTokenizerBin(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int max = b.getInt();
        List<byte[]> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        while (b.hasRemaining()) {
            scores.add(b.getFloat());
            byte[] p = new byte[b.getInt()];
            b.get(p);
            pieces.add(p);
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        return new Vocabulary(pieces, s, max);
    }

    // ---- storage types, on small written files ----

    @Test
    void dequantizesQ8_0() throws IOException {
        TinyGguf g = new TinyGguf();
        // attn_q [32 x 32]: one block per row; ffn_down [32 x 64]: two blocks per row.
        g.tensors.put("blk.0.attn_q.weight", new TinyGguf.Tensor(GgufTestWriter.Q8_0, new long[]{32, 32}, q8Blocks(32)));
        g.tensors.put("blk.0.ffn_down.weight", new TinyGguf.Tensor(GgufTestWriter.Q8_0, new long[]{64, 32}, q8Blocks(64)));
        try (GgufCheckpoint c = GgufCheckpoint.open(g.writer().write(tmp.resolve("q8.gguf")))) {
            float[] q = c.readFloat(TensorName.attnQ(0));
            // Block 1 (row 1): d = 0.5, q_3 = (3*7 + 1) % 256 - 128 = -106, so -53.
            assertEquals(-53.0f, q[32 + 3]);
            // Block 2 (row 2): d = 0.25, q_31 = (217 + 2) - 128 = 91.
            assertEquals(22.75f, q[64 + 31]);
            for (int b = 0; b < 32; b++) {
                for (int j = 0; j < 32; j++) assertEquals(q8(b, j) * scale(b), q[b * 32 + j], "block " + b + " j " + j);
            }
            float[] down = c.readFloat(TensorName.ffnDown(0));
            for (int b = 0; b < 64; b++) {
                for (int j = 0; j < 32; j++) assertEquals(q8(b, j) * scale(b), down[b * 32 + j]);
            }

            PreQuantized p = c.preQuantized(TensorName.ffnDown(0)).orElseThrow();
            assertEquals("Q8_0", p.kind());
            assertEquals(32, p.rows());
            assertEquals(64, p.cols());
            assertEquals(32, p.blockSize());
            assertEquals(64, p.fp16Scales().length);
            for (int b = 0; b < 64; b++) {
                assertEquals(Fp16.fromFloat(scale(b)), p.fp16Scales()[b]);
                for (int j = 0; j < 32; j++) assertEquals(q8(b, j), p.codes()[b * 32 + j]);
            }
            assertEquals(GgmlType.Q8_0, c.storageType(TensorName.ffnDown(0)));
        }
    }

    @Test
    void dequantizesQ4_0() throws IOException {
        TinyGguf g = new TinyGguf();
        // attn_k [kv_dim 16 x 32]: one block per row.
        g.tensors.put("blk.0.attn_k.weight", new TinyGguf.Tensor(GgufTestWriter.Q4_0, new long[]{32, 16}, q4Blocks(16)));
        try (GgufCheckpoint c = GgufCheckpoint.open(g.writer().write(tmp.resolve("q4.gguf")))) {
            float[] k = c.readFloat(TensorName.attnK(0));
            // Row 0, d = 1: byte 1 = 0x13, so element 1 = 3 - 8 = -5 and element 17 = 1 - 8 = -7.
            assertEquals(-5.0f, k[1]);
            assertEquals(-7.0f, k[17]);
            // Row 1, d = 0.5: byte 15 = (15 * 0x13 + 1) & 0xFF = 0x1E: element 15 = (14-8)/2, element 31 = (1-8)/2.
            assertEquals(3.0f, k[32 + 15]);
            assertEquals(-3.5f, k[32 + 31]);
            PreQuantized p = c.preQuantized(TensorName.attnK(0)).orElseThrow();
            assertEquals("Q4_0", p.kind());
            assertEquals(16, p.rows());
            assertEquals(32, p.cols());
            for (int b = 0; b < 16; b++) {
                assertEquals(Fp16.fromFloat(scale(b)), p.fp16Scales()[b]);
                for (int j = 0; j < 16; j++) {
                    int q = q4Byte(b, j);
                    assertEquals(q & 0x0F, p.codes()[b * 32 + j]);
                    assertEquals(q >>> 4, p.codes()[b * 32 + 16 + j]);
                    assertEquals(((q & 0x0F) - 8) * scale(b), k[b * 32 + j]);
                    assertEquals(((q >>> 4) - 8) * scale(b), k[b * 32 + 16 + j]);
                }
            }
        }
    }

    @Test
    void widensF16AndBf16() throws IOException {
        short[] halves = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x0400, (short) 0x8000, 0x3555, (short) 0xFC00};
        float[] expectedHalves = {1f, -2f, 65504f, 0x1p-24f, 0x1p-14f, -0f, 0.333251953125f, Float.NEGATIVE_INFINITY};
        short[] bf = {0x3F80, (short) 0xC040, 0x4049, 0x0000};
        float[] expectedBf = {1f, -3f, 3.140625f, 0f};

        TinyGguf g = new TinyGguf();
        g.tensors.put("blk.0.attn_v.weight", new TinyGguf.Tensor(GgufTestWriter.F16, new long[]{32, 16}, repeat(halves, 16 * 32)));
        g.tensors.put("blk.0.attn_output.weight", new TinyGguf.Tensor(GgufTestWriter.BF16, new long[]{32, 32}, repeat(bf, 32 * 32)));
        try (GgufCheckpoint c = GgufCheckpoint.open(g.writer().write(tmp.resolve("f16.gguf")))) {
            float[] v = c.readFloat(TensorName.attnV(0));
            for (int i = 0; i < v.length; i++) {
                assertEquals(Float.floatToRawIntBits(expectedHalves[i % halves.length]), Float.floatToRawIntBits(v[i]), "element " + i);
            }
            float[] o = c.readFloat(TensorName.attnOut(0));
            for (int i = 0; i < o.length; i++) assertEquals(expectedBf[i % bf.length], o[i]);
            assertTrue(c.preQuantized(TensorName.attnV(0)).isEmpty());
            assertEquals(GgmlType.F16, c.storageType(TensorName.attnV(0)));
        }
    }

    @Test
    void tinyModelReadsBackAndIsTiedWithoutAnOutputTensor() throws IOException {
        TinyGguf g = new TinyGguf();
        g.tensors.remove("output.weight");
        try (GgufCheckpoint c = GgufCheckpoint.open(g.writer().write(tmp.resolve("tied.gguf")))) {
            ModelConfig expected = new ModelConfig(32, 64, 1, 2, 1, 4, 8, 10000.0, 1e-5, true);
            assertEquals(expected, c.config());
            assertEquals(Set.copyOf(TensorName.all(expected)), Set.copyOf(c.tensors()));
            for (TensorShape t : c.tensors()) assertArrayEquals(TinyGguf.pattern(t), c.readFloat(t.name()), t.name());
            Vocabulary v = c.vocabulary().orElseThrow();
            assertEquals(List.of("<unk>", "\n<s>\n", "\n</s>\n", " hi"),
                    v.pieces().stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList());
            assertEquals(-1.5f, v.scores()[3]);
            assertEquals(6, v.maxTokenLength());
        }
    }

    @Test
    void honoursRopeBaseAlignmentAndSkipsUnknownKeysAndTensors() throws IOException {
        TinyGguf g = new TinyGguf();
        g.metadata.put("llama.rope.freq_base", 500000f);
        GgufTestWriter w = g.writer();
        w.alignment = 64;
        w.u32("general.alignment", 64);
        // Unknown keys of every shape, including nested arrays and arrays of strings.
        w.raw("x.u8", GgufTestWriter.UINT8, new byte[]{7});
        w.raw("x.bool", GgufTestWriter.BOOL, new byte[]{1});
        w.raw("x.f64", GgufTestWriter.FLOAT64, new byte[8]);
        w.raw("x.u64", GgufTestWriter.UINT64, new byte[8]);
        w.strings("tokenizer.ggml.merges", List.of("a b", "c d", "\u2581 x"));
        GgufTestWriter.Bytes nested = new GgufTestWriter.Bytes().i32(GgufTestWriter.ARRAY).i64(2)
                .i32(GgufTestWriter.INT32).i64(3).i32(1).i32(2).i32(3)
                .i32(GgufTestWriter.STRING).i64(1).string("deep");
        w.raw("x.nested", GgufTestWriter.ARRAY, nested.toArray());
        w.tensor("rope_freqs.weight", GgufTestWriter.Q4_K, new long[]{256}, new byte[144]);
        try (GgufCheckpoint c = GgufCheckpoint.open(w.write(tmp.resolve("extra.gguf")))) {
            assertEquals(500000.0, c.config().ropeTheta());
            assertFalse(c.tensors().stream().anyMatch(t -> t.name().startsWith("rope_freqs")));
            for (TensorShape t : c.tensors()) assertArrayEquals(TinyGguf.pattern(t), c.readFloat(t.name()), t.name());
        }
    }

    @Test
    void gpt2StyleVocabulariesAreNotOffered() throws IOException {
        TinyGguf g = new TinyGguf();
        g.metadata.put("tokenizer.ggml.model", "gpt2");
        try (GgufCheckpoint c = GgufCheckpoint.open(g.writer().write(tmp.resolve("gpt2.gguf")))) {
            assertTrue(c.vocabulary().isEmpty());
        }
    }

    // ---- errors ----

    @Test
    void badMagicVersionAndEndianness() throws IOException {
        GgufTestWriter w = new TinyGguf().writer();
        w.magic = new byte[]{'G', 'G', 'M', 'L'};
        assertError(w, "magic", "at offset 0: bad magic 47 47 4d 4c, expected 47 47 55 46");
        w = new TinyGguf().writer();
        w.version = 1;
        assertError(w, "v1", "at offset 4: GGUF version 1 is not supported, expected 3");
        w.version = 4;
        assertError(w, "v4", "at offset 4: GGUF version 4 is not supported");
        w.version = 3 << 24;
        assertError(w, "be", "at offset 4: big-endian GGUF");
        Path tiny = Files.write(tmp.resolve("short.gguf"), new byte[]{'G', 'G'});
        assertMessage(tiny, "at offset 2: file is 2 bytes, too short for the GGUF magic");
    }

    @Test
    void truncationAnywhereIsReportedWithItsOffset() throws IOException {
        GgufTestWriter w = new TinyGguf().writer();
        byte[] full = w.toBytes();
        long[] sections = {w.kvStart, w.infoStart, w.dataStart};
        int checked = 0;
        for (int cut = 0; cut < full.length; cut += (cut < w.dataStart ? 7 : 331)) {
            Path f = Files.write(tmp.resolve("cut.gguf"), Arrays.copyOf(full, cut));
            BadInputException e = assertThrows(BadInputException.class, () -> GgufCheckpoint.open(f), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(f + ": at offset "), e.getMessage());
            checked++;
        }
        assertTrue(checked > 100);
        Path early = Files.write(tmp.resolve("early.gguf"), Arrays.copyOf(full, (int) sections[0] + 10));
        assertMessage(early, "at offset 8: the tensor count is 12 but the 18 bytes left in the file cannot hold that many");
        Path inKv = Files.write(tmp.resolve("kv.gguf"), Arrays.copyOf(full, (int) sections[1] - 2));
        assertMessage(inKv, "while reading metadata key 'tokenizer.ggml.eos_token_id'");
        Path inInfo = Files.write(tmp.resolve("info.gguf"), Arrays.copyOf(full, (int) sections[1] + 30));
        assertMessage(inInfo, "tensor 'token_embd.weight'");
        Path inData = Files.write(tmp.resolve("data.gguf"), Arrays.copyOf(full, full.length - 1));
        assertMessage(inData, "tensor 'output.weight' data needs bytes");
        assertMessage(inData, "but the file ends at byte " + (full.length - 1));
    }

    @Test
    void unknownAndUnsupportedTensorTypes() throws IOException {
        TinyGguf g = new TinyGguf();
        g.tensors.put("blk.0.attn_q.weight", new TinyGguf.Tensor(99, new long[]{32, 32}, new byte[4096]));
        assertError(g.writer(), "t99", "tensor 'blk.0.attn_q.weight' has unknown tensor type id 99");
        g.tensors.put("blk.0.attn_q.weight", new TinyGguf.Tensor(GgufTestWriter.Q4_K, new long[]{32, 32}, new byte[4096]));
        assertError(g.writer(), "qk", "tensor 'blk.0.attn_q.weight' is stored as Q4_K (type id 12), which bitweave cannot import");
    }

    @Test
    void missingOrMistypedKeys() throws IOException {
        TinyGguf g = new TinyGguf();
        for (String key : List.of("llama.embedding_length", "llama.feed_forward_length", "llama.block_count",
                "llama.attention.head_count", "llama.context_length", "llama.attention.layer_norm_rms_epsilon",
                "general.architecture")) {
            assertError(g.writer(Set.of(key)), "no-" + key, "metadata has no key '" + key + "'");
        }
        g.metadata.put("llama.block_count", "five");
        assertError(g.writer(), "str", "metadata key 'llama.block_count' is a string, expected an integer");
        g = new TinyGguf();
        g.metadata.put("general.architecture", "gpt2");
        assertError(g.writer(), "arch", "general.architecture is 'gpt2', expected 'llama'");
        g = new TinyGguf();
        g.metadata.put("llama.attention.head_count", 3L);
        assertError(g.writer(), "heads", "dim 32 is not a multiple of n_heads 3");
        g = new TinyGguf();
        g.metadata.put("llama.expert_count", 8L);
        assertError(g.writer(), "moe", "mixture-of-experts models (llama.expert_count) are not supported");
        g.metadata.put("llama.expert_count", 0L);
        GgufCheckpoint.open(g.writer().write(tmp.resolve("dense.gguf"))).close();
        g = new TinyGguf();
        GgufTestWriter w = g.writer();
        w.raw("x.weird", 13, new byte[4]);
        assertError(w, "type13", "metadata key 'x.weird' has value type 13");
    }

    @Test
    void tensorsThatDisagreeWithTheConfig() throws IOException {
        TinyGguf g = new TinyGguf();
        g.tensors.put("blk.0.attn_k.weight", new TinyGguf.Tensor(GgufTestWriter.F32, new long[]{32, 32}, new byte[4096]));
        assertError(g.writer(), "dims", "tensor 'blk.0.attn_k.weight' has dims [32, 32] (ne[0] innermost), expected [32, 16]");
        g = new TinyGguf();
        g.tensors.remove("blk.0.ffn_up.weight");
        assertError(g.writer(), "missing", "no tensor 'blk.0.ffn_up.weight'");
        g = new TinyGguf();
        g.tensors.put("blk.0.attn_q.weight", new TinyGguf.Tensor(GgufTestWriter.Q8_0, new long[]{16, 64}, new byte[34 * 32]));
        assertError(g.writer(), "block", "has dims [16, 64]");
    }

    @Test
    void tensorDataPastTheEndOfTheFile() throws IOException {
        TinyGguf g = new TinyGguf();
        g.tensors.remove("output_norm.weight");
        GgufTestWriter w = g.writer();
        w.tensorAt("output_norm.weight", GgufTestWriter.F32, new long[]{32}, new byte[128], 1L << 20);
        assertError(w, "past", "tensor 'output_norm.weight' data needs bytes");
        g = new TinyGguf();
        g.tensors.remove("output_norm.weight");
        w = g.writer();
        w.tensorAt("output_norm.weight", GgufTestWriter.F32, new long[]{32}, new byte[128], 40);
        assertError(w, "misaligned", "has data offset 40, expected a multiple of the alignment 32");
    }

    private void assertError(GgufTestWriter w, String name, String expected) throws IOException {
        assertMessage(w.write(tmp.resolve(name + ".gguf")), expected);
    }

    private static void assertMessage(Path f, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> GgufCheckpoint.open(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": at offset "), m);
        assertTrue(m.contains(expected), "expected '" + expected + "' in: " + m);
    }

    // ---- block builders: row b has scale 2^-(b % 4) ----

    static float scale(int block) {
        return 1f / (1 << (block % 4));
    }

    static byte q8(int block, int j) {
        return (byte) ((j * 7 + block) % 256 - 128);
    }

    static int q4Byte(int block, int j) {
        return (j * 0x13 + block) & 0xFF;
    }

    static byte[] q8Blocks(int blocks) {
        ByteBuffer b = ByteBuffer.allocate(34 * blocks).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < blocks; k++) {
            b.putShort(Fp16.fromFloat(scale(k)));
            for (int j = 0; j < 32; j++) b.put(q8(k, j));
        }
        return b.array();
    }

    static byte[] q4Blocks(int blocks) {
        ByteBuffer b = ByteBuffer.allocate(18 * blocks).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < blocks; k++) {
            b.putShort(Fp16.fromFloat(scale(k)));
            for (int j = 0; j < 16; j++) b.put((byte) q4Byte(k, j));
        }
        return b.array();
    }

    static byte[] repeat(short[] values, int n) {
        ByteBuffer b = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putShort(values[i % values.length]);
        return b.array();
    }

    static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
    }
}
