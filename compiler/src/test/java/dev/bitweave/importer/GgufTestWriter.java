package dev.bitweave.importer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small GGUF files for tests, including deliberately broken ones: every field the reader
 * checks can be set to a bad value, and the section boundaries are recorded for truncation tests.
 */
final class GgufTestWriter {
    static final int UINT8 = 0, INT8 = 1, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7, STRING = 8, ARRAY = 9,
            UINT64 = 10, FLOAT64 = 12;
    static final int F32 = 0, F16 = 1, Q4_0 = 2, Q8_0 = 8, Q4_K = 12, BF16 = 30;

    private record Tensor(String name, long[] ne, int type, byte[] data, Long offsetOverride) {
    }

    private final Bytes kvs = new Bytes();
    private int kvCount;
    private final List<Tensor> tensors = new ArrayList<>();
    byte[] magic = {'G', 'G', 'U', 'F'};
    int version = 3;
    int alignment = 32;
    /** Filled by {@link #toBytes()}: where the kv section, the tensor infos and the data start. */
    long kvStart, infoStart, dataStart;

    GgufTestWriter string(String key, String value) {
        key(key, STRING).string(value);
        return this;
    }

    GgufTestWriter u32(String key, long value) {
        key(key, UINT32).i32((int) value);
        return this;
    }

    GgufTestWriter f32(String key, float value) {
        key(key, FLOAT32).f32(value);
        return this;
    }

    GgufTestWriter strings(String key, List<String> values) {
        Bytes b = key(key, ARRAY).i32(STRING).i64(values.size());
        for (String v : values) b.string(v);
        return this;
    }

    GgufTestWriter f32s(String key, float[] values) {
        Bytes b = key(key, ARRAY).i32(FLOAT32).i64(values.length);
        for (float v : values) b.f32(v);
        return this;
    }

    /** Any value as raw bytes after its type, for odd or invalid entries. */
    GgufTestWriter raw(String key, int type, byte[] payload) {
        key(key, type).put(payload);
        return this;
    }

    GgufTestWriter tensor(String name, int type, long[] ne, byte[] data) {
        tensors.add(new Tensor(name, ne, type, data, null));
        return this;
    }

    GgufTestWriter tensorAt(String name, int type, long[] ne, byte[] data, long relativeOffset) {
        tensors.add(new Tensor(name, ne, type, data, relativeOffset));
        return this;
    }

    private Bytes key(String key, int type) {
        kvCount++;
        return kvs.string(key).i32(type);
    }

    byte[] toBytes() {
        Bytes out = new Bytes();
        out.put(magic).i32(version).i64(tensors.size()).i64(kvCount);
        kvStart = out.size();
        out.put(kvs.toArray());
        infoStart = out.size();
        long rel = 0;
        List<Long> offsets = new ArrayList<>();
        for (Tensor t : tensors) {
            long off = t.offsetOverride() != null ? t.offsetOverride() : rel;
            offsets.add(off);
            out.string(t.name()).i32(t.ne().length);
            for (long n : t.ne()) out.i64(n);
            out.i32(t.type()).i64(off);
            rel = align(off + t.data().length);
        }
        dataStart = align(out.size());
        out.pad(dataStart);
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).offsetOverride() != null) continue;
            out.pad(dataStart + offsets.get(i));
            out.put(tensors.get(i).data());
        }
        return out.toArray();
    }

    Path write(Path file) throws IOException {
        return Files.write(file, toBytes());
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    /** Little-endian byte sink. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Bytes put(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes i16(int v) {
            return put(scratch.clear().putShort((short) v).array(), 2);
        }

        Bytes i32(int v) {
            return put(scratch.clear().putInt(v).array(), 4);
        }

        Bytes i64(long v) {
            return put(scratch.clear().putLong(v).array(), 8);
        }

        Bytes f32(float v) {
            return i32(Float.floatToRawIntBits(v));
        }

        Bytes string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return i64(b.length).put(b);
        }

        Bytes pad(long size) {
            while (out.size() < size) out.write(0);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toArray() {
            return out.toByteArray();
        }

        private Bytes put(byte[] b, int n) {
            out.write(b, 0, n);
            return this;
        }
    }
}
