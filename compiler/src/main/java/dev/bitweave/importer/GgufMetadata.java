package dev.bitweave.importer;

import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The key-value section of a GGUF file. Scalars of every key are kept (they are small); arrays are
 * walked and checked but only kept for the keys an importer asks for, so a 100k-entry merges list
 * costs nothing.
 */
final class GgufMetadata {
    static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
            STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;
    private static final String[] TYPE_NAMES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
            "bool", "string", "array", "uint64", "int64", "float64"};
    private static final int[] MIN_BYTES = {1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8};
    private static final int MAX_KEY_BYTES = 65535;
    private static final int MAX_ARRAY_NESTING = 4;

    /** An array value: element type and, when kept, its elements (List of byte[] for strings, float[] for float32). */
    record Array(int elementType, long length, Object elements) {
    }

    private final BinaryFile file;
    private final Map<String, Object> values;
    private final Map<String, Long> valueOffsets;
    private final long end;

    private GgufMetadata(BinaryFile file, Map<String, Object> values, Map<String, Long> valueOffsets, long end) {
        this.file = file;
        this.values = values;
        this.valueOffsets = valueOffsets;
        this.end = end;
    }

    static GgufMetadata read(GgufCursor in, BinaryFile file, long count, Set<String> keepArrays) throws IOException {
        Map<String, Object> values = new HashMap<>();
        Map<String, Long> offsets = new HashMap<>();
        for (long i = 0; i < count; i++) {
            long keyAt = in.position();
            byte[] keyBytes = in.bytes("the key of metadata entry " + i);
            if (keyBytes.length > MAX_KEY_BYTES) {
                throw in.error(keyAt, "metadata key " + i + " is " + keyBytes.length + " bytes, at most " + MAX_KEY_BYTES + " allowed");
            }
            String key = new String(keyBytes, StandardCharsets.UTF_8);
            if (values.containsKey(key)) {
                throw in.error(keyAt, "metadata key '" + key + "' appears twice");
            }
            long typeAt = in.position();
            int type = in.i32("the value type of metadata key '" + key + "'");
            offsets.put(key, typeAt);
            values.put(key, readValue(in, type, typeAt, "metadata key '" + key + "'", keepArrays.contains(key), 0));
        }
        return new GgufMetadata(file, values, offsets, in.position());
    }

    private static Object readValue(GgufCursor in, int type, long typeAt, String what, boolean keep, int depth)
            throws IOException {
        switch (type) {
            case UINT8: return (long) in.u8(what);
            case INT8: return (long) (byte) in.u8(what);
            case UINT16: return (long) (in.i16(what) & 0xFFFF);
            case INT16: return (long) in.i16(what);
            case UINT32: return in.i32(what) & 0xFFFFFFFFL;
            case INT32: return (long) in.i32(what);
            // Writers store float32 from a decimal literal (1e-5); the shortest decimal recovers it.
            case FLOAT32: return Double.parseDouble(Float.toString(in.f32(what)));
            case FLOAT64: return in.f64(what);
            case UINT64: case INT64: return in.i64(what);
            case BOOL: {
                long at = in.position();
                int b = in.u8(what);
                if (b > 1) throw in.error(at, what + " is a bool stored as " + b + ", expected 0 or 1");
                return b == 1;
            }
            case STRING: return new String(in.bytes(what), StandardCharsets.UTF_8);
            case ARRAY: return readArray(in, what, keep, depth);
            default:
                throw in.error(typeAt, what + " has value type " + type + ", expected one of 0..12 ("
                        + String.join(", ", TYPE_NAMES) + ")");
        }
    }

    private static Array readArray(GgufCursor in, String what, boolean keep, int depth) throws IOException {
        long typeAt = in.position();
        int type = in.i32("the element type of " + what);
        if (type < 0 || type >= TYPE_NAMES.length) {
            throw in.error(typeAt, what + " is an array of value type " + type + ", expected one of 0..12");
        }
        if (type == ARRAY && depth >= MAX_ARRAY_NESTING) {
            throw in.error(typeAt, what + " nests arrays deeper than " + MAX_ARRAY_NESTING);
        }
        long n = in.count("the length of " + what, MIN_BYTES[type]);
        if (keep && n > Integer.MAX_VALUE - 8) {
            throw in.error(typeAt, what + " has " + n + " entries, too many to hold");
        }
        if (keep && type == STRING) {
            List<byte[]> out = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) out.add(in.bytes("entry " + i + " of " + what));
            return new Array(type, n, out);
        }
        if (keep && type == FLOAT32) {
            float[] out = new float[(int) n];
            for (int i = 0; i < n; i++) out[i] = in.f32("entry " + i + " of " + what);
            return new Array(type, n, out);
        }
        if (type == STRING || type == ARRAY || type == BOOL) {
            for (long i = 0; i < n; i++) readValue(in, type, typeAt, "entry " + i + " of " + what, false, depth + 1);
        } else {
            in.skip(n * MIN_BYTES[type], what);
        }
        return new Array(type, n, null);
    }

    /** Where the key-value section ends: the offset quoted when a required key is missing. */
    long end() {
        return end;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    Optional<String> string(String key) {
        Object v = values.get(key);
        if (v == null) return Optional.empty();
        if (!(v instanceof String)) throw wrongType(key, "a string");
        return Optional.of((String) v);
    }

    /** An integer key that must fit a positive int. */
    Optional<Integer> positiveInt(String key) {
        Object v = values.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Array) throw wrongType(key, "a single integer (per-layer arrays are not supported)");
        if (!(v instanceof Long)) throw wrongType(key, "an integer");
        long n = (Long) v;
        if (n <= 0 || n > Integer.MAX_VALUE) {
            throw BadInputException.atOffset(file.path(), valueOffsets.get(key),
                    "metadata key '" + key + "' is " + Long.toUnsignedString(n) + ", expected a positive 32-bit integer");
        }
        return Optional.of((int) n);
    }

    /** An integer key, if present and an integer (unsigned 64-bit values above 2^63 read negative). */
    Optional<Long> integer(String key) {
        Object v = values.get(key);
        return v instanceof Long ? Optional.of((Long) v) : Optional.empty();
    }

    /** An integer key in 0..Integer.MAX_VALUE, e.g. a token id; out-of-range values read as absent. */
    Optional<Integer> tokenId(String key) {
        Object v = values.get(key);
        if (!(v instanceof Long) || (Long) v < 0 || (Long) v > Integer.MAX_VALUE) return Optional.empty();
        return Optional.of((int) (long) (Long) v);
    }

    int requirePositiveInt(String key) {
        return positiveInt(key).orElseThrow(() -> missing(key, "a positive integer"));
    }

    Optional<Double> number(String key) {
        Object v = values.get(key);
        if (v == null) return Optional.empty();
        if (v instanceof Double) return Optional.of((Double) v);
        if (v instanceof Long) return Optional.of((double) (Long) v);
        throw wrongType(key, "a number");
    }

    double requireNumber(String key) {
        return number(key).orElseThrow(() -> missing(key, "a number"));
    }

    Optional<Array> array(String key, int elementType) {
        Object v = values.get(key);
        if (v == null) return Optional.empty();
        if (!(v instanceof Array) || ((Array) v).elementType() != elementType) {
            throw wrongType(key, "an array of " + TYPE_NAMES[elementType]);
        }
        return Optional.of((Array) v);
    }

    long offsetOf(String key) {
        return valueOffsets.getOrDefault(key, end);
    }

    BadInputException missing(String key, String expected) {
        return BadInputException.atOffset(file.path(), end, "metadata has no key '" + key + "' (expected "
                + expected + "); it is required for a llama model");
    }

    private BadInputException wrongType(String key, String expected) {
        Object v = values.get(key);
        String actual = v instanceof Array ? "an array of " + TYPE_NAMES[((Array) v).elementType()]
                : v instanceof Long ? "an integer" : v instanceof Double ? "a float"
                : v instanceof Boolean ? "a bool" : "a string";
        return BadInputException.atOffset(file.path(), valueOffsets.get(key),
                "metadata key '" + key + "' is " + actual + ", expected " + expected);
    }
}
