package dev.bitweave.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bitweave.runtime.BadInputException;

import java.nio.file.Path;

/**
 * Reads typed fields out of a JSON tree and reports every problem as "FILE: $.json.path: what was
 * expected", so a user can find the spot in their plan or recipe. Public so that other bitweave
 * files (the build manifest) report problems the same way.
 */
public final class JsonReader {
    private final Path file;

    /**
     * Parses a whole JSON document that must be an object: a missing file, a syntax error (with
     * line and column) or another kind of value is a one-line error naming the file.
     */
    public static JsonNode readObject(Path file, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(java.nio.file.Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw BadInputException.inFile(file, "file not found");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw BadInputException.inFile(file, "not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw BadInputException.inFile(file, "cannot read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw BadInputException.inFile(file, "$: expected a JSON object");
        return root;
    }

    /** $.schema must name the format and $.version be the one this bitweave reads. */
    public void requireSchema(JsonNode root, String schema, int version, String what) {
        String s = string(root, "$", "schema");
        if (!schema.equals(s)) throw error("$.schema", "expected \"" + schema + "\", got \"" + s + "\"");
        long v = integer(root, "$", "version", 1, Integer.MAX_VALUE);
        if (v != version) throw error("$.version", "this bitweave reads " + what + " version " + version + ", not " + v);
    }

    public JsonReader(Path file) {
        this.file = file;
    }

    public BadInputException error(String path, String problem) {
        return BadInputException.inFile(file, path + ": " + problem);
    }

    public JsonNode node(JsonNode parent, String path, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) throw error(path + "." + field, "missing");
        return n;
    }

    public JsonNode object(JsonNode parent, String path, String field) {
        JsonNode n = node(parent, path, field);
        if (!n.isObject()) throw error(path + "." + field, "expected an object");
        return n;
    }

    public JsonNode array(JsonNode parent, String path, String field) {
        JsonNode n = node(parent, path, field);
        if (!n.isArray()) throw error(path + "." + field, "expected an array");
        return n;
    }

    public String string(JsonNode parent, String path, String field) {
        JsonNode n = node(parent, path, field);
        if (!n.isTextual()) throw error(path + "." + field, "expected a string, got " + n);
        return n.asText();
    }

    public long integer(JsonNode parent, String path, String field, long min, long max) {
        JsonNode n = node(parent, path, field);
        return integerValue(n, path + "." + field, min, max);
    }

    public long integerValue(JsonNode n, String path, long min, long max) {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw error(path, "expected an integer, got " + n);
        long v = n.asLong();
        if (v < min || v > max) throw error(path, v + " is out of range [" + min + ", " + max + "]");
        return v;
    }

    public Integer optionalInteger(JsonNode parent, String path, String field, long min, long max) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) return null;
        return (int) integerValue(n, path + "." + field, min, max);
    }

    public double positiveNumber(JsonNode parent, String path, String field) {
        JsonNode n = node(parent, path, field);
        if (!n.isNumber() || !(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
            throw error(path + "." + field, "expected a positive number, got " + n);
        }
        return n.asDouble();
    }

    public boolean bool(JsonNode parent, String path, String field) {
        JsonNode n = node(parent, path, field);
        if (!n.isBoolean()) throw error(path + "." + field, "expected true or false, got " + n);
        return n.asBoolean();
    }

    public Boolean optionalBool(JsonNode parent, String path, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw error(path + "." + field, "expected true or false, got " + n);
        return n.asBoolean();
    }

    public void onlyFields(JsonNode obj, String path, java.util.Set<String> allowed) {
        obj.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw error(path + "." + f, "unknown field (expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        });
    }
}
