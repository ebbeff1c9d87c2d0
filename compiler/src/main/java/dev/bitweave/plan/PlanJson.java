package dev.bitweave.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.runtime.BadInputException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * plan.json to and from {@link Plan}. Reading checks the document itself (types, ranges, known
 * names, a safe tensorsFile); {@link PlanReader} then checks it against tensors.bin.
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> TOP = Set.of("schema", "version", "model", "activations", "kvBits", "recipe",
            "source", "tensorsFile", "tensorsSize", "tensors");
    private static final Set<String> MODEL = Set.of("dim", "hiddenDim", "layers", "heads", "kvHeads", "headSize",
            "vocabSize", "seqLen", "ropeTheta", "normEps", "tiedClassifier");
    private static final Set<String> TENSOR = Set.of("name", "shape", "format", "bits", "symmetric", "groupSize",
            "scaleEncoding", "scaleBits", "tensorExponent", "activationBits", "activationPolicy", "codes", "scales", "exponents",
            "zeros");
    private static final Set<String> Q16_TENSOR = Set.of("name", "shape", "format", "codes");
    /** Names later schema versions give to extras (salient channels, low-rank factors...). */
    private static final Set<String> RESERVED = Set.of("salient", "lowRank");

    private PlanJson() {
    }

    public static byte[] write(Plan p) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", p.schema());
        root.put("version", p.version());
        ObjectNode m = root.putObject("model");
        ModelConfig c = p.model();
        m.put("dim", c.dim());
        m.put("hiddenDim", c.hiddenDim());
        m.put("layers", c.layers());
        m.put("heads", c.heads());
        m.put("kvHeads", c.kvHeads());
        m.put("headSize", c.headSize());
        m.put("vocabSize", c.vocabSize());
        m.put("seqLen", c.seqLen());
        m.put("ropeTheta", c.ropeTheta());
        m.put("normEps", c.normEps());
        m.put("tiedClassifier", c.tiedClassifier());
        root.put("activations", p.activations());
        root.put("kvBits", p.kvBits());
        root.put("recipe", p.recipe());
        root.put("source", p.source());
        root.put("tensorsFile", p.tensorsFile());
        root.put("tensorsSize", p.tensorsSize());
        ArrayNode ts = root.putArray("tensors");
        for (TensorEntry t : p.tensors()) ts.add(MAPPER.valueToTree(t));
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Plan read(Path file) {
        JsonNode root = JsonReader.readObject(file, MAPPER);
        JsonReader r = new JsonReader(file);
        r.onlyFields(root, "$", TOP);
        r.requireSchema(root, Plan.SCHEMA, Plan.VERSION, "plan");
        ModelConfig model = readModel(r, r.object(root, "$", "model"));
        int act = (int) r.integer(root, "$", "activations", 4, 8);
        int kv = (int) r.integer(root, "$", "kvBits", 4, 8);
        String recipe = r.string(root, "$", "recipe");
        String source = r.string(root, "$", "source");
        String tensorsFile = r.string(root, "$", "tensorsFile");
        if (!isPlainFileName(tensorsFile)) {
            throw r.error("$.tensorsFile", "\"" + tensorsFile + "\" must be a file name inside the plan directory (no '/', '\\' or '..')");
        }
        long tensorsSize = r.integer(root, "$", "tensorsSize", 0, Long.MAX_VALUE);
        JsonNode arr = r.array(root, "$", "tensors");
        List<TensorEntry> tensors = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) tensors.add(readTensor(r, arr.get(i), "$.tensors[" + i + "]"));
        return new Plan(Plan.SCHEMA, Plan.VERSION, model, act, kv, recipe, source, tensorsFile, tensorsSize, tensors);
    }

    static boolean isPlainFileName(String s) {
        return !s.isEmpty() && !s.contains("/") && !s.contains("\\") && !s.equals(".") && !s.equals("..")
                && !s.contains("\0") && !s.contains(":");
    }

    private static ModelConfig readModel(JsonReader r, JsonNode m) {
        String p = "$.model";
        r.onlyFields(m, p, MODEL);
        int max = 1 << 20;
        ModelConfig c = new ModelConfig((int) r.integer(m, p, "dim", 1, max), (int) r.integer(m, p, "hiddenDim", 1, max),
                (int) r.integer(m, p, "layers", 1, 1024), (int) r.integer(m, p, "heads", 1, 4096),
                (int) r.integer(m, p, "kvHeads", 1, 4096), (int) r.integer(m, p, "vocabSize", 1, 1 << 24),
                (int) r.integer(m, p, "seqLen", 1, 1 << 24), r.positiveNumber(m, p, "ropeTheta"),
                r.positiveNumber(m, p, "normEps"), r.bool(m, p, "tiedClassifier"));
        String problems = c.problems();
        if (!problems.isEmpty()) throw r.error(p, problems.substring(0, problems.length() - 2));
        Integer hs = r.optionalInteger(m, p, "headSize", 1, max);
        if (hs != null && hs != c.headSize()) throw r.error(p + ".headSize", "is " + hs + " but dim / heads = " + c.headSize());
        return c;
    }

    private static TensorEntry readTensor(JsonReader r, JsonNode t, String p) {
        if (!t.isObject()) throw r.error(p, "expected an object");
        t.fieldNames().forEachRemaining(f -> {
            if (RESERVED.contains(f)) throw r.error(p + "." + f, "is reserved for a later plan version; this bitweave does not support it");
        });
        r.onlyFields(t, p, TENSOR);
        String name = r.string(t, p, "name");
        JsonNode shapeNode = r.array(t, p, "shape");
        if (shapeNode.size() != 2) throw r.error(p + ".shape", "expected [rows, cols]");
        List<Integer> shape = List.of((int) r.integerValue(shapeNode.get(0), p + ".shape[0]", 1, Integer.MAX_VALUE),
                (int) r.integerValue(shapeNode.get(1), p + ".shape[1]", 1, Integer.MAX_VALUE));
        String format = r.string(t, p, "format");
        Blob codes = readBlob(r, t, p, "codes", true);
        if (TensorEntry.Q16.equals(format)) {
            // q16 has no bits, groups or scales: such fields on a norm vector are a mistake, not defaults
            t.fieldNames().forEachRemaining(f -> {
                if (!Q16_TENSOR.contains(f)) throw r.error(p + "." + f, "not used by a q16 tensor (it has only name, shape, format and codes)");
            });
            return new TensorEntry(name, shape, format, null, null, null, null, null, null, null, null, codes, null, null, null);
        }
        ElementFormat f = ElementFormat.parse(format);
        if (f == null) {
            throw r.error(p + ".format", "unknown format \"" + format + "\" (expected " + ElementFormat.validIds() + " or q16)");
        }
        int bits = (int) r.integer(t, p, "bits", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (f == ElementFormat.INT && (bits < 2 || bits > 8)) throw r.error(p + ".bits", bits + " is not a supported width (2..8)");
        if (f.isFloat() && bits != f.fixedBits()) throw r.error(p + ".bits", format + " has " + f.fixedBits() + " bits, not " + bits);
        Boolean symmetric = r.optionalBool(t, p, "symmetric");
        if (f == ElementFormat.INT && symmetric == null) throw r.error(p + ".symmetric", "missing (int tensors say true or false)");
        int groupSize = (int) r.integer(t, p, "groupSize", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (groupSize < 1) throw r.error(p + ".groupSize", groupSize + " must be at least 1");
        String encName = r.string(t, p, "scaleEncoding");
        ScaleEncoding enc = ScaleEncoding.parse(encName);
        if (enc == null) throw r.error(p + ".scaleEncoding", "unknown \"" + encName + "\" (expected " + ScaleEncoding.validIds() + ")");
        Integer scaleBits = enc.perGroupMultiplier() ? (int) r.integer(t, p, "scaleBits", 1, 16) : null;
        Integer tensorExp = enc == ScaleEncoding.MUL_SHIFT ? (int) r.integer(t, p, "tensorExponent", -128, 127) : null;
        Integer act = r.optionalInteger(t, p, "activationBits", 4, 8);
        ActivationPolicy policy = readPolicy(r, t, p);
        boolean asym = f == ElementFormat.INT && !symmetric;
        Blob scales = readBlob(r, t, p, "scales", enc.perGroupMultiplier());
        Blob exps = readBlob(r, t, p, "exponents", enc.perGroupExponent());
        Blob zeros = readBlob(r, t, p, "zeros", asym);
        return new TensorEntry(name, shape, format, bits, symmetric, groupSize, encName, scaleBits, tensorExp, act,
                policy, codes, scales, exps, zeros);
    }

    /** The low width must be below the tensor's width; that needs the plan default, so PlanReader checks it. */
    private static ActivationPolicy readPolicy(JsonReader r, JsonNode t, String p) {
        JsonNode a = t.get("activationPolicy");
        if (a == null || a.isNull()) return null;
        String ap = p + ".activationPolicy";
        if (!a.isObject()) throw r.error(ap, "expected {\"lowBits\": 4, \"peakToMeanQ8\": N}");
        r.onlyFields(a, ap, Set.of("lowBits", "peakToMeanQ8"));
        return new ActivationPolicy((int) r.integer(a, ap, "lowBits", 2, 7), (int) r.integer(a, ap, "peakToMeanQ8", 0, 0xFFFF));
    }

    private static Blob readBlob(JsonReader r, JsonNode t, String p, String field, boolean required) {
        JsonNode b = t.get(field);
        if (b == null || b.isNull()) {
            if (required) throw r.error(p + "." + field, "missing");
            return null;
        }
        if (!required) throw r.error(p + "." + field, "not used by this tensor's format and scale encoding");
        if (!b.isObject()) throw r.error(p + "." + field, "expected {\"offset\": N, \"size\": N}");
        String bp = p + "." + field;
        r.onlyFields(b, bp, Set.of("offset", "size"));
        long off = r.integer(b, bp, "offset", 0, Long.MAX_VALUE);
        if (off % Plan.ALIGNMENT != 0) throw r.error(bp + ".offset", off + " is not a multiple of " + Plan.ALIGNMENT);
        return new Blob(off, r.integer(b, bp, "size", 0, Long.MAX_VALUE));
    }
}
