package dev.bitweave.pack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bitweave.numerics.ElementFormat;
import dev.bitweave.numerics.ScaleEncoding;
import dev.bitweave.numerics.WeightSpec;
import dev.bitweave.plan.JsonReader;
import dev.bitweave.runtime.BadInputException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * manifest.json to and from {@link Manifest}. Writing is deterministic (fixed field order). Reading
 * checks types, ranges and every derived figure: layouts are recomputed from each layer's shape and
 * format and must match, regions must tile weights.img in order, and the images must sit where the
 * memory map says; the first problem is reported with its JSON path.
 */
public final class ManifestJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> TOP = Set.of("schema", "version", "board", "hardware", "estimate", "images", "memory", "layers");
    private static final Set<String> BOARD = Set.of("name", "part", "busWidthBits", "kernelClockMHz");
    private static final Set<String> HARDWARE = Set.of("bus", "modes", "maxCols", "scaleBits");
    private static final Set<String> ESTIMATE = Set.of("bytesPerCycle", "fixedCycles", "method");
    private static final Set<String> IMAGE = Set.of("name", "base", "size", "crc32");
    private static final List<String> AREAS = List.of("weights", "tables", "program", "scratch", "activation", "output", "stats",
            "logits", "kv");
    private static final Set<String> AREA = Set.of("base", "size");
    private static final Set<String> LAYER = Set.of("name", "address", "size", "rows", "cols", "format", "bits", "b", "symmetric",
            "scaleEncoding", "groupSize", "perChannel", "cb", "r", "eRow", "entryBits", "n", "s", "blocks", "imageBeats",
            "eMin", "tensorExponent", "hasM", "hasE", "hasZ", "planBits", "rooflineCycles", "expectedCycles");

    private ManifestJson() {
    }

    public static byte[] write(Manifest m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", m.schema());
        root.put("version", m.version());
        ObjectNode b = root.putObject("board");
        b.put("name", m.board().name());
        b.put("part", m.board().part());
        b.put("busWidthBits", m.board().busWidthBits());
        b.put("kernelClockMHz", m.board().kernelClockMHz());
        ObjectNode hw = root.putObject("hardware");
        hw.put("bus", m.hardware().bus());
        ArrayNode modes = hw.putArray("modes");
        m.hardware().modes().forEach(modes::add);
        hw.put("maxCols", m.hardware().maxCols());
        hw.put("scaleBits", m.hardware().scaleBits());
        ObjectNode est = root.putObject("estimate");
        est.put("bytesPerCycle", m.estimate().bytesPerCycle());
        est.put("fixedCycles", m.estimate().fixedCycles());
        est.put("method", CycleEstimate.METHOD);
        ArrayNode images = root.putArray("images");
        for (Manifest.Image i : m.images()) {
            ObjectNode o = images.addObject();
            o.put("name", i.name());
            o.put("base", i.base());
            o.put("size", i.size());
            o.put("crc32", i.crc32());
        }
        ObjectNode mem = root.putObject("memory");
        List<MemoryMap.Area> areas = areas(m.memory());
        for (int k = 0; k < AREAS.size(); k++) {
            ObjectNode o = mem.putObject(AREAS.get(k));
            o.put("base", areas.get(k).base());
            o.put("size", areas.get(k).size());
        }
        ArrayNode layers = root.putArray("layers");
        for (Manifest.Layer l : m.layers()) writeLayer(layers.addObject(), l);
        try {
            return (MAPPER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeLayer(ObjectNode o, Manifest.Layer layer) {
        LinearLayout l = layer.layout();
        o.put("name", layer.name());
        o.put("address", layer.address());
        o.put("size", layer.size());
        o.put("rows", l.rows());
        o.put("cols", l.cols());
        o.put("format", l.format().id());
        o.put("bits", l.bits());
        o.put("b", l.b());
        o.put("symmetric", l.symmetric());
        o.put("scaleEncoding", l.scaleEncoding().id());
        o.put("groupSize", l.groupSize());
        o.put("perChannel", l.perChannel());
        o.put("cb", l.cb());
        o.put("r", l.r());
        o.put("eRow", l.eRow());
        o.put("entryBits", l.entryBits());
        o.put("n", l.n());
        o.put("s", l.s());
        o.put("blocks", l.blocks());
        o.put("imageBeats", l.imageBeats());
        o.put("eMin", l.eMin());
        o.put("tensorExponent", l.tensorExponent());
        o.put("hasM", l.hasM());
        o.put("hasE", l.hasE());
        o.put("hasZ", l.hasZ());
        o.put("planBits", l.planBits());
        o.put("rooflineCycles", l.rooflineCycles());
        o.put("expectedCycles", layer.expectedCycles());
    }

    private static List<MemoryMap.Area> areas(MemoryMap m) {
        return List.of(m.weights(), m.tables(), m.program(), m.scratch(), m.activation(), m.output(), m.stats(), m.logits(), m.kv());
    }

    public static Manifest read(Path file) {
        JsonNode root = JsonReader.readObject(file, MAPPER);
        JsonReader r = new JsonReader(file);
        r.onlyFields(root, "$", TOP);
        r.requireSchema(root, Manifest.SCHEMA, Manifest.VERSION, "manifest");
        Manifest.BoardInfo board = readBoard(r, r.object(root, "$", "board"));
        HardwareParams hw = readHardware(r, r.object(root, "$", "hardware"), board);
        CycleEstimate est = readEstimate(r, r.object(root, "$", "estimate"), hw);
        MemoryMap mem = readMemory(r, r.object(root, "$", "memory"));
        List<Manifest.Image> images = readImages(r, r.array(root, "$", "images"), mem);
        List<Manifest.Layer> layers = readLayers(r, r.array(root, "$", "layers"), hw, est, mem);
        return new Manifest(Manifest.SCHEMA, Manifest.VERSION, board, hw, est, images, mem, layers);
    }

    private static Manifest.BoardInfo readBoard(JsonReader r, JsonNode b) {
        String p = "$.board";
        r.onlyFields(b, p, BOARD);
        return new Manifest.BoardInfo(r.string(b, p, "name"), r.string(b, p, "part"),
                (int) r.integer(b, p, "busWidthBits", 1, Integer.MAX_VALUE), r.positiveNumber(b, p, "kernelClockMHz"));
    }

    private static HardwareParams readHardware(JsonReader r, JsonNode h, Manifest.BoardInfo board) {
        String p = "$.hardware";
        r.onlyFields(h, p, HARDWARE);
        int bus = (int) r.integer(h, p, "bus", Compatibility.MIN_BUS, Compatibility.MAX_BUS);
        if (Integer.bitCount(bus) != 1) throw r.error(p + ".bus", bus + " is not a power of two");
        if (bus != board.busWidthBits()) throw r.error(p + ".bus", bus + " differs from $.board.busWidthBits " + board.busWidthBits());
        JsonNode arr = r.array(h, p, "modes");
        if (arr.isEmpty()) throw r.error(p + ".modes", "expected at least one weight width");
        List<Integer> modes = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            int w = (int) r.integerValue(arr.get(i), p + ".modes[" + i + "]", 2, 8);
            if (w != 2 && w != 3 && w != 4 && w != 8) throw r.error(p + ".modes[" + i + "]", w + " is not a mode of this hardware (2, 3, 4, 8)");
            if (i > 0 && w <= modes.get(i - 1)) throw r.error(p + ".modes[" + i + "]", "modes must be strictly ascending");
            modes.add(w);
        }
        int maxCols = (int) r.integer(h, p, "maxCols", 1, Integer.MAX_VALUE);
        int widest = HardwareParams.widestBeat(bus, modes);
        if (maxCols % widest != 0) {
            throw r.error(p + ".maxCols", maxCols + " is not a multiple of the widest code beat (" + widest + " codes)");
        }
        int scaleBits = (int) r.integer(h, p, "scaleBits", (long) HardwareParams.MIN_SCALE_BEATS * bus, Integer.MAX_VALUE);
        if (scaleBits % bus != 0) throw r.error(p + ".scaleBits", scaleBits + " is not a multiple of BUS " + bus);
        return new HardwareParams(bus, modes, maxCols, scaleBits);
    }

    private static CycleEstimate readEstimate(JsonReader r, JsonNode e, HardwareParams hw) {
        String p = "$.estimate";
        r.onlyFields(e, p, ESTIMATE);
        double bpc = r.positiveNumber(e, p, "bytesPerCycle");
        if (bpc > hw.beatBytes()) throw r.error(p + ".bytesPerCycle", bpc + " exceeds one beat (" + hw.beatBytes() + " bytes)");
        int fixed = (int) r.integer(e, p, "fixedCycles", 0, Integer.MAX_VALUE);
        r.string(e, p, "method");
        return new CycleEstimate(bpc, fixed);
    }

    private static MemoryMap readMemory(JsonReader r, JsonNode m) {
        String p = "$.memory";
        r.onlyFields(m, p, Set.copyOf(AREAS));
        List<MemoryMap.Area> a = new ArrayList<>();
        for (String name : AREAS) {
            JsonNode o = r.object(m, p, name);
            String ap = p + "." + name;
            r.onlyFields(o, ap, AREA);
            long base = r.integer(o, ap, "base", 0, 1L << 48);
            long size = r.integer(o, ap, "size", 0, 1L << 48);
            if (base % MemoryMap.PAGE != 0) throw r.error(ap + ".base", base + " is not on a " + MemoryMap.PAGE + "-byte page");
            a.add(new MemoryMap.Area(base, size));
        }
        MemoryMap mm = new MemoryMap(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4), a.get(5), a.get(6), a.get(7), a.get(8));
        if (mm.weights().base() != 0) throw r.error(p + ".weights.base", "weights.img sits at address 0");
        if (mm.tables().base() < mm.weights().end()) throw r.error(p + ".tables.base", "overlaps the weights");
        if (mm.program().base() < mm.tables().end()) throw r.error(p + ".program.base", "overlaps the tables");
        if (mm.scratch().base() < mm.program().end()) throw r.error(p + ".scratch.base", "overlaps the program");
        MemoryMap.Area prev = null;
        for (int k = 4; k < AREAS.size(); k++) {
            MemoryMap.Area x = a.get(k);
            String ap = p + "." + AREAS.get(k);
            if (x.base() < mm.scratch().base() || x.end() > mm.scratch().end()) throw r.error(ap, "lies outside the scratch area");
            if (prev != null && x.base() < prev.end()) throw r.error(ap + ".base", "overlaps " + AREAS.get(k - 1));
            prev = x;
        }
        return mm;
    }

    private static List<Manifest.Image> readImages(JsonReader r, JsonNode arr, MemoryMap mem) {
        List<String> names = List.of(Manifest.WEIGHTS_IMG, Manifest.TABLES_IMG, Manifest.PROGRAM_IMG);
        List<MemoryMap.Area> at = List.of(mem.weights(), mem.tables(), mem.program());
        if (arr.size() != names.size()) throw r.error("$.images", "expected " + names);
        List<Manifest.Image> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String p = "$.images[" + i + "]";
            JsonNode o = arr.get(i);
            if (!o.isObject()) throw r.error(p, "expected an object");
            r.onlyFields(o, p, IMAGE);
            String name = r.string(o, p, "name");
            if (!name.equals(names.get(i))) throw r.error(p + ".name", "expected \"" + names.get(i) + "\", got \"" + name + "\"");
            long base = r.integer(o, p, "base", 0, 1L << 48);
            long size = r.integer(o, p, "size", 0, 1L << 48);
            if (base != at.get(i).base() || size != at.get(i).size()) {
                throw r.error(p, "base " + base + " and size " + size + " differ from the memory map's " + at.get(i));
            }
            out.add(new Manifest.Image(name, base, size, r.integer(o, p, "crc32", 0, 0xFFFF_FFFFL)));
        }
        return out;
    }

    private static List<Manifest.Layer> readLayers(JsonReader r, JsonNode arr, HardwareParams hw, CycleEstimate est,
                                                   MemoryMap mem) {
        List<Manifest.Layer> out = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < arr.size(); i++) {
            String p = "$.layers[" + i + "]";
            JsonNode o = arr.get(i);
            if (!o.isObject()) throw r.error(p, "expected an object");
            r.onlyFields(o, p, LAYER);
            Manifest.Layer layer = readLayer(r, o, p, hw, est);
            if (layer.address() != next) throw r.error(p + ".address", layer.address() + ", but the previous region ends at " + next);
            next = layer.address() + layer.size();
            out.add(layer);
        }
        if (next != mem.weights().size()) {
            throw r.error("$.layers", "regions cover " + next + " bytes, but weights.img has " + mem.weights().size());
        }
        if (mem.program().size() == 0 || mem.program().size() % ProgramImage.ENTRY_BYTES != 0) {
            throw r.error("$.memory.program.size", mem.program().size() + " is not a whole, non-zero number of "
                    + ProgramImage.ENTRY_BYTES + "-byte entries");
        }
        return out;
    }

    private static Manifest.Layer readLayer(JsonReader r, JsonNode o, String p, HardwareParams hw, CycleEstimate est) {
        String name = r.string(o, p, "name");
        long address = r.integer(o, p, "address", 0, 1L << 48);
        long size = r.integer(o, p, "size", 0, 1L << 48);
        int rows = (int) r.integer(o, p, "rows", 1, Integer.MAX_VALUE);
        int cols = (int) r.integer(o, p, "cols", 1, Integer.MAX_VALUE);
        String formatName = r.string(o, p, "format");
        ElementFormat format = ElementFormat.parse(formatName);
        if (format == null) throw r.error(p + ".format", "unknown \"" + formatName + "\" (expected " + ElementFormat.validIds() + ")");
        int bits = (int) r.integer(o, p, "bits", 2, 8);
        boolean sym = r.bool(o, p, "symmetric");
        String encName = r.string(o, p, "scaleEncoding");
        ScaleEncoding enc = ScaleEncoding.parse(encName);
        if (enc == null) throw r.error(p + ".scaleEncoding", "unknown \"" + encName + "\" (expected " + ScaleEncoding.validIds() + ")");
        int group = (int) r.integer(o, p, "groupSize", 1, Integer.MAX_VALUE);
        int eMin = (int) r.integer(o, p, "eMin", -128, 127);
        int tensorExp = (int) r.integer(o, p, "tensorExponent", -128, 127);
        LinearShape shape = new LinearShape(name, rows, cols,
                new WeightSpec(format, bits, sym || format.isFloat(), group, enc, enc.perGroupMultiplier() ? 16 : 0), eMin, tensorExp);
        LinearLayout l;
        try {
            Compatibility.checkTensor(shape);
            l = hw.layout(shape);
        } catch (BadInputException | IllegalArgumentException e) {
            throw r.error(p, e.getMessage());
        }
        if (!hw.modes().contains(l.b())) throw r.error(p + ".bits", "stored width " + l.b() + " is not in $.hardware.modes " + hw.modes());
        if (cols > hw.maxCols()) throw r.error(p + ".cols", cols + " exceeds $.hardware.maxCols " + hw.maxCols());
        if (address % hw.beatBytes() != 0) throw r.error(p + ".address", address + " is not on a BUS boundary");
        expect(r, o, p, "size", l.regionBytes());
        expect(r, o, p, "b", l.b());
        expect(r, o, p, "groupSize", l.groupSize());
        expect(r, o, p, "cb", l.cb());
        expect(r, o, p, "r", l.r());
        expect(r, o, p, "eRow", l.eRow());
        expect(r, o, p, "entryBits", l.entryBits());
        expect(r, o, p, "n", l.n());
        expect(r, o, p, "s", l.s());
        expect(r, o, p, "blocks", l.blocks());
        expect(r, o, p, "imageBeats", l.imageBeats());
        expect(r, o, p, "planBits", l.planBits());
        expect(r, o, p, "rooflineCycles", l.rooflineCycles());
        expect(r, o, p, "expectedCycles", est.expectedCycles(l));
        expectFlag(r, o, p, "perChannel", l.perChannel());
        expectFlag(r, o, p, "hasM", l.hasM());
        expectFlag(r, o, p, "hasE", l.hasE());
        expectFlag(r, o, p, "hasZ", l.hasZ());
        if (!enc.perGroupExponent() && eMin != tensorExp) {
            throw r.error(p + ".eMin", eMin + ", but a " + enc.id() + " tensor's only exponent is tensorExponent " + tensorExp);
        }
        return new Manifest.Layer(name, address, size, l, est.expectedCycles(l));
    }

    private static void expect(JsonReader r, JsonNode o, String p, String field, long derived) {
        long v = r.integer(o, p, field, Long.MIN_VALUE, Long.MAX_VALUE);
        if (v != derived) throw r.error(p + "." + field, v + ", but the layer's shape and format at these hardware parameters give " + derived);
    }

    private static void expectFlag(JsonReader r, JsonNode o, String p, String field, boolean derived) {
        boolean v = r.bool(o, p, field);
        if (v != derived) throw r.error(p + "." + field, v + ", but the layer's format gives " + derived);
    }
}
