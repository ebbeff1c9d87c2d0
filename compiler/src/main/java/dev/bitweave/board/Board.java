package dev.bitweave.board;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One real FPGA board, as described by {@code boards/<name>.json}. Field names and units
 * are those of the JSON (see {@code boards/README.md}); this record mirrors it one to one so
 * a descriptor reads the same in both places.
 *
 * @param name           identifier used on the command line and in manifests; equals the file stem
 * @param title          human-readable board name
 * @param vendor         who makes the board
 * @param part           device name as Vivado/Vitis or nextpnr spell it, e.g. xcu280-fsvh2892-2L-e
 * @param platform       Vitis platform (XRT shell) name; present exactly when hostInterface is xrt, else null
 * @param family         device family, which picks the Yosys flow and the DSP primitive
 * @param dsp            hard multiplier blocks
 * @param luts           look-up tables (LUT6 on Xilinx, LUT4 on iCE40)
 * @param ffs            flip-flops
 * @param bramBits       block RAM bits as the data sheets count them (36 Kb per Xilinx block, 4 Kb per iCE40 EBR)
 * @param uramBits       UltraRAM bits (288 Kb per block); 0 where the device has none
 * @param memory         the memory the weights stream from
 * @param busWidthBits   width of one accelerator memory port: one beat per kernel clock
 * @param memoryPorts    how many such ports the accelerator can open at once (HBM pseudo-channels,
 *                       DDR banks, Zynq HP ports); peak bandwidth needs all of them
 * @param kernelClockMHz default accelerator clock
 * @param hostInterface  how the host reaches the board
 * @param references     where each figure comes from
 */
