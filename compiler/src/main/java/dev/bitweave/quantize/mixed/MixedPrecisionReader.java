package dev.bitweave.quantize.mixed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.quantize.LayerSpec;
import dev.bitweave.runtime.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The {@code mixedPrecision} object of a recipe.json, every field validated with its JSON path. */
public final class MixedPrecisionReader {
    /**
     * Base spec of the mixed presets: asymmetric int, one group per row (per channel), 16-bit
     * multipliers. Of the bases measured on stories260K (docs/quantization.md) it lost least at
     * 3.0 and 2.5 packed bits: per-channel scale fields cost 24 / cols bits per weight, which
     * leaves the most of the budget to the codes.
     */
    private static final String BASE = "\"weights\":{\"format\":\"int\",\"bits\":4,\"symmetric\":false,\"groupSize\":0,"
            + "\"scaleEncoding\":\"mul-shift\",\"scaleBits\":16}";
    public static final String PRESET_3_0 = "{" + BASE + ",\"mixedPrecision\":{\"targetBits\":3.0}}";
    public static final String PRESET_2_5 = "{" + BASE + ",\"mixedPrecision\":{\"targetBits\":2.5}}";

    private static final Set<String> FIELDS = Set.of("targetBits", "candidates", "calibration");
    private static final Set<String> CALIBRATION = Set.of("positions", "temperature", "seed");
    private static final String P = "$.mixedPrecision";

    private MixedPrecisionReader() {
    }

    /** @return null when the recipe has no mixedPrecision */
    public static MixedPrecision read(Path file, JsonNode root, LayerSpec base, boolean keepPreQuantized) {
        JsonNode m = root.get("mixedPrecision");
        if (m == null) return null;
        if (!m.isObject()) throw err(file, P, "expected an object with targetBits (and optionally candidates, calibration)");
        only(file, m, P, FIELDS);
        if (keepPreQuantized) throw err(file, P, "cannot be combined with keepPreQuantized (pre-quantized tensors keep their widths)");
        if (base.format() != ElementFormat.INT) {
            throw err(file, P, "the base weights are " + base.format().id() + "; mixed precision chooses int widths (set $.weights.format to int)");
        }
        JsonNode t = m.get("targetBits");
        if (t == null) throw err(file, P + ".targetBits", "missing (average bits per weight as packed, e.g. 3.0)");
        if (!t.isNumber() || !(t.asDouble() > 0 && t.asDouble() <= 16)) {
            throw err(file, P + ".targetBits", "expected a number in (0, 16], got " + t);
        }
        List<Integer> candidates = candidates(file, m.get("candidates"));
        MixedPrecision.Calibration cal = calibration(file, m.get("calibration"));
        return new MixedPrecision(t.asDouble(), candidates, cal);
    }

    private static List<Integer> candidates(Path file, JsonNode c) {
        if (c == null) return MixedPrecision.HARDWARE_WIDTHS;
        String p = P + ".candidates";
        if (!c.isArray() || c.isEmpty()) throw err(file, p, "expected a non-empty array of widths from " + MixedPrecision.HARDWARE_WIDTHS);
        TreeSet<Integer> widths = new TreeSet<>();
        for (int i = 0; i < c.size(); i++) {
            JsonNode w = c.get(i);
            if (!w.isIntegralNumber() || !MixedPrecision.HARDWARE_WIDTHS.contains(w.asInt())) {
                throw err(file, p + "[" + i + "]", w + " is not a width the hardware runs " + MixedPrecision.HARDWARE_WIDTHS);
            }
            if (!widths.add(w.asInt())) throw err(file, p + "[" + i + "]", w + " is listed twice");
        }
        return List.copyOf(new ArrayList<>(widths));
    }

    private static MixedPrecision.Calibration calibration(Path file, JsonNode c) {
        MixedPrecision.Calibration d = MixedPrecision.Calibration.DEFAULT;
        if (c == null) return d;
        String p = P + ".calibration";
        if (!c.isObject()) throw err(file, p, "expected an object with positions, temperature, seed");
        only(file, c, p, CALIBRATION);
        int positions = d.positions();
        if (c.has("positions")) {
            JsonNode n = c.get("positions");
            if (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > 1 << 20) {
                throw err(file, p + ".positions", "expected an integer in [1, 1048576], got " + n);
            }
            positions = n.asInt();
        }
        float temperature = d.temperature();
        if (c.has("temperature")) {
            JsonNode n = c.get("temperature");
            if (!n.isNumber() || !(n.asDouble() >= 0 && n.asDouble() <= 10)) {
                throw err(file, p + ".temperature", "expected a number in [0, 10] (0 = greedy), got " + n);
            }
            temperature = (float) n.asDouble();
        }
        long seed = d.seed();
        if (c.has("seed")) {
            JsonNode n = c.get("seed");
            if (!n.isIntegralNumber() || n.asLong() < 1) {
                throw err(file, p + ".seed", "expected a positive integer (0 would seed from the clock), got " + n);
            }
            seed = n.asLong();
        }
        return new MixedPrecision.Calibration(positions, temperature, seed);
    }

    private static void only(Path file, JsonNode o, String p, Set<String> allowed) {
        o.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) throw err(file, p + "." + f, "unknown field (expected one of " + String.join(", ", new TreeSet<>(allowed)) + ")");
        });
    }

    private static BadInputException err(Path file, String path, String problem) {
        return BadInputException.inFile(file, path + ": " + problem);
    }
}
