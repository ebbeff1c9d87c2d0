package dev.bitweave.runtime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the few fields the runtime needs from a build's JSON files. Every problem is a
 * {@link BadInputException} "FILE: $.json.path: problem"; fields the runtime does not use are
 * left to the compiler's own, stricter reader.
 */
final class JsonFields {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;

    private JsonFields(Path file) {
        this.file = file;
    }

    /** The file's root object and a reader that names the file in its errors. */
    static Root parse(Path file, String whatIsMissing) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "missing (" + whatIsMissing + ")");
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw BadInputException.inFile(file, "$: not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read: " + e.getMessage());
        }
        JsonFields f = new JsonFields(file);
        if (root == null || !root.isObject()) throw f.error("$", "expected a JSON object");
        return new Root(f, root);
    }

    record Root(JsonFields fields, JsonNode node) {
    }

    BadInputException error(String path, String problem) {
        return BadInputException.inFile(file, path + ": " + problem);
    }

    Path file() {
        return file;
    }

    JsonNode object(JsonNode parent, String path, String name) {
        JsonNode n = required(parent, path, name);
        if (!n.isObject()) throw error(path + "." + name, "expected an object");
        return n;
    }

    JsonNode array(JsonNode parent, String path, String name) {
        JsonNode n = required(parent, path, name);
        if (!n.isArray()) throw error(path + "." + name, "expected an array");
        return n;
    }

    String string(JsonNode parent, String path, String name) {
        JsonNode n = required(parent, path, name);
        if (!n.isTextual()) throw error(path + "." + name, "expected a string");
        return n.asText();
    }

    long integer(JsonNode parent, String path, String name, long min, long max) {
        JsonNode n = required(parent, path, name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw error(path + "." + name, "expected an integer, got " + n);
        long v = n.asLong();
        if (v < min || v > max) throw error(path + "." + name, v + " is outside " + min + ".." + max);
        return v;
    }

    int integer(JsonNode parent, String path, String name, int min, int max) {
        return (int) integer(parent, path, name, (long) min, (long) max);
    }

    double number(JsonNode parent, String path, String name, double minExclusive) {
        JsonNode n = required(parent, path, name);
        if (!n.isNumber()) throw error(path + "." + name, "expected a number, got " + n);
        double v = n.asDouble();
        if (!(v > minExclusive) || Double.isInfinite(v)) throw error(path + "." + name, v + " must be above " + minExclusive);
        return v;
    }

    private JsonNode required(JsonNode parent, String path, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) throw error(path + "." + name, "missing");
        return n;
    }
}
