package dev.bitweave.backend.rtl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated Verilog is lint-clean (verilator -Wall, zero warnings) across buses, widths and groups. */
class RtlGeneratorTest {
    private static final DecoderShape DECODER = DecoderShape.forModel(64, 172, 8, 512, 512, 128);

    @TempDir
    Path tmp;

    private static ArrayShape shape(int bus, String widths, String groups, boolean asym) {
        return shape(bus, widths, groups, asym, false, false);
    }

    private static ArrayShape shape(int bus, String widths, String groups, boolean asym, boolean fp4, boolean fp8) {
        TreeSet<Integer> w = new TreeSet<>();
        for (String s : widths.split(" ")) w.add(Integer.parseInt(s));
        List<ArrayShape.GroupMode> g = new ArrayList<>();
        for (int b : w) for (String lg : groups.split(" ")) g.add(new ArrayShape.GroupMode(b, Integer.parseInt(lg)));
        return new ArrayShape(bus, w, g, asym, 300, 700, 4 * bus, ArrayShape.allEntryShifts(bus, g), bus == 64 ? 40 : 64, fp4, fp8);
    }

    @ParameterizedTest(name = "bus {0}, widths {1}, log2 groups {2}, asym {3}")
    @CsvSource({
            "32,  8,       31,      false",
            "32,  2 3 4 8, 4 5 31,  true",
            "64,  4 8,     5 31,    true",
            "128, 2 3 4 8, 4 5 31,  true",
            "128, 3,       5,       false",
            "512, 2 4 8,   4 5 31,  true",
            "512, 8,       31,      false"})
    void lintClean(int bus, String widths, String groups, boolean asym) throws Exception {
        assertLintClean(shape(bus, widths, groups, asym));
    }

    /** fp4-e2m1 and fp8-e4m3 decoding in the 4- and 8-bit lanes, beside int widths that share those lanes or not. */
    @ParameterizedTest(name = "bus {0}, widths {1}, fp4 {2}, fp8 {3}")
    @CsvSource({"64, 4 8, true, false", "128, 2 3 4 8, true, true", "512, 4, true, false", "128, 8, false, true",
            "512, 4 8, false, true"})
    void lintCleanWithFloats(int bus, String widths, boolean fp4, boolean fp8) throws Exception {
        assertLintClean(shape(bus, widths, "4 5 31", true, fp4, fp8));
    }

    /** A build without fp4 layers is the same text as before fp4 existed (the synthesis cache keeps). */
    @Test
    void fp4AddsNothingUnlessUsed() {
        Map<String, String> without = RtlGenerator.generate(shape(128, "2 4 8", "4 5 31", true, false, false), DECODER);
        assertTrue(without.values().stream().noneMatch(v -> v.contains("cfg_fp") || v.contains("e2m1") || v.contains("e4m3")));
        assertTrue(RtlGenerator.generate(shape(128, "2 4 8", "4 5 31", true, true, false), DECODER).get("bw_linear.v").contains("e2m1_9"));
        assertTrue(RtlGenerator.generate(shape(128, "2 4 8", "4 5 31", true, false, true), DECODER).get("bw_linear.v").contains("e4m3("));
    }

    /** Packed lanes (docs/hardware.md) beside every other lane kind: 3-bit planes, fp4, narrow buses, asymmetric codes. */
    @ParameterizedTest(name = "bus {0}, widths {1}, fp4 {2}")
    @CsvSource({"64, 8, false", "64, 4 8, true", "128, 2 3 4 8, true", "512, 2 4 8, false", "512, 8, false"})
    void packedLanesAreLintClean(int bus, String widths, boolean fp4) throws Exception {
        ArrayShape s = shape(bus, widths, "4 5 31", true, fp4, false);
        assertEquals(java.util.Optional.empty(), s.packingRefusal());
        String linear = RtlGenerator.generate(s.withPackedLanes(), DECODER).get("bw_linear.v");
        assertTrue(linear.contains("pp_" + (bus / 16 - 1) + " = pa_") && !linear.contains("pp_" + bus / 16 + " "), "one multiplier per pair");
        assertFalse(RtlGenerator.generate(s, DECODER).get("bw_linear.v").contains("in_ready"), "unpacked arrays are unchanged");
        assertLintClean(s.withPackedLanes());
    }

    @Test
    void packingIsRefusedWhereItCannotWork() {
        assertTrue(shape(128, "2 4", "5 31", true).packingRefusal().orElseThrow().contains("no layer has 8-bit weights"));
        assertTrue(shape(128, "4 8", "5 31", false, false, true).packingRefusal().orElseThrow().contains("fp8-e4m3"));
        assertTrue(shape(128, "8", "0 5", false).packingRefusal().orElseThrow().contains("groups of one column"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RtlGenerator.generate(shape(128, "4", "5", false).withPackedLanes(), DECODER));
        assertTrue(e.getMessage().contains("cannot pack"));
    }

    private void assertLintClean(ArrayShape shape) throws Exception {
        Map<String, String> files = RtlGenerator.generate(shape, DECODER);
        assertEquals(RtlGenerator.MODULES.size(), files.size());
        List<Path> paths = new ArrayList<>();
        for (var e : files.entrySet()) {
            Path p = tmp.resolve(e.getKey());
            Files.writeString(p, e.getValue());
            paths.add(p);
        }
        LintReport r = VerilogLint.of("bitweave_top", paths).run();
        assertTrue(r.clean(), () -> "lint warnings: " + r.messages());
    }

    @ParameterizedTest(name = "bus {0}")
    @CsvSource({"64", "512"})
    void generationIsDeterministic(int bus) {
        assertEquals(RtlGenerator.generate(shape(bus, "2 4 8", "4 5 31", true), DECODER), RtlGenerator.generate(shape(bus, "2 4 8", "4 5 31", true), DECODER));
    }
}
