package dev.bitweave.importer;

import dev.bitweave.model.ModelConfig;
import dev.bitweave.model.TensorName;
import dev.bitweave.model.TensorShape;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A llama2.c "legacy" fp32 checkpoint, as run.c reads it: a 28-byte header of seven int32
 * (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len), then every tensor as
 * fp32 in run.c's order, the unused freq_cis tables, and the classifier when vocab_size is
 * negative. The format cannot state RoPE theta or the norm epsilon; run.c hard-codes them.
 */
public final class Llama2cCheckpoint implements Checkpoint {
    public static final int HEADER_BYTES = 28;
    public static final double ROPE_THETA = 10000.0;
    public static final double NORM_EPS = 1e-5;

    /** llama2.c's newer export formats start with this int32 ("ak42") instead of dim. */
    static final int VERSIONED_EXPORT_MAGIC = 0x616b3432;

    private static final String[] HEADER_FIELDS =
            {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
    /** Far beyond any Llama yet, small enough that sizes cannot overflow. */
    private static final int[] HEADER_LIMITS = {1 << 16, 1 << 18, 1 << 10, 1 << 10, 1 << 10, 1 << 22, 1 << 22};
    private static final long MAX_TENSOR_ELEMENTS = Integer.MAX_VALUE - 8;

    private final BinaryFile file;
    private final ModelConfig config;
    private final List<TensorShape> tensors;
    private final Map<String, Long> offsets;
    private final Map<String, TensorShape> shapes = new HashMap<>();

    private Llama2cCheckpoint(BinaryFile file, ModelConfig config, Layout layout) {
        this.file = file;
        this.config = config;
        this.tensors = layout.tensors();
        this.offsets = layout.offsets();
        for (TensorShape t : tensors) shapes.put(t.name(), t);
    }

    public static Llama2cCheckpoint open(Path path) throws IOException {
        BinaryFile file = BinaryFile.open(path);
        try {
            ModelConfig config = readHeader(file);
            Layout layout = Layout.of(config);
            checkSize(file, config, layout);
            return new Llama2cCheckpoint(file, config, layout);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Bytes a llama2.c file with this config has, header and freq_cis tables included. */
    public static long fileBytes(ModelConfig config) {
        return Layout.of(config).end();
    }

    private static ModelConfig readHeader(BinaryFile file) throws IOException {
        Path path = file.path();
        if (file.size() < HEADER_BYTES) {
            throw BadInputException.atOffset(path, file.size(), "file is " + file.size()
                    + " bytes, shorter than the " + HEADER_BYTES + "-byte llama2.c header (7 int32: "
                    + String.join(", ", HEADER_FIELDS) + ")");
        }
        ByteBuffer b = file.read(0, HEADER_BYTES, "the llama2.c header");
        int[] h = new int[HEADER_FIELDS.length];
        for (int i = 0; i < h.length; i++) h[i] = b.getInt();
        if (h[0] == VERSIONED_EXPORT_MAGIC) {
            throw BadInputException.atOffset(path, 0, "this is a llama2.c versioned export (magic \"ak42\");"
                    + " expected the legacy fp32 format (export with --version 0) or a GGUF file");
        }
        for (int i = 0; i < h.length; i++) {
            long v = i == 5 ? Math.abs((long) h[i]) : h[i];
            if (v <= 0 || v > HEADER_LIMITS[i]) {
                throw BadInputException.atOffset(path, 4L * i, HEADER_FIELDS[i] + " is " + h[i] + ", expected "
                        + (i == 5 ? "a non-zero int32 with magnitude" : "an int32 in") + " 1.." + HEADER_LIMITS[i]
                        + " (is this a llama2.c legacy checkpoint? header reads " + describe(h) + ")");
            }
        }
        ModelConfig c = new ModelConfig(h[0], h[1], h[2], h[3], h[4], Math.abs(h[5]), h[6],
                ROPE_THETA, NORM_EPS, h[5] > 0);
        String problems = c.problems();
        if (!problems.isEmpty()) {
            throw BadInputException.atOffset(path, 0, "header " + describe(h) + " is not a valid Llama shape: "
                    + problems.substring(0, problems.length() - 2));
        }
        for (TensorShape t : TensorName.all(c)) {
            if (t.elements() > MAX_TENSOR_ELEMENTS) {
                throw BadInputException.atOffset(path, 0, "header " + describe(h) + " gives tensor " + t.name()
                        + " " + t.elements() + " elements, more than one array can hold (" + MAX_TENSOR_ELEMENTS + ")");
            }
        }
        return c;
    }

    private static void checkSize(BinaryFile file, ModelConfig c, Layout layout) {
        long actual = file.size();
        long expected = layout.end();
        if (actual == expected) return;
        String header = describe(c);
        long classifierBytes = 4L * c.vocabSize() * c.dim();
        if (actual < expected) {
            String cut = layout.segmentAt(actual);
            String hint = !c.tiedClassifier() && actual == expected - classifierBytes
                    ? " (exactly one classifier short: should vocab_size be positive, i.e. shared?)" : "";
            throw BadInputException.atOffset(file.path(), actual, "file is truncated: header " + header
                    + " needs exactly " + expected + " bytes, the file has " + actual + "; " + cut
                    + " would be cut" + hint);
        }
        String hint = c.tiedClassifier() && actual == expected + classifierBytes
                ? " (exactly the size of a separate classifier: should vocab_size be negative?)" : "";
        throw BadInputException.atOffset(file.path(), expected, "file has " + (actual - expected)
                + " bytes after the last tensor: header " + header + " needs exactly " + expected
                + " bytes, the file has " + actual + hint);
    }

    private static String describe(int[] h) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < h.length; i++) s.append(i == 0 ? "" : ", ").append(HEADER_FIELDS[i]).append('=').append(h[i]);
        return s.append('}').toString();
    }

    private static String describe(ModelConfig c) {
        return describe(new int[]{c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(),
                c.tiedClassifier() ? c.vocabSize() : -c.vocabSize(), c.seqLen()});
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

    @Override
    public float[] readFloat(String name) throws IOException {
        Long offset = offsets.get(name);
        if (offset == null) {
            throw new IllegalArgumentException(source() + " has no tensor '" + name + "'");
        }
        return file.readFloats(offset, (int) shapes.get(name).elements(), "tensor " + name);
    }

    @Override
    public Optional<Path> file() {
        return Optional.of(file.path());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** Where each tensor starts, and the freq_cis gap run.c skips, in file order. */
    private record Layout(List<TensorShape> tensors, Map<String, Long> offsets, long freqCisStart,
                          long freqCisBytes, long end) {
        static Layout of(ModelConfig c) {
            List<TensorShape> tensors = TensorName.all(c);
            Map<String, Long> offsets = new LinkedHashMap<>();
            long at = HEADER_BYTES;
            long freqCisStart = -1;
            long freqCisBytes = 2L * 4 * c.seqLen() * (c.headSize() / 2);
            for (TensorShape t : tensors) {
                if (t.name().equals(TensorName.OUTPUT)) {
                    freqCisStart = at;
                    at += freqCisBytes;
                }
                offsets.put(t.name(), at);
                at += 4 * t.elements();
            }
            if (freqCisStart < 0) {
                freqCisStart = at;
                at += freqCisBytes;
            }
            return new Layout(List.copyOf(tensors), Map.copyOf(offsets), freqCisStart, freqCisBytes, at);
        }

        /** The tensor (or table) holding byte {@code pos}, for truncation messages. */
        String segmentAt(long pos) {
            if (pos < freqCisStart + freqCisBytes && pos >= freqCisStart) {
                return "the freq_cis tables (bytes " + freqCisStart + ".." + (freqCisStart + freqCisBytes) + ")";
            }
            for (TensorShape t : tensors) {
                long start = offsets.get(t.name());
                long stop = start + 4 * t.elements();
                if (pos < stop) {
                    return "tensor " + t.name() + " [" + t.rows() + "x" + t.cols() + "] (bytes " + start + ".." + stop + ")";
                }
            }
            return "the end of the file";
        }
    }
}
