package dev.bitweave.backend.hls;

import dev.bitweave.backend.rtl.ArrayShape;
import dev.bitweave.backend.rtl.DecoderShape;
import dev.bitweave.model.ModelConfig;
import dev.bitweave.numerics.IntExp;
import dev.bitweave.numerics.IntRmsNorm;
import dev.bitweave.pack.Manifest;
import dev.bitweave.pack.MemoryMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the HLS templates print, decided here: the modes of the lane array, the widths of the
 * linear datapath, buffer sizes (the same as the RTL's, so both run the same programs), the
 * register map, and the build's memory map for the test bench.
 *
 * @param array    the lane array the build's RTL has (overlay included)
 * @param decoder  the decoder units' limits
 * @param manifest the build's images and memory map (manifest.json), for the test bench
 * @param model    the model's shape (vocabulary, positions), for the test bench
 */
public record HlsModel(ArrayShape array, DecoderShape decoder, Manifest manifest, ModelConfig model) {
    /** The top function: another tool's scripts (run_hls.tcl, v++ configs) bind to this name. */
    public static final String TOP = "bitweave_kernel";
    /** Entries a cached program may have (PROG_LEN), as in the RTL. */
    static final int PROGRAM_CAPACITY = 512;

    /** One weight width of the lane array: lanes = codes per (lo) beat, levels of the quad tree. */
    public record Mode(int bits, int lanes, int log2Lanes, int levels) {
    }

    /**
     * Inputs at the RTL's offsets (docs/hardware.md). Outputs move above the RTL's map: Vitis puts
     * an ap_vld register after each output, which would land on the RTL's next register.
     */
    public static final List<HlsRegister> INPUTS = List.of(
            new HlsRegister("prog_lo", 0x10, "PROG_LO: program base address, low 32 bits"),
            new HlsRegister("prog_hi", 0x14, "PROG_HI"),
            new HlsRegister("stats_lo", 0x18, "STATS_LO: stats base address (csim writes 0 cycles)"),
            new HlsRegister("stats_hi", 0x1C, "STATS_HI"),
            new HlsRegister("token", 0x30, "TOKEN"),
            new HlsRegister("pos", 0x34, "POS"),
            new HlsRegister("prog_len", 0x40, "PROG_LEN"),
            new HlsRegister("mem_base_lo", 0x44, "MEM_BASE_LO: added to every address"),
            new HlsRegister("mem_base_hi", 0x48, "MEM_BASE_HI"));
    public static final List<HlsRegister> OUTPUTS = List.of(
            new HlsRegister("pc", 0x50, "PC (RTL 0x20)"),
            new HlsRegister("error", 0x58, "ERROR (RTL 0x24)"),
            new HlsRegister("argmax", 0x60, "ARGMAX (RTL 0x38)"),
            new HlsRegister("argmax_value", 0x68, "ARGMAX_VALUE (RTL 0x3C)"));
    public static final List<HlsPort> PORTS = List.of(
            new HlsPort("wmem", "gmem_w", 0x80, "weight streams (LINEAR)"),
            new HlsPort("kvmem", "gmem_kv", 0x90, "KV cache reads and writes"),
            new HlsPort("iomem", "gmem_io", 0xA0, "program, stats, tables, vectors, logits"));

    static int log2(int v) {
        if (Integer.bitCount(v) != 1) throw new IllegalArgumentException(v + " is not a power of two");
        return Integer.numberOfTrailingZeros(v);
    }

    public List<Mode> modes() {
        List<Mode> out = new ArrayList<>();
        for (int b : array.widths()) {
            int lanes = array.lanes(b);
            out.add(new Mode(b, lanes, log2(lanes), log2(lanes / 4) + 1));
        }
        return out;
    }

    /** ACT codes: whole words of the narrowest mode's lanes covering MAX_COLS, as the RTL's buffer. */
    public int actCodes() {
        int cmax = array.maxLanes();
        return Math.max(2, (array.maxCols() + cmax - 1) / cmax) * cmax;
    }

    /** VRF words: the decoder's, or more when the tallest linear layer needs them (as the RTL). */
    public int vrfWords() {
        int perRow = array.bus() / 32;
        int outWords = Math.max(2, (array.maxRows() + perRow - 1) / perRow);
        return Math.max(decoder.vrfWords(), Integer.highestOneBit(Math.max(2, outWords * perRow - 1)) << 1);
    }

    /** Bits of w(code) - z: 19 for fp8-e4m3 (up to 229,376), else 9 (an asymmetric 8-bit code minus its zero point). */
    public int weightValueBits() {
        return array.fp8() ? 19 : 9;
    }

    public Map<String, Object> templateModel() {
        int bus = array.bus();
        MemoryMap memory = manifest.memory();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("top", CppIdentifier.require("top function", TOP));
        m.put("bus", bus);
        m.put("beatBytes", bus / 8);
        m.put("rowWords", bus / 32);
        m.put("modes", modes());
        int mask = 0;
        for (int b : array.widths()) mask |= 1 << b; // PARAMS bit 16 + b (docs/hardware.md)
        m.put("paramsMask", mask);
        m.put("hasFp4", array.fp4());
        m.put("hasFp8", array.fp8());
        m.put("adaptiveActivations", decoder.adaptiveActivations());
        m.put("packed", array.packedLanes());
        int wval = weightValueBits();
        m.put("wvalBits", wval);
        m.put("prodBits", 8 + wval);
        m.put("treeBits", 8 + wval + log2(array.maxLanes()));
        m.put("accBits", Math.max(2, array.accBits()));
        m.put("vrfWords", vrfWords());
        int act = actCodes();
        m.put("actCodes", act);
        m.put("actPartition", array.maxLanes());
        m.put("scaleBeats", array.scaleBits() / bus);
        m.put("progCap", PROGRAM_CAPACITY);
        m.put("maxDim", decoder.maxDim());
        m.put("maxHidden", decoder.maxHidden());
        m.put("maxVec", (int) Math.min(Math.max(decoder.maxDim(), decoder.maxHidden()), act));
        m.put("maxHeadSize", decoder.maxHeadSize());
        m.put("maxSeqLen", decoder.maxSeqLen());
        m.put("rmsMaxDim", IntRmsNorm.MAX_DIM);
        m.put("statsSlotBytes", MemoryMap.statsSlotBytes(bus));
        m.put("expTable", expRows());
        m.put("inputs", INPUTS);
        m.put("outputs", OUTPUTS);
        m.put("ports", PORTS);
        m.put("memBeats", memory.totalBytes() / (bus / 8));
        // the test bench's memory map
        m.put("memBytes", memory.totalBytes());
        m.put("weightsBase", memory.weights().base());
        m.put("weightsBytes", image(Manifest.WEIGHTS_IMG).size());
        m.put("tablesBase", memory.tables().base());
        m.put("tablesBytes", image(Manifest.TABLES_IMG).size());
        m.put("programBase", memory.program().base());
        m.put("programBytes", image(Manifest.PROGRAM_IMG).size());
        m.put("statsBase", memory.stats().base());
        m.put("logitsBase", memory.logits().base());
        m.put("vocab", model.vocabSize());
        m.put("seqLen", model.seqLen());
        return m;
    }

    private Manifest.Image image(String name) {
        return manifest.images().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("manifest has no " + name));
    }

    /** IntExp's table, 16 values per printed line. */
    private static List<String> expRows() {
        int[] t = IntExp.table();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < t.length; i += 16) {
            StringBuilder b = new StringBuilder();
            for (int k = i; k < Math.min(t.length, i + 16); k++) {
                if (k > i) b.append(", ");
                b.append(t[k]);
            }
            rows.add(b.toString());
        }
        return rows;
    }
}
