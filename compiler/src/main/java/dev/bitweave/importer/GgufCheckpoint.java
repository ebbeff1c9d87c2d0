package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;
import dev.bitweave.runtime.text.Vocabulary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Llama model in a GGUF file (llama.cpp's format), read tensor by tensor.
 *
 * <p>GGUF lists dimensions innermost first: a matrix with ne = [cols, rows] is stored row-major
 * [rows, cols], which is already llama2.c's orientation (y = W x), so no transpose is needed.
 *
 * <p>No Q/K row permutation either: llama.cpp's converters store attn_q / attn_k rows in Meta's
 * original order, where RoPE rotates adjacent pairs (2i, 2i+1) of each head, and that is the order
 * llama2.c uses too. The permutation that undoes Hugging Face's half-split rotary layout belongs to
 * a safetensors importer, not here. stories260K.gguf and stories260K.bin are bit-identical tensor
 * for tensor, and a test keeps it so.
 */
public final class GgufCheckpoint implements Checkpoint {
    /** "GGUF" as the first four bytes. */
    static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    /** v2 only differs from v3 in that v3 allows big-endian files, which we reject below. */
    static final Set<Integer> VERSIONS = Set.of(2, 3);
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_DIMS = 4;
    private static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Smallest possible tensor info: empty name, one dim, type and offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;
    /** Smallest possible key-value entry: empty key, type, one-byte value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;

    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";

    private record Stored(TensorShape shape, GgmlType type, long dataOffset) {
    }

    /** One entry of the tensor-info section, as found. */
    private record Info(String name, long[] ne, int typeId, long relativeOffset, long infoOffset) {
        String dims() {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < ne.length; i++) s.append(i == 0 ? "" : ", ").append(ne[i]);
            return s.append(']').toString();
        }
    }

    private final BinaryFile file;
    private final ModelConfig config;
    private final List<TensorShape> tensors;
    private final Map<String, Stored> stored;
    private final Vocabulary vocabulary;

    private GgufCheckpoint(BinaryFile file, ModelConfig config, Map<String, Stored> stored, Vocabulary vocabulary) {
        this.file = file;
        this.config = config;
        this.stored = stored;
        this.tensors = stored.values().stream().map(Stored::shape).toList();
        this.vocabulary = vocabulary;
    }

    public static GgufCheckpoint open(Path path) throws IOException {
        BinaryFile file = BinaryFile.open(path);
        try {
            return read(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static GgufCheckpoint read(BinaryFile file) throws IOException {
        GgufCursor in = new GgufCursor(file);
        readMagicAndVersion(in, file);
        long tensorCount = in.count("the tensor count", MIN_TENSOR_INFO_BYTES);
        long kvCount = in.count("the metadata key-value count", MIN_KV_BYTES);
        GgufMetadata meta = GgufMetadata.read(in, file, kvCount, Set.of(TOKENS, SCORES));

        String arch = meta.string("general.architecture")
                .orElseThrow(() -> meta.missing("general.architecture", "a string"));
        if (!arch.equals("llama")) {
            throw BadInputException.atOffset(file.path(), meta.offsetOf("general.architecture"),
                    "general.architecture is '" + arch + "', expected 'llama' (bitweave imports Llama-family models)");
        }
        int alignment = meta.positiveInt("general.alignment").orElse(DEFAULT_ALIGNMENT);
        if (Integer.bitCount(alignment) != 1) {
            throw BadInputException.atOffset(file.path(), meta.offsetOf("general.alignment"),
                    "general.alignment is " + alignment + ", expected a power of two");
        }

        Map<String, Info> infos = readTensorInfos(in, tensorCount);
        long infoEnd = in.position();
        long dataStart = (infoEnd + alignment - 1) / alignment * alignment;

        ModelConfig config = readConfig(file, meta, infos);
        Map<String, Stored> stored = locateTensors(file, config, infos, dataStart, alignment, infoEnd);
        return new GgufCheckpoint(file, config, stored, readVocabulary(file, meta, config).orElse(null));
    }

    private static void readMagicAndVersion(GgufCursor in, BinaryFile file) throws IOException {
        if (file.size() < 4) {
            throw in.error(file.size(), "file is " + file.size() + " bytes, too short for the GGUF magic");
        }
        byte[] magic = new byte[4];
        for (int i = 0; i < 4; i++) magic[i] = (byte) in.u8("the GGUF magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw in.error(0, "bad magic " + hex(magic) + ", expected 47 47 55 46 (\"GGUF\")");
        }
        int version = in.i32("the GGUF version");
        if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
            throw in.error(4, "big-endian GGUF (version field reads " + Integer.reverseBytes(version)
                    + " byte-swapped) is not supported, expected a little-endian file");
        }
        if (!VERSIONS.contains(version)) {
            throw in.error(4, "GGUF version " + Integer.toUnsignedString(version) + " is not supported, expected 3");
        }
    }

    private static Map<String, Info> readTensorInfos(GgufCursor in, long count) throws IOException {
        Map<String, Info> infos = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            long at = in.position();
            String name = new String(in.bytes("the name of tensor " + i), StandardCharsets.UTF_8);
            String what = "tensor '" + name + "'";
            long dimsAt = in.position();
            int nDims = in.i32("the dimension count of " + what);
            if (nDims < 1 || nDims > MAX_DIMS) {
                throw in.error(dimsAt, what + " has " + Integer.toUnsignedString(nDims) + " dimensions, expected 1.." + MAX_DIMS);
            }
            long[] ne = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                long neAt = in.position();
                ne[d] = in.i64("dimension " + d + " of " + what);
                if (ne[d] <= 0 || ne[d] > MAX_TENSOR_ELEMENTS || (elements *= ne[d]) > MAX_TENSOR_ELEMENTS) {
                    throw in.error(neAt, what + " dimension " + d + " is " + Long.toUnsignedString(ne[d])
                            + ", expected a positive size with at most " + MAX_TENSOR_ELEMENTS + " elements in all");
                }
            }
            long typeAt = in.position();
            int typeId = in.i32("the type of " + what);
            if (!GgmlType.isKnownId(typeId)) {
                throw in.error(typeAt, what + " has unknown tensor type id " + Integer.toUnsignedString(typeId)
                        + "; bitweave reads " + GgmlType.supportedList());
            }
            long offset = in.i64("the data offset of " + what);
            if (infos.put(name, new Info(name, ne, typeId, offset, at)) != null) {
                throw in.error(at, what + " appears twice in the tensor infos");
            }
        }
        return infos;
    }

    private static ModelConfig readConfig(BinaryFile file, GgufMetadata meta, Map<String, Info> infos) {
        if (meta.integer("llama.expert_count").filter(n -> n != 0).isPresent()) {
            throw BadInputException.atOffset(file.path(), meta.offsetOf("llama.expert_count"),
                    "mixture-of-experts models (llama.expert_count) are not supported, expected a dense Llama");
        }
        int dim = meta.requirePositiveInt("llama.embedding_length");
        int hidden = meta.requirePositiveInt("llama.feed_forward_length");
        int layers = meta.requirePositiveInt("llama.block_count");
        int heads = meta.requirePositiveInt("llama.attention.head_count");
        // Absent head_count_kv means plain multi-head attention (the GGUF spec makes it optional).
        int kvHeads = meta.positiveInt("llama.attention.head_count_kv").orElse(heads);
        int seqLen = meta.requirePositiveInt("llama.context_length");
        double theta = meta.number("llama.rope.freq_base").orElse(10000.0);
        double eps = meta.requireNumber("llama.attention.layer_norm_rms_epsilon");
        int vocab = vocabSize(file, meta, infos);
        boolean tied = !infos.containsKey("output.weight");
        ModelConfig c = new ModelConfig(dim, hidden, layers, heads, kvHeads, vocab, seqLen, theta, eps, tied);
        String problems = c.problems();
        if (!problems.isEmpty()) {
            throw BadInputException.atOffset(file.path(), meta.offsetOf("llama.embedding_length"),
                    "the llama.* metadata " + c + " is not a valid Llama shape: " + problems.substring(0, problems.length() - 2));
        }
        meta.positiveInt("llama.rope.dimension_count").filter(n -> n != c.headSize()).ifPresent(n -> {
            throw BadInputException.atOffset(file.path(), meta.offsetOf("llama.rope.dimension_count"),
                    "llama.rope.dimension_count is " + n + ", expected the head size " + c.headSize()
                            + " (partial rotary embeddings are not supported)");
        });
        return c;
    }

    /** The tokenizer's length; files without a vocabulary fall back on llama.vocab_size, then token_embd. */
    private static int vocabSize(BinaryFile file, GgufMetadata meta, Map<String, Info> infos) {
        Optional<GgufMetadata.Array> tokens = meta.array(TOKENS, GgufMetadata.STRING);
        if (tokens.isPresent()) {
            long n = tokens.get().length();
            if (n <= 0 || n > Integer.MAX_VALUE) {
                throw BadInputException.atOffset(file.path(), meta.offsetOf(TOKENS), TOKENS + " has " + n + " entries, expected a positive count");
            }
            return (int) n;
        }
        Optional<Integer> declared = meta.positiveInt("llama.vocab_size");
        if (declared.isPresent()) return declared.get();
        Info embd = infos.get("token_embd.weight");
        if (embd == null || embd.ne().length < 2) {
            throw meta.missing(TOKENS, "an array of strings, or llama.vocab_size");
        }
        return (int) embd.ne()[1];
    }

    private static Map<String, Stored> locateTensors(BinaryFile file, ModelConfig c, Map<String, Info> infos,
                                                     long dataStart, int alignment, long infoEnd) {
        Map<String, TensorShape> expected = new HashMap<>();
        for (TensorShape t : TensorName.all(c)) expected.put(t.name() + ".weight", t);
        for (String name : expected.keySet()) {
            if (!infos.containsKey(name)) {
                throw BadInputException.atOffset(file.path(), infoEnd, "no tensor '" + name
                        + "' among the " + infos.size() + " tensor infos; a llama model with " + c.layers() + " layers needs it");
            }
        }
        Map<String, Stored> stored = new LinkedHashMap<>();
        for (Info info : infos.values()) {
            TensorShape shape = expected.get(info.name());
            if (shape == null) continue; // e.g. rope_freqs.weight: not part of the Llama-2 graph we import
            String what = "tensor '" + info.name() + "'";
            GgmlType type = GgmlType.byId(info.typeId()).orElseThrow(() -> BadInputException.atOffset(file.path(),
                    info.infoOffset(), what + " is stored as " + GgmlType.describe(info.typeId())
                            + ", which bitweave cannot import; supported: " + GgmlType.supportedList()));
            long rows = 1;
            for (int d = 1; d < info.ne().length; d++) rows *= info.ne()[d];
            if (info.ne()[0] != shape.cols() || rows != shape.rows()) {
                throw BadInputException.atOffset(file.path(), info.infoOffset(), what + " has dims " + info.dims()
                        + " (ne[0] innermost), expected [" + shape.cols() + (shape.rows() > 1 ? ", " + shape.rows() : "")
                        + "] for dim=" + c.dim() + ", hidden_dim=" + c.hiddenDim() + ", n_kv_heads=" + c.kvHeads()
                        + ", vocab_size=" + c.vocabSize());
            }
            if (shape.cols() % type.blockSize() != 0) {
                throw BadInputException.atOffset(file.path(), info.infoOffset(), what + " is " + type + " with rows of "
                        + shape.cols() + " elements, expected a multiple of its block size " + type.blockSize());
            }
            long rel = info.relativeOffset();
            if (rel < 0 || rel % alignment != 0) {
                throw BadInputException.atOffset(file.path(), info.infoOffset(), what + " has data offset "
                        + Long.toUnsignedString(rel) + ", expected a multiple of the alignment " + alignment);
            }
            long start = dataStart + rel;
            long end = start + type.bytesFor(shape.elements());
            if (start < dataStart || end > file.size()) {
                throw BadInputException.atOffset(file.path(), Math.min(start, file.size()), what + " data needs bytes "
                        + start + ".." + end + " but the file ends at byte " + file.size() + " (truncated?)");
            }
            stored.put(shape.name(), new Stored(shape, type, start));
        }
        return stored;
    }

    private static Optional<Vocabulary> readVocabulary(BinaryFile file, GgufMetadata meta, ModelConfig c) {
        Optional<GgufMetadata.Array> tokens = meta.array(TOKENS, GgufMetadata.STRING);
        // Only SentencePiece vocabularies fit Vocabulary's llama2.c conventions; GPT-2 style byte-level
        // BPE (tokenizer.ggml.model = gpt2) spells bytes differently and needs its merges.
        if (tokens.isEmpty() || !meta.string("tokenizer.ggml.model").orElse("llama").equals("llama")) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<byte[]> raw = (List<byte[]>) tokens.get().elements();
        float[] scores = meta.array(SCORES, GgufMetadata.FLOAT32)
                .map(a -> (float[]) a.elements()).orElse(new float[raw.size()]);
        if (scores.length != raw.size()) {
            throw BadInputException.atOffset(file.path(), meta.offsetOf(SCORES), SCORES + " has " + scores.length
                    + " entries, expected one per token (" + raw.size() + ")");
        }
        int bos = meta.tokenId("tokenizer.ggml.bos_token_id").orElse(1);
        int eos = meta.tokenId("tokenizer.ggml.eos_token_id").orElse(2);
        List<byte[]> pieces = new ArrayList<>(raw.size());
        int longest = 0;
        for (int id = 0; id < raw.size(); id++) {
            byte[] p = spaceForWordMarker(raw.get(id));
            // llama2.c's tokenizer export spells BOS and EOS on lines of their own ("\n<s>\n");
            // we follow it so a GGUF vocabulary and a tokenizer.bin agree byte for byte.
            if (id == bos || id == eos) p = surroundWithNewlines(p);
            pieces.add(p);
            longest = Math.max(longest, p.length);
        }
        return Optional.of(new Vocabulary(pieces, scores, longest));
    }

    /** SentencePiece writes a word-initial space as U+2581 (UTF-8 E2 96 81); llama2.c uses a real space. */
    static byte[] spaceForWordMarker(byte[] piece) {
        ByteBuffer out = ByteBuffer.allocate(piece.length);
        for (int i = 0; i < piece.length; i++) {
            if (i + 2 < piece.length && piece[i] == (byte) 0xE2 && piece[i + 1] == (byte) 0x96 && piece[i + 2] == (byte) 0x81) {
                out.put((byte) ' ');
                i += 2;
            } else {
                out.put(piece[i]);
            }
        }
        byte[] b = new byte[out.position()];
        out.flip().get(b);
        return b;
    }

    private static byte[] surroundWithNewlines(byte[] p) {
        byte[] b = new byte[p.length + 2];
        b[0] = '\n';
        System.arraycopy(p, 0, b, 1, p.length);
        b[b.length - 1] = '\n';
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(s.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xFF));
        return s.toString();
    }

    @Override
    public String source() {
        return file.path().toString();
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public List<TensorShape> tensors() {
        return tensors;
    }

    /** How the tensor is stored in the file. */
    public GgmlType storageType(String name) {
        return find(name).type();
    }

    @Override
    public float[] readFloat(String name) throws IOException {
        Stored s = find(name);
        GgmlType type = s.type();
        float[] out = new float[(int) s.shape().elements()];
        long blocks = s.shape().elements() / type.blockSize();
        int blocksPerChunk = Math.max(1, BinaryFile.CHUNK_BYTES / type.blockBytes);
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(blocks, blocksPerChunk) * type.blockBytes);
        for (long b = 0; b < blocks; b += blocksPerChunk) {
            int n = (int) Math.min(blocksPerChunk, blocks - b);
            chunk.clear().limit(n * type.blockBytes);
            file.read(s.dataOffset() + b * type.blockBytes, chunk, "tensor " + name);
            type.decode(chunk, n, out, (int) (b * type.blockSize()));
        }
        return out;
    }

    @Override
    public Optional<PreQuantized> preQuantized(String name) throws IOException {
        Stored s = find(name);
        GgmlType type = s.type();
        if (type != GgmlType.Q8_0 && type != GgmlType.Q4_0) return Optional.empty();
        int blocks = (int) (s.shape().elements() / type.blockSize());
        short[] scales = new short[blocks];
        byte[] codes = new byte[(int) s.shape().elements()];
        int blocksPerChunk = BinaryFile.CHUNK_BYTES / type.blockBytes;
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(blocks, blocksPerChunk) * type.blockBytes);
        for (int b = 0; b < blocks; b += blocksPerChunk) {
            int n = Math.min(blocksPerChunk, blocks - b);
            chunk.clear().limit(n * type.blockBytes);
            file.read(s.dataOffset() + (long) b * type.blockBytes, chunk, "tensor " + name);
            for (int k = b; k < b + n; k++) {
                scales[k] = chunk.getShort();
                int at = k * 32;
                if (type == GgmlType.Q8_0) {
                    chunk.get(codes, at, 32);
                } else {
                    for (int j = 0; j < 16; j++) {
                        int q = chunk.get() & 0xFF;
                        codes[at + j] = (byte) (q & 0x0F);
                        codes[at + j + 16] = (byte) (q >>> 4);
                    }
                }
            }
        }
        return Optional.of(new PreQuantized(type.name(), s.shape().rows(), s.shape().cols(), type.blockSize(), scales, codes));
    }

    @Override
    public Optional<Vocabulary> vocabulary() {
        return Optional.ofNullable(vocabulary);
    }

    @Override
    public Optional<Path> file() {
        return Optional.of(file.path());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private Stored find(String name) {
        Stored s = stored.get(name);
        if (s == null) throw new IllegalArgumentException(source() + " has no tensor '" + name + "'");
        return s;
    }
}