public record Board(String name, String title, String vendor, String part, String platform,
                    Family family, Dsp dsp, long luts, long ffs, long bramBits, long uramBits,
                    Memory memory, int busWidthBits, int memoryPorts, double kernelClockMHz,
                    HostInterface hostInterface, List<Reference> references) {

    /** Board names reach file names, tcl and Verilog identifiers, so keep them plain. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public Board {
        // Null stays null so problems() can name it; anything else becomes immutable.
        references = references == null ? null : List.copyOf(references);
    }

    /** Device family; {@link #yosysName()} is what {@code synth_xilinx -family} or the ice40 flow expects. */
    public enum Family {
        XCUP("xcup", DspType.DSP48E2),
        XC7("xc7", DspType.DSP48E1),
        ICE40("ice40", DspType.SB_MAC16);

        private final String yosysName;
        private final DspType dspType;

        Family(String yosysName, DspType dspType) {
            this.yosysName = yosysName;
            this.dspType = dspType;
        }

        @JsonValue
        public String yosysName() {
            return yosysName;
        }

        /** The one DSP primitive every device of the family has. */
        public DspType dspType() {
            return dspType;
        }
    }

    public enum DspType {
        /** UltraScale+: 27x18 multiplier, 48-bit accumulator. */
        DSP48E2,
        /** 7-series: 25x18 multiplier, 48-bit accumulator. */
        DSP48E1,
        /** iCE40 UltraPlus: 16x16 multiplier, 32-bit accumulator. */
        SB_MAC16
    }

    public enum HostInterface {
        /** PCIe card driven through XRT (Alveo). */
        XRT("xrt"),
        /** Zynq PS drives the PL through a UIO device node and shared DDR. */
        ZYNQ_UIO("zynq-uio"),
        /** Stand-alone FPGA board: no host runtime driver, bitstream only. */
        NONE("none");

        private final String jsonName;

        HostInterface(String jsonName) {
            this.jsonName = jsonName;
        }

        @JsonValue
        public String jsonName() {
            return jsonName;
        }
    }

    /**
     * @param count DSP blocks on the device
     * @param type  their primitive
     */
    public record Dsp(int count, DspType type) {
    }

    /**
     * @param kind                        HBM2, DDR4, DDR3, DDR3L, SPRAM...
     * @param sizeBytes                   capacity the accelerator can address
     * @param peakBandwidthBytesPerSecond theoretical peak over all channels (data sheet figure or
     *                                    width x transfer rate); sustained rates are lower
     */
    public record Memory(String kind, long sizeBytes, long peakBandwidthBytesPerSecond) {
    }

    /**
     * @param what   the figure(s) sourced
     * @param source the document, and whether the figure was checked against it or is from memory
     */
    public record Reference(String what, String source) {
    }

    /** Bytes one port moves per kernel clock. */
    public int bytesPerBeat() {
        return busWidthBits / 8;
    }

    /** What one port can move at the kernel clock, before the memory limits it. */
    public double portBytesPerSecond() {
        return bytesPerBeat() * kernelClockMHz * 1e6;
    }

    /** The most the accelerator can stream: all ports at the kernel clock, capped by the memory's peak. */
    public double streamBytesPerSecond() {
        return Math.min(portBytesPerSecond() * memoryPorts, memory.peakBandwidthBytesPerSecond());
    }

    /**
     * Everything wrong with this descriptor as "$.json.path: problem" strings, or an empty list.
     * Only hard impossibilities and missing data; plausibility of the figures is for the tests.
     */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            p.add("$.name: expected lower-case letters, digits and '-', starting with a letter or digit");
        }
        requireText(p, "$.title", title);
        requireText(p, "$.vendor", vendor);
        requireText(p, "$.part", part);
        if (hostInterface == HostInterface.XRT) {
            requireText(p, "$.platform", platform);
        } else if (platform != null) {
            p.add("$.platform: only XRT boards have a Vitis platform; remove it or set hostInterface to xrt");
        }
        if (family == null) p.add("$.family: required");
        if (dsp == null) {
            p.add("$.dsp: required");
        } else {
            if (dsp.count() <= 0) p.add("$.dsp.count: expected a positive number");
            if (dsp.type() == null) {
                p.add("$.dsp.type: required");
            } else if (family != null && dsp.type() != family.dspType()) {
                p.add("$.dsp.type: " + family.yosysName() + " devices have " + family.dspType() + ", not " + dsp.type());
            }
        }
        if (luts <= 0) p.add("$.luts: expected a positive number");
        if (ffs <= 0) p.add("$.ffs: expected a positive number");
        if (bramBits <= 0) p.add("$.bramBits: expected a positive number");
        if (uramBits < 0) p.add("$.uramBits: expected zero or a positive number");
        if (uramBits > 0 && family != null && family != Family.XCUP) {
            p.add("$.uramBits: only UltraScale+ (xcup) devices have UltraRAM; expected 0");
        }
        if (memory == null) {
            p.add("$.memory: required");
        } else {
            requireText(p, "$.memory.kind", memory.kind());
            if (memory.sizeBytes() <= 0) p.add("$.memory.sizeBytes: expected a positive number");
            if (memory.peakBandwidthBytesPerSecond() <= 0) {
                p.add("$.memory.peakBandwidthBytesPerSecond: expected a positive number");
            }
        }
        // The overlay splits a beat into 2..8-bit lanes evenly, so the width must be a power of two.
        if (busWidthBits < 8 || Integer.bitCount(busWidthBits) != 1) {
            p.add("$.busWidthBits: expected a power of two, at least 8");
        }
        if (memoryPorts <= 0) p.add("$.memoryPorts: expected a positive number");
        if (!(kernelClockMHz > 0 && kernelClockMHz <= 1000)) {
            p.add("$.kernelClockMHz: expected a positive number of MHz, at most 1000");
        }
        if (hostInterface == null) p.add("$.hostInterface: required");
        if (references == null || references.isEmpty()) {
            p.add("$.references: expected at least one reference");
        } else {
            for (int i = 0; i < references.size(); i++) {
                Reference r = references.get(i);
                requireText(p, "$.references[" + i + "].what", r.what());
                requireText(p, "$.references[" + i + "].source", r.source());
            }
        }
        return p;
    }

    private static void requireText(List<String> problems, String path, String value) {
        if (value == null) {
            problems.add(path + ": required");
        } else if (value.isBlank()) {
            problems.add(path + ": expected a non-empty string");
        }
    }

    /** "a, b, c" for the JSON spellings of an enum, for error messages. */
    static String jsonNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(c -> c instanceof Family f ? f.yosysName()
                        : c instanceof HostInterface h ? h.jsonName()
                        : ((Enum<?>) c).name())
                .collect(Collectors.joining(", "));
    }
}
