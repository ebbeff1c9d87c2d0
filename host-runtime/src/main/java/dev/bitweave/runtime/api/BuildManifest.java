package dev.bitweave.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bitweave.runtime.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the runtime needs from a build's manifest.json (docs/manifest.md, schema
 * {@code bitweave.manifest} version 2): the board's bus and clock, the memory model's bandwidth,
 * the three images with their places and CRC-32s, the memory areas a decode step uses, and the
 * linear layers' plan bits (for the roofline). Reading checks what the runtime relies on: schema
 * and version, types and ranges, images inside the memory they are loaded to and where the
 * memory map puts them, 4 KiB-aligned areas, a program of whole 64-byte entries.
 */
public record BuildManifest(String boardName, double kernelClockMHz, int bus, double bytesPerCycle, List<Image> images,
                            Area weights, Area tables, Area program, Area stats, Area logits, Area kv, long memoryBytes,
                            long weightPlanBits, int params) {
    public static final String FILE = "manifest.json";
    public static final String SCHEMA = "bitweave.manifest";
    public static final int VERSION = 2;
    public static final String WEIGHTS_IMG = "weights.img";
    public static final String TABLES_IMG = "tables.img";
    public static final String PROGRAM_IMG = "program.img";
    /** Bytes of one program entry (docs/hardware.md). */
    public static final int ENTRY_BYTES = 64;
    static final List<String> AREAS = List.of("weights", "tables", "program", "scratch", "activation", "output", "stats",
            "logits", "kv");
    private static final long MAX_MEMORY = 1L << 40;

    /** One image: where it goes in board memory, its size and the CRC-32 (zlib's) of its bytes. */
    public record Image(String name, long base, long size, long crc32) {
    }

    /** A memory area: [base, base + size). */
    public record Area(long base, long size) {
        public long end() {
            return base + size;
        }
    }

    public BuildManifest {
        images = List.copyOf(images);
    }

    /** Program entries: program.img's size / 64. */
    public int programEntries() {
        return (int) (program.size() / ENTRY_BYTES);
    }

    /** Bytes of one stats slot: max(8, BUS/8) (docs/manifest.md). */
    public int statsSlotBytes() {
        return Math.max(8, bus / 8);
    }

    public Image image(String name) {
        return images.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no image " + name));
    }

    /** Reads and checks file; every problem is a BadInputException naming the file and JSON path. */
    public static BuildManifest read(Path file) {
        JsonFields.Root root = JsonFields.parse(file, "not a build directory; run ./bitweave compile");
        JsonFields f = root.fields();
        JsonNode r = root.node();
        String schema = f.string(r, "$", "schema");
        if (!schema.equals(SCHEMA)) throw f.error("$.schema", "is \"" + schema + "\", expected \"" + SCHEMA + "\"");
        int version = f.integer(r, "$", "version", 0, Integer.MAX_VALUE);
        if (version != VERSION) {
            throw f.error("$.version", "is " + version + ", this runtime reads version " + VERSION + " (recompile the build)");
        }
        JsonNode board = f.object(r, "$", "board");
        String boardName = f.string(board, "$.board", "name");
        double clock = f.number(board, "$.board", "kernelClockMHz", 0);
        JsonNode hw = f.object(r, "$", "hardware");
        int bus = f.integer(hw, "$.hardware", "bus", 32, 512);
        if (Integer.bitCount(bus) != 1) throw f.error("$.hardware.bus", bus + " is not a power of two");
        double bpc = f.number(f.object(r, "$", "estimate"), "$.estimate", "bytesPerCycle", 0);
        if (bpc > bus / 8.0) throw f.error("$.estimate.bytesPerCycle", bpc + " is above BUS/8 = " + bus / 8);
        // PARAMS as the design reports it (docs/hardware.md): BUS, and bit 16 + b per stored weight width b
        int params = bus;
        JsonNode modes = hw.get("modes");
        if (modes == null || !modes.isArray()) throw f.error("$.hardware.modes", "expected an array of weight widths");
        for (int i = 0; i < modes.size(); i++) {
            JsonNode m = modes.get(i);
            if (!m.isInt() || m.asInt() < 2 || m.asInt() > 8) throw f.error("$.hardware.modes[" + i + "]", m + " is not a width 2..8");
            params |= 1 << (16 + m.asInt());
        }

        JsonNode mem = f.object(r, "$", "memory");
        List<Area> areas = new ArrayList<>();
        long memoryBytes = 0;
        for (String name : AREAS) {
            String path = "$.memory." + name;
            JsonNode a = f.object(mem, "$.memory", name);
            long base = f.integer(a, path, "base", 0L, MAX_MEMORY);
            long size = f.integer(a, path, "size", 0L, MAX_MEMORY);
            if (base % 4096 != 0) throw f.error(path + ".base", base + " is not 4 KiB aligned");
            areas.add(new Area(base, size));
            memoryBytes = Math.max(memoryBytes, base + size);
        }
        Area weights = areas.get(0);
        Area tables = areas.get(1);
        Area program = areas.get(2);
        Area stats = areas.get(6);
        Area logits = areas.get(7);
        Area kv = areas.get(8);
        if (program.size() == 0 || program.size() % ENTRY_BYTES != 0) {
            throw f.error("$.memory.program.size", program.size() + " is not a whole number of " + ENTRY_BYTES + "-byte entries");
        }
        long slots = program.size() / ENTRY_BYTES * Math.max(8, bus / 8);
        if (stats.size() < slots) throw f.error("$.memory.stats.size", stats.size() + " is below one slot per entry (" + slots + ")");

        JsonNode imgs = f.array(r, "$", "images");
        List<String> names = List.of(WEIGHTS_IMG, TABLES_IMG, PROGRAM_IMG);
        List<Area> places = List.of(weights, tables, program);
        if (imgs.size() != names.size()) throw f.error("$.images", imgs.size() + " entries, expected " + names);
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String path = "$.images[" + i + "]";
            JsonNode o = imgs.get(i);
            if (!o.isObject()) throw f.error(path, "expected an object");
            String name = f.string(o, path, "name");
            if (!name.equals(names.get(i))) throw f.error(path + ".name", "is \"" + name + "\", expected \"" + names.get(i) + "\"");
            long base = f.integer(o, path, "base", 0L, MAX_MEMORY);
            long size = f.integer(o, path, "size", 0L, Integer.MAX_VALUE - 8L);
            long crc = f.integer(o, path, "crc32", 0L, 0xFFFF_FFFFL);
            Area place = places.get(i);
            if (base != place.base() || size != place.size()) {
                throw f.error(path, "[" + base + ", +" + size + ") differs from $.memory's area [" + place.base() + ", +"
                        + place.size() + ")");
            }
            images.add(new Image(name, base, size, crc));
        }
        long planBits = 0;
        JsonNode layers = f.array(r, "$", "layers");
        if (layers.isEmpty()) throw f.error("$.layers", "no layers");
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            if (!l.isObject()) throw f.error("$.layers[" + i + "]", "expected an object");
            planBits += f.integer(l, "$.layers[" + i + "]", "planBits", 1L, MAX_MEMORY * 8);
        }
        return new BuildManifest(boardName, clock, bus, bpc, images, weights, tables, program, stats, logits, kv, memoryBytes,
                planBits, params);
    }

    /** Checks the manifest against the model it runs: the logits area holds vocab int32 values. */
    void checkAgainst(ModelShape model, Path file) {
        if (logits.size() < 4L * model.vocabSize()) {
            throw BadInputException.inFile(file, "$.memory.logits.size: " + logits.size() + " bytes cannot hold "
                    + model.vocabSize() + " int32 logits (plan/plan.json's vocabSize)");
        }
    }
}
