package dev.bitweave.quantize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.quantize.mixed.MixedPrecision;
import dev.bitweave.quantize.mixed.MixedPrecisionReader;
import dev.bitweave.runtime.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Presets by name, or a recipe.json (docs/quantization.md): every field validated with its JSON
 * path.
 */
public final class RecipeReader {
    private static final Set<String> TOP = Set.of("name", "weights", "activations", "kvBits", "overrides", "keepPreQuantized",
            "activationAware", "lowRank", "formatChoice", "mixedPrecision", "salient", "adaptiveActivations");
    private static final Set<String> AWARE = Set.of("calibrationTokens", "seed");
    private static final Set<String> SPEC = Set.of("format", "bits", "symmetric", "groupSize", "scaleEncoding", "scaleBits", "activationBits");

    private RecipeReader() {
    }

    /** The presets, in the order `quantize --help` lists them. */
    public static Map<String, String> presets() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("w8a8", "{\"weights\":{\"format\":\"int\",\"bits\":8,\"symmetric\":true,\"groupSize\":0,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16}}");
        p.put("w8a4", "{\"weights\":{\"format\":\"int\",\"bits\":8,\"symmetric\":true,\"groupSize\":0,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"activations\":4}");
        p.put("w4a8-g32", "{\"weights\":{\"format\":\"int\",\"bits\":4,\"symmetric\":true,\"groupSize\":32,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16}}");
        p.put("w4a8-gse32", "{\"weights\":{\"format\":\"int\",\"bits\":4,\"symmetric\":true,\"groupSize\":32,\"scaleEncoding\":\"pow2\"}}");
        p.put("w3a8-g32", "{\"weights\":{\"format\":\"int\",\"bits\":3,\"symmetric\":false,\"groupSize\":32,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16}}");
        p.put("w2a8-g16", "{\"weights\":{\"format\":\"int\",\"bits\":2,\"symmetric\":false,\"groupSize\":16,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16}}");
        p.put("fp8a8", "{\"weights\":{\"format\":\"fp8-e4m3\",\"groupSize\":32,\"scaleEncoding\":\"pow2\"}}");
        p.put("awq-w4a8-g32", "{\"weights\":{\"format\":\"int\",\"bits\":4,\"symmetric\":true,\"groupSize\":32,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"activationAware\":{}}");
        p.put("awq-w3a8-g32", "{\"weights\":{\"format\":\"int\",\"bits\":3,\"symmetric\":false,\"groupSize\":32,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"activationAware\":{}}");
        p.put("awq-w2a8-g16", "{\"weights\":{\"format\":\"int\",\"bits\":2,\"symmetric\":false,\"groupSize\":16,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"activationAware\":{}}");
        p.put("w3a8-g32-lr8", "{\"weights\":{\"format\":\"int\",\"bits\":3,\"symmetric\":false,\"groupSize\":32,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"lowRank\":{\"rank\":8}}");
        p.put("w2a8-g16-lr8", "{\"weights\":{\"format\":\"int\",\"bits\":2,\"symmetric\":false,\"groupSize\":16,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"lowRank\":{\"rank\":8}}");
        p.put("fmt-w8a8", "{\"weights\":{\"format\":\"int\",\"bits\":8,\"symmetric\":true,\"groupSize\":32,\"scaleEncoding\":\"pow2\"},\"formatChoice\":{}}");
        p.put("fmt-w4a8-g32", "{\"weights\":{\"format\":\"int\",\"bits\":4,\"symmetric\":true,\"groupSize\":32,\"scaleEncoding\":\"pow2\"},\"formatChoice\":{}}");
        p.put("sal-w3a8-g32", "{\"weights\":{\"format\":\"int\",\"bits\":3,\"symmetric\":false,\"groupSize\":32,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"salient\":{\"fraction\":0.05}}");
        p.put("sal-w2a8-g16", "{\"weights\":{\"format\":\"int\",\"bits\":2,\"symmetric\":false,\"groupSize\":16,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"salient\":{\"fraction\":0.05}}");
        p.put("ada-w8a8", "{\"weights\":{\"format\":\"int\",\"bits\":8,\"symmetric\":true,\"groupSize\":0,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"adaptiveActivations\":{\"lowBits\":4,\"fraction\":0.5}}");
        p.put("ada-w4a8-g32", "{\"weights\":{\"format\":\"int\",\"bits\":4,\"symmetric\":true,\"groupSize\":32,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"adaptiveActivations\":{\"lowBits\":4,\"fraction\":0.5}}");
        p.put("mixed-3.0", MixedPrecisionReader.PRESET_3_0);
        p.put("mixed-2.5", MixedPrecisionReader.PRESET_2_5);
        p.put("native", "{\"weights\":{\"format\":\"int\",\"bits\":8,\"symmetric\":true,\"groupSize\":0,\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16},\"keepPreQuantized\":true}");
        return p;
    }

    /** A preset name, or the path of a recipe JSON file. */
    public static Recipe resolve(String presetOrFile) {
        String preset = presets().get(presetOrFile);
        if (preset != null) return parse(preset, presetOrFile, Path.of("preset:" + presetOrFile));
        Path file = Path.of(presetOrFile);
        if (!presetOrFile.endsWith(".json") && !Files.exists(file)) {
            throw new BadInputException("unknown recipe '" + presetOrFile + "': not a preset (" + String.join(", ", presets().keySet())
                    + ") and no such file");
        }
        try {
            return parse(Files.readString(file), file.getFileName().toString(), file);
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "recipe file not found");
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read: " + e.getMessage());
        }
    }

    static Recipe parse(String json, String defaultName, Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw BadInputException.inFile(file, "not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw err(file, "$", "expected a JSON object");
        only(file, root, "$", TOP);
        JsonNode w = root.get("weights");
        if (w == null || !w.isObject()) throw err(file, "$.weights", "missing (an object with format, bits, groupSize, scaleEncoding...)");
        only(file, w, "$.weights", SPEC);
        LayerSpec base = new LayerSpec(ElementFormat.INT, 8, true, 0, ScaleEncoding.MUL_SHIFT, 16, null);
        base = partial(file, w, "$.weights").apply(base);
        check(file, base, "$.weights");
        int act = (int) intField(file, root, "$", "activations", 8, 4, 8);
        int kv = (int) intField(file, root, "$", "kvBits", 8, 4, 8);
        List<Recipe.Override> overrides = new ArrayList<>();
        JsonNode ov = root.get("overrides");
        if (ov != null) {
            if (!ov.isArray()) throw err(file, "$.overrides", "expected an array");
            for (int i = 0; i < ov.size(); i++) {
                String p = "$.overrides[" + i + "]";
                JsonNode o = ov.get(i);
                if (!o.isObject()) throw err(file, p, "expected an object");
                Set<String> allowed = new java.util.HashSet<>(SPEC);
                allowed.add("match");
                only(file, o, p, allowed);
                JsonNode m = o.get("match");
                if (m == null || !m.isTextual() || m.asText().isEmpty()) throw err(file, p + ".match", "missing (a glob over tensor names, e.g. \"blk.*.ffn_*\")");
                UnaryOperator<LayerSpec> change = partial(file, o, p);
                check(file, change.apply(base), p);
                overrides.add(new Recipe.Override(m.asText(), Recipe.glob(m.asText()), change));
            }
        }
        JsonNode name = root.get("name");
        JsonNode keep = root.get("keepPreQuantized");
        if (keep != null && !keep.isBoolean()) throw err(file, "$.keepPreQuantized", "expected true or false");
        Recipe.ActivationAware aware = calibration(file, root, "activationAware");
        Recipe.ActivationAware formats = calibration(file, root, "formatChoice");
        if (aware != null && keep != null && keep.asBoolean()) {
            throw err(file, "$.activationAware", "cannot be combined with keepPreQuantized (kept tensors cannot take the scaling)");
        }
        Recipe.LowRank lowRank = null;
        JsonNode lr = root.get("lowRank");
        if (lr != null) {
            if (!lr.isObject()) throw err(file, "$.lowRank", "expected an object such as {\"rank\": 8}");
            only(file, lr, "$.lowRank", Set.of("rank"));
            if (!lr.has("rank")) throw err(file, "$.lowRank.rank", "missing (the rank r of the correction A B)");
            lowRank = new Recipe.LowRank((int) intField(file, lr, "$.lowRank", "rank", 0, 1, 256));
        }
        MixedPrecision mixed = MixedPrecisionReader.read(file, root, base, keep != null && keep.asBoolean());
        Recipe.Salient salient = null;
        JsonNode sal = root.get("salient");
        if (sal != null) {
            if (!sal.isObject()) throw err(file, "$.salient", "expected an object such as {\"fraction\": 0.05}");
            only(file, sal, "$.salient", Set.of("fraction", "calibrationTokens", "seed"));
            double f = 0.01;
            if (sal.has("fraction")) {
                JsonNode fn = sal.get("fraction");
                if (!fn.isNumber() || !(fn.asDouble() > 0 && fn.asDouble() <= 0.5)) {
                    throw err(file, "$.salient.fraction", fn + " is not a share in (0, 0.5]");
                }
                f = fn.asDouble();
            }
            salient = new Recipe.Salient(f, (int) intField(file, sal, "$.salient", "calibrationTokens", 256, 16, 1 << 16),
                    intField(file, sal, "$.salient", "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE));
            if (keep != null && keep.asBoolean()) throw err(file, "$.salient", "cannot be combined with keepPreQuantized");
        }
        Recipe.AdaptiveActivations adaptive = adaptive(file, root, act);
        return new Recipe(name != null && name.isTextual() ? name.asText() : defaultName, base, act, kv, overrides,
                keep != null && keep.asBoolean(), aware, lowRank, formats, mixed, salient, adaptive);
    }

    private static Recipe.AdaptiveActivations adaptive(Path file, JsonNode root, int act) {
        JsonNode a = root.get("adaptiveActivations");
        if (a == null) return null;
        String p = "$.adaptiveActivations";
        if (!a.isObject()) throw err(file, p, "expected an object such as {\"lowBits\": 4, \"fraction\": 0.5}");
        only(file, a, p, Set.of("lowBits", "fraction", "calibrationTokens", "seed"));
        int low = (int) intField(file, a, p, "lowBits", 4, 2, 7);
        if (low >= act) throw err(file, p + ".lowBits", low + " must be below the activation width " + act);
        double f = 0.5;
        if (a.has("fraction")) {
            JsonNode fn = a.get("fraction");
            if (!fn.isNumber() || !(fn.asDouble() >= 0 && fn.asDouble() <= 1)) throw err(file, p + ".fraction", fn + " is not a share in [0, 1]");
            f = fn.asDouble();
        }
        return new Recipe.AdaptiveActivations(low, f, (int) intField(file, a, p, "calibrationTokens", 256, 16, 1 << 16),
                intField(file, a, p, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private static Recipe.ActivationAware calibration(Path file, JsonNode root, String field) {
        JsonNode aw = root.get(field);
        if (aw == null) return null;
        String p = "$." + field;
        if (!aw.isObject()) throw err(file, p, "expected an object ({} for the defaults)");
        only(file, aw, p, AWARE);
        return new Recipe.ActivationAware((int) intField(file, aw, p, "calibrationTokens", 256, 16, 1 << 16),
                intField(file, aw, p, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private static UnaryOperator<LayerSpec> partial(Path file, JsonNode o, String p) {
        ElementFormat format = null;
        if (o.has("format")) {
            format = ElementFormat.parse(o.get("format").asText());
            if (format == null || !o.get("format").isTextual()) {
                throw err(file, p + ".format", "unknown format " + o.get("format") + " (expected " + ElementFormat.validIds() + ")");
            }
        }
        ScaleEncoding enc = null;
        if (o.has("scaleEncoding")) {
            enc = ScaleEncoding.parse(o.get("scaleEncoding").asText());
            if (enc == null || !o.get("scaleEncoding").isTextual()) {
                throw err(file, p + ".scaleEncoding", "unknown " + o.get("scaleEncoding") + " (expected " + ScaleEncoding.validIds() + ")");
            }
        }
        Integer bits = o.has("bits") ? (int) intField(file, o, p, "bits", 0, 2, 8) : null;
        Integer group = o.has("groupSize") ? (int) intField(file, o, p, "groupSize", 0, 0, 1 << 20) : null;
        Integer scaleBits = o.has("scaleBits") ? (int) intField(file, o, p, "scaleBits", 0, 2, 16) : null;
        Integer act = o.has("activationBits") ? (int) intField(file, o, p, "activationBits", 0, 4, 8) : null;
        Boolean sym = null;
        if (o.has("symmetric")) {
            if (!o.get("symmetric").isBoolean()) throw err(file, p + ".symmetric", "expected true or false");
            sym = o.get("symmetric").asBoolean();
        }
        final ElementFormat f = format;
        final ScaleEncoding e = enc;
        final Boolean s = sym;
        return b -> {
            ElementFormat nf = f != null ? f : b.format();
            int nb = bits != null ? bits : nf.isFloat() ? nf.fixedBits() : b.format().isFloat() ? 8 : b.bits();
            return new LayerSpec(nf, nb, s != null ? s : b.symmetric(), group != null ? group : b.groupSize(),
                    e != null ? e : b.scaleEncoding(), scaleBits != null ? scaleBits : b.scaleBits(),
                    act != null ? act : b.activationBits());
        };
    }

    private static void check(Path file, LayerSpec s, String p) {
        if (s.format().isFloat() && s.bits() != s.format().fixedBits()) {
            throw err(file, p + ".bits", s.format().id() + " has " + s.format().fixedBits() + " bits, not " + s.bits());
        }
    }

    private static long intField(Path file, JsonNode o, String p, String f, long dflt, long min, long max) {
        JsonNode n = o.get(f);
        if (n == null) return dflt;
        if (!n.isIntegralNumber()) throw err(file, p + "." + f, "expected an integer, got " + n);
        long v = n.asLong();
        if (v < min || v > max) throw err(file, p + "." + f, v + " is out of range [" + min + ", " + max + "]"
                + ("bits".equals(f) ? " (supported widths are 2..8)" : "groupSize".equals(f) ? " (0 means one group per row)" : ""));
        return v;
    }

    private static void only(Path file, JsonNode o, String p, Set<String> allowed) {
        o.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) throw err(file, p + "." + f, "unknown field (expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        });
    }

    private static BadInputException err(Path file, String path, String problem) {
        return BadInputException.inFile(file, path + ": " + problem);
    }
}
