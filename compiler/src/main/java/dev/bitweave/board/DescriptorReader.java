package dev.bitweave.board;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one board descriptor and reports every problem as "SOURCE: $.json.path: problem".
 *
 * <p>Jackson binds the record and rejects unknown properties and wrong types; two things it
 * does not do well are checked around it: presence of required fields (a missing long would
 * silently become 0, which is a valid uramBits) and value ranges (in {@link Board#problems()}).
 */
final class DescriptorReader {

    /** Components that may be absent; everything else in the record tree is required. */
    private static final Set<String> OPTIONAL = Set.of("$.platform");

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 1.5 DSPs or "300" MHz are mistakes to report, not values to round or parse.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // Nor is a number where a name or a document title belongs.
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private DescriptorReader() {
    }

    /**
     * @param source       how to name the input in messages (a file path or a resource name)
     * @param json         the descriptor's bytes
     * @param expectedName the file stem the board's name must equal
     * @throws BadInputException naming the source and the JSON path of each problem
     */
    static Board read(String source, byte[] json, String expectedName) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + ": " + where(e) + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot parse: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new BadInputException(source + ": $: expected a JSON object");
        }
        List<String> missing = new ArrayList<>();
        requirePresent(Board.class, tree, "$", missing);
        if (!missing.isEmpty()) {
            throw new BadInputException(source + ": " + String.join("; ", missing));
        }
        Board board;
        try {
            board = MAPPER.treeToValue(tree, Board.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(source + ": " + describe(e), e);
        }
        List<String> problems = new ArrayList<>(board.problems());
        if (expectedName != null && board.name() != null && !board.name().equals(expectedName)) {
            problems.add(0, "$.name: '" + board.name() + "' must equal the file name without .json, '" + expectedName + "'");
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(source + ": " + String.join("; ", problems));
        }
        return board;
    }

    /** Walks the record's components (and records inside lists) and names every absent or null one. */
    private static void requirePresent(Class<?> recordType, JsonNode object, String path, List<String> missing) {
        for (RecordComponent c : recordType.getRecordComponents()) {
            String childPath = path + "." + c.getName();
            JsonNode child = object.get(c.getName());
            if (child == null || child.isNull()) {
                if (!OPTIONAL.contains(childPath)) missing.add(childPath + ": required");
            } else if (c.getType().isRecord() && child.isObject()) {
                requirePresent(c.getType(), child, childPath, missing);
            } else if (List.class.equals(c.getType()) && child.isArray()
                    && c.getGenericType() instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                for (int i = 0; i < child.size(); i++) {
                    if (child.get(i).isObject()) {
                        requirePresent(element, child.get(i), childPath + "[" + i + "]", missing);
                    } else {
                        missing.add(childPath + "[" + i + "]: expected an object");
                    }
                }
            }
            // Other type mismatches are Jackson's to report, with the same path style.
        }
    }

    /** "$.a.b[2]: expected ..." for a binding failure. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String path = path(u);
            if (!path.endsWith("." + u.getPropertyName())) path = path + "." + u.getPropertyName();
            return path + ": unknown property; expected one of " + String.join(", ", sorted(u.getKnownPropertyIds()));
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return path(m) + ": expected " + expectation(m.getTargetType());
        }
        if (e instanceof JsonMappingException m) {
            return path(m) + ": " + m.getOriginalMessage();
        }
        // Stream-level failures (a number too large for an int) carry the parser, whose context knows where.
        if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
            return path(p.getParsingContext().pathAsPointer()) + ": " + e.getOriginalMessage();
        }
        return where(e) + e.getOriginalMessage();
    }

    private static String expectation(Class<?> type) {
        if (type.isEnum()) return "one of " + Board.jsonNames(type);
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) return "an integer";
        if (type == double.class || type == Double.class) return "a number";
        if (type == String.class) return "a string";
        if (Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
        return "an object";
    }

    private static String path(JsonMappingException e) {
        StringBuilder s = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) s.append('.').append(r.getFieldName());
            else if (r.getIndex() >= 0) s.append('[').append(r.getIndex()).append(']');
        }
        return s.toString();
    }

    private static String path(JsonPointer pointer) {
        StringBuilder s = new StringBuilder("$");
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            // The descriptor schema has no numeric property names, so a numeric segment is an index.
            if (p.getMatchingIndex() >= 0) s.append('[').append(p.getMatchingIndex()).append(']');
            else s.append('.').append(p.getMatchingProperty());
        }
        return s.toString();
    }

    /** "line L, column C: " when the parser knows, for syntax errors where no JSON path exists yet. */
    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 0) return "";
        return "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    }

    private static List<String> sorted(Collection<Object> ids) {
        TreeSet<String> names = new TreeSet<>();
        for (Object id : ids) names.add(String.valueOf(id));
        return List.copyOf(names);
    }
}
