package dev.bitweave.backend.rtl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.bitweave.backend.rtl.TestDesigns.verilog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerilogLintTest {

    @Test
    void cleanModulePasses() {
        LintReport r = VerilogLint.of("lint_clean", List.of(verilog("lint_clean"))).run();
        assertTrue(r.clean(), r.messages().toString());
        r.requireClean();
    }

    /** The designs the synthesis tests use are held to the same standard as generated RTL. */
    @ParameterizedTest
    @ValueSource(strings = {"mac_array", "mul_2x8", "sel_2x8", "line_buffer"})
    void synthesisTestDesignsAreLintClean(String module) {
        VerilogLint.of(module, List.of(verilog(module))).requireClean();
    }

    @Test
    void parameterOverridesReachVerilator() {
        VerilogLint lint = VerilogLint.of("mac_array", List.of(verilog("mac_array"))).withParameter("N", 4);
        assertTrue(lint.command().contains("-GN=4"), lint.command().toString());
        lint.requireClean();
    }

    @Test
    void widthMismatchAndUnusedSignalsAreReportedWithTheirLocations() {
        LintReport r = VerilogLint.of("lint_bad", List.of(verilog("lint_bad"))).run();
        assertEquals(List.of("WIDTH", "UNUSEDSIGNAL", "UNUSEDSIGNAL"), r.codes());
        LintMessage width = r.messages().get(0);
        assertEquals(LintMessage.Severity.WARNING, width.severity());
        assertTrue(width.file().endsWith("lint_bad.v"), width.file());
        assertEquals(9, width.line());
        assertTrue(width.message().contains("expects 4 bits"), width.message());
        assertEquals(6, r.messages().get(2).line());
        assertTrue(r.messages().get(2).message().contains("'spare'"));

        RtlToolException e = assertThrows(RtlToolException.class, r::requireClean);
        assertTrue(e.getMessage().contains("3 message(s) for lint_bad"), e.getMessage());
        for (LintMessage m : r.messages()) assertTrue(e.getMessage().contains(m.toString()), e.getMessage());
    }

    @Test
    void syntaxErrorsAreErrorMessagesNotACrash(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.v"), "module broken (input wire a);\n  assign = a;\nendmodule\n");
        LintReport r = VerilogLint.of("broken", List.of(broken)).run();
        assertFalse(r.clean());
        assertEquals(LintMessage.Severity.ERROR, r.messages().get(0).severity());
        assertEquals(2, r.messages().get(0).line());
        assertThrows(RtlToolException.class, r::requireClean);
    }

    @Test
    void parsesVerilatorOutputAndSkipsContextLines() {
        List<LintMessage> m = VerilogLint.parse(List.of(
                "%Warning-DECLFILENAME: rtl/a.v:1:8: Filename 'a' does not match MODULE name: 'b'",
                "    1 | module b (",
                "      |        ^",
                "                       ... For warning description see https://verilator.org/warn/DECLFILENAME?v=5.006",
                "%Warning-MULTITOP: Multiple top level modules",
                "%Error: rtl/a.v:2:10: syntax error, unexpected '='",
                "%Error-PINNOTFOUND: rtl/a.v:7: Pin not found: 'x'",
                "%Error: Exiting due to 2 error(s)"));
        assertEquals(List.of(
                new LintMessage(LintMessage.Severity.WARNING, "DECLFILENAME", "rtl/a.v", 1, 8,
                        "Filename 'a' does not match MODULE name: 'b'"),
                new LintMessage(LintMessage.Severity.WARNING, "MULTITOP", "", 0, 0, "Multiple top level modules"),
                new LintMessage(LintMessage.Severity.ERROR, "ERROR", "rtl/a.v", 2, 10, "syntax error, unexpected '='"),
                new LintMessage(LintMessage.Severity.ERROR, "PINNOTFOUND", "rtl/a.v", 7, 0, "Pin not found: 'x'")), m);
        assertEquals("%Error: rtl/a.v:2:10: syntax error, unexpected '='", m.get(2).toString());
        assertEquals("%Warning-MULTITOP: Multiple top level modules", m.get(1).toString());
    }

    @Test
    void missingVerilatorSaysHowToInstallIt() {
        RtlToolException e = assertThrows(RtlToolException.class, () -> VerilogLint
                .of("lint_clean", List.of(verilog("lint_clean"))).withExecutable("verilator-not-installed-here").run());
        assertTrue(e.getMessage().contains("apt-get install verilator"), e.getMessage());
    }

    @Test
    void refusesNamesThatAreNotPlainIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> VerilogLint.of("top; rm", List.of(verilog("lint_clean"))));
        assertThrows(IllegalArgumentException.class,
                () -> VerilogLint.of("lint_clean", List.of(verilog("lint_clean"))).withParameter("-Wno-all", 1));
    }
}
