package dev.bitweave.backend.hls;

import dev.bitweave.backend.hls.StubTcl.Call;
import dev.bitweave.board.Board;
import dev.bitweave.board.BoardCatalog;
import dev.bitweave.runtime.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.bitweave.backend.hls.StubTcl.of;
import static dev.bitweave.backend.hls.StubTcl.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated Vitis/Vivado flow files, per board family, read by real parsers: the tcl scripts
 * run in tclsh with the vendor commands stubbed (StubTcl), the v++ configs through an INI reader
 * (CfgFile). No AMD tool runs here; these tests pin what the scripts ask the tools to do.
 */
class VitisFlowTest {
    /** The Vitis HLS commands run_hls.tcl may use; anything else is an unknown command. */
    private static final Set<String> VITIS_HLS = Set.of("open_project", "set_top", "add_files", "open_solution", "set_part",
            "create_clock", "set_clock_uncertainty", "config_interface", "config_export", "csim_design", "csynth_design",
            "cosim_design", "export_design", "close_solution", "close_project");
    /** The Vivado commands block_design.tcl may use. */
    private static final Set<String> VIVADO = Set.of("create_project", "set_property", "get_property", "current_project",
            "current_fileset", "update_ip_catalog", "get_ipdefs", "create_bd_design", "create_bd_cell", "get_bd_cells",
            "get_bd_pins", "get_bd_intf_pins", "connect_bd_intf_net", "connect_bd_net", "apply_bd_automation",
            "make_bd_intf_pins_external", "assign_bd_address", "validate_bd_design", "save_bd_design", "make_wrapper",
            "get_files", "add_files", "launch_runs", "wait_on_run", "write_hw_platform");
    private static final List<String> PORTS = List.of("wmem", "kvmem", "iomem");
    private static final List<String> BUNDLES = List.of("gmem_w", "gmem_kv", "gmem_io");

    @TempDir
    Path tmp;

    @BeforeAll
    static void tclshPresent() {
        // scripts/ensure-tools.sh installs Debian's tcl; without tclsh these tests cannot parse anything.
        assertTrue(Files.isExecutable(Path.of("/usr/bin/tclsh")) || onPath("tclsh"),
                "tclsh not found: apt-get install tcl (scripts/ensure-tools.sh does)");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Writes the flow of a board under tmp/build-NAME/hls and returns that hls directory. */
    private Path write(Board board) throws IOException {
        Path hls = tmp.resolve("build-" + board.name()).resolve(VitisFlow.BUILD_DIR);
        for (var e : VitisFlow.filesFor(board).entrySet()) {
            Path f = hls.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        return hls;
    }

    @ParameterizedTest(name = "{0}: run_hls.tcl all steps")
    @CsvSource({
            "alveo-u280, vitis,  3.333, xo",
            "alveo-u55c, vitis,  3.333, xo",
            "alveo-u250, vitis,  3.333, xo",
            "kria-kv260, vivado, 4,     ip_catalog",
            "zcu104,     vivado, 3.333, ip_catalog",
            "pynq-z2,    vivado, 10,    ip_catalog",
            "arty-a7-100t, vivado, 10,  ip_catalog",
    })
    void runHlsScriptSetsUpTheKernelForTheBoard(String name, String flowTarget, String period, String exportFormat) throws Exception {
        Board board = BoardCatalog.byName(name);
        Path hls = write(board);
        List<Call> calls = StubTcl.run(hls.resolve("run_hls.tcl"), VITIS_HLS, List.of("all"), tmp);

        assertEquals(List.of("bitweave_hls"), only(calls, "open_project").args());
        assertEquals(List.of("bitweave_kernel"), only(calls, "set_top").args());
        List<Call> sources = new ArrayList<>();
        Call tb = null;
        for (Call c : of(calls, "add_files")) {
            if (c.has("-tb")) tb = c;
            else sources.add(c);
        }
        assertEquals(List.of(hls.resolve("bitweave_kernel.cpp").toString(), hls.resolve("bitweave_kernel.h").toString()),
                sources.stream().map(c -> c.args().get(0)).toList(), "kernel sources, absolute, in hls/");
        for (Call c : of(calls, "add_files")) {
            assertFalse(c.args().stream().anyMatch(a -> a.endsWith("ap_int.h")), "the csim stand-in must not reach Vitis: " + c);
        }
        assertTrue(tb != null, "a test bench add_files -tb");
        assertEquals(hls.resolve("bitweave_tb.cpp").toString(), tb.value("-tb"));
        assertTrue(List.of(tb.value("-cflags").split(" ")).contains("-I" + hls), "test bench finds the kernel header: " + tb);

        Call solution = only(calls, "open_solution");
        assertEquals(flowTarget, solution.value("-flow_target"));
        assertEquals("solution", solution.last());
        assertEquals(List.of(board.part()), only(calls, "set_part").args());
        Call clock = only(calls, "create_clock");
        assertEquals(period, clock.value("-period"));
        assertEquals(1000.0 / board.kernelClockMHz(), Double.parseDouble(period), 0.001);

        // Test bench command line: <build_dir> <n_tokens> <logits_out>.
        List<String> argv = List.of(only(calls, "csim_design").value("-argv").split(" "));
        assertEquals(List.of(hls.getParent().toString(), hls.resolve(TestBenchArgs.DEFAULT_PREFIX).toString(), "--greedy",
                Integer.toString(TestBenchArgs.DEFAULT_TOKENS)), argv);
        assertEquals(argv, List.of(only(calls, "cosim_design").value("-argv").split(" ")));
        only(calls, "csynth_design");

        Call export = only(calls, "export_design");
        assertEquals(exportFormat, export.value("-format"));
        if (exportFormat.equals("xo")) {
            assertEquals(hls.resolve("bitweave_kernel.xo").toString(), export.value("-output"));
        } else {
            assertEquals(VitisFlow.IP.vlnv(), export.value("-vendor") + ":" + export.value("-library") + ":"
                    + export.value("-ipname") + ":" + export.value("-version"));
        }
        // Order: project and solution set up before any step; steps in flow order.
        List<String> order = calls.stream().map(Call::command).toList();
        assertTrue(order.indexOf("create_clock") < order.indexOf("csim_design"));
        assertTrue(order.indexOf("csim_design") < order.indexOf("csynth_design"));
        assertTrue(order.indexOf("csynth_design") < order.indexOf("cosim_design"));
        assertTrue(order.indexOf("cosim_design") < order.indexOf("export_design"));
    }

    @Test
    void runHlsScriptRunsOnlyTheStepsAskedFor() throws Exception {
        Path script = write(BoardCatalog.byName("alveo-u280")).resolve("run_hls.tcl");
        List<Call> csim = StubTcl.run(script, VITIS_HLS, List.of("csim"), tmp);
        assertEquals(1, of(csim, "csim_design").size());
        assertTrue(of(csim, "csynth_design").isEmpty() && of(csim, "cosim_design").isEmpty() && of(csim, "export_design").isEmpty());

        List<Call> defaults = StubTcl.run(script, VITIS_HLS, List.of(), tmp);
        assertEquals(Set.of("csim_design", "csynth_design", "export_design"), steps(defaults), "default: all but cosim");

        List<Call> reordered = StubTcl.run(script, VITIS_HLS, List.of("export", "csynth"), tmp);
        List<String> order = reordered.stream().map(Call::command).filter(c -> c.endsWith("_design")).toList();
        assertEquals(List.of("csynth_design", "export_design"), order, "steps run in flow order");

        StubTcl.Outcome bad = StubTcl.execute(script, VITIS_HLS, List.of("synth"), tmp);
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("unknown step 'synth'"), bad.stderr());
        assertTrue(bad.calls().isEmpty(), "nothing runs after a bad step name");
    }

    private static Set<String> steps(List<Call> calls) {
        Set<String> s = new HashSet<>();
        for (Call c : calls) if (c.command().endsWith("_design")) s.add(c.command());
        return s;
    }

    @Test
    void stubbedTclshRejectsCommandsNoToolHas() throws Exception {
        // The safety net of every tcl test here: an unknown command fails instead of passing silently.
        Path script = tmp.resolve("typo.tcl");
        Files.writeString(script, "open_project p\ncsim_desing -argv x\n");
        StubTcl.Outcome o = StubTcl.execute(script, VITIS_HLS, List.of(), tmp);
        assertEquals(3, o.exitCode());
        assertTrue(o.stderr().contains("UNKNOWN COMMAND csim_desing"), o.stderr());
    }

    @ParameterizedTest(name = "{0}: v++ configs")
    @CsvSource({
            "alveo-u280, HBM[0]",
            "alveo-u55c, HBM[0]",
            "alveo-u250, DDR[0]",
    })
    void alveoConfigsNameThePlatformPortsBankAndClock(String name, String bank) throws Exception {
        Board board = BoardCatalog.byName(name);
        Path hls = write(board);
        assertFalse(Files.exists(hls.resolve("vivado")), "no block design for an Alveo card");
        String hz = Long.toString(Math.round(board.kernelClockMHz() * 1e6));

        CfgFile compile = CfgFile.parse(Files.readString(hls.resolve("vitis/compile.cfg")));
        assertEquals(board.platform(), compile.one(CfgFile.GENERAL, "platform"));
        assertEquals("bitweave_kernel", compile.one(CfgFile.GENERAL, "kernel"));
        assertEquals(hz + ":bitweave_kernel", compile.one("hls", "clock"));

        CfgFile link = CfgFile.parse(Files.readString(hls.resolve("vitis/link.cfg")));
        assertEquals(board.platform(), link.one(CfgFile.GENERAL, "platform"));
        String[] nk = link.one("connectivity", "nk").split(":");
        assertEquals(List.of("bitweave_kernel", "1"), List.of(nk[0], nk[1]));
        String cu = nk[2];
        Map<String, String> sp = new HashMap<>();
        for (String s : link.all("connectivity", "sp")) {
            String[] portBank = s.split(":", 2);
            String[] cuPort = portBank[0].split("\\.", 2);
            assertEquals(cu, cuPort[0], "sp= names the compute unit of nk=: " + s);
            assertEquals(null, sp.put(cuPort[1], portBank[1]), "port mapped twice: " + s);
        }
        assertEquals(new LinkedHashSet<>(PORTS), new LinkedHashSet<>(sp.keySet()));
        assertEquals(Set.of(bank), new HashSet<>(sp.values()), "all ports in the one bank the drivers allocate in");
        assertEquals(hz + ":" + cu, link.one("clock", "freqHz"));
        assertEquals(Set.of("", "connectivity", "clock"), link.sections().keySet());
    }

    @ParameterizedTest(name = "{0}: block_design.tcl")
    @CsvSource({
            "kria-kv260, zynq_ultra_ps_e,    PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ, 250, S_AXI_HP{0}_FPD, PSU__SAXIGP{1}__DATA_WIDTH, 128",
            "zcu104,     zynq_ultra_ps_e,    PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ, 300, S_AXI_HP{0}_FPD, PSU__SAXIGP{1}__DATA_WIDTH, 128",
            "pynq-z2,    processing_system7, PCW_FPGA0_PERIPHERAL_FREQMHZ,        100, S_AXI_HP{0},     PCW_S_AXI_HP{0}_DATA_WIDTH, 64",
    })
    void zynqBlockDesignWiresTheKernelToThePs(String name, String psIp, String clockProperty, String mhz, String hpPattern,
                                              String widthPattern, String width) throws Exception {
        Board board = BoardCatalog.byName(name);
        Path hls = write(board);
        assertFalse(Files.exists(hls.resolve("vitis")), "no v++ configs for a Zynq board");
        Path script = hls.resolve("vivado/block_design.tcl");
        List<Call> calls = StubTcl.run(script, VIVADO, List.of(), tmp);

        Call project = only(calls, "create_project");
        assertEquals(board.part(), project.value("-part"));
        Call repo = of(calls, "set_property").get(0);
        assertEquals(List.of("ip_repo_paths", hls.resolve("bitweave_hls/solution/impl/ip").toString(), "stub_project"), repo.args());

        // Cells: name -> VLNV.
        Map<String, String> cells = new HashMap<>();
        for (Call c : of(calls, "create_bd_cell")) {
            assertEquals("ip", c.value("-type"));
            assertEquals(null, cells.put(c.last(), c.value("-vlnv")), "cell created twice: " + c);
        }
        assertEquals("xilinx.com:ip:" + psIp + ":1.0", cells.get("zynq_ps"));
        assertEquals(VitisFlow.IP.vlnv(), cells.get("bitweave_kernel_0"), "the IP run_hls.tcl exports");
        assertEquals("xilinx.com:ip:proc_sys_reset:1.0", cells.get("pl_reset"));

        Map<String, String> ps = properties(calls, "zynq_ps");
        assertEquals(mhz, ps.get("CONFIG." + clockProperty));

        // Interface nets as pairs of pins, each on a cell that exists.
        Map<String, String> nets = new HashMap<>();
        for (Call c : of(calls, "connect_bd_intf_net")) {
            assertEquals(2, c.args().size(), c.toString());
            for (String pin : c.args()) assertTrue(cells.containsKey(pin.split("/")[0]), "pin on an unknown cell: " + pin);
            nets.put(c.args().get(0), c.args().get(1));
        }
        String ctrlSmc = nets.get(ps.containsKey("CONFIG.PSU__USE__M_AXI_GP0") ? "zynq_ps/M_AXI_HPM0_FPD" : "zynq_ps/M_AXI_GP0");
        assertEquals("bitweave_kernel_0/s_axi_control", nets.get(ctrlSmc.replace("S00_AXI", "M00_AXI")));
        Set<String> hpUsed = new HashSet<>();
        for (int i = 0; i < BUNDLES.size(); i++) {
            String smcIn = nets.get("bitweave_kernel_0/m_axi_" + BUNDLES.get(i));
            assertTrue(smcIn != null && smcIn.endsWith("/S00_AXI"), "m_axi_" + BUNDLES.get(i) + " goes to a smartconnect: " + nets);
            String hp = nets.get(smcIn.replace("S00_AXI", "M00_AXI"));
            assertEquals("zynq_ps/" + java.text.MessageFormat.format(hpPattern, i), hp, "one HP port per m_axi port");
            hpUsed.add(hp);
            assertEquals("1", ps.get("CONFIG." + (psIp.equals("zynq_ultra_ps_e") ? "PSU__USE__S_AXI_GP" + (i + 2) : "PCW_USE_S_AXI_HP" + i)));
            assertEquals(width, ps.get("CONFIG." + java.text.MessageFormat.format(widthPattern, i, i + 2)));
        }
        assertEquals(3, hpUsed.size());

        // One clock net from the PS's PL clock reaching the kernel, every smartconnect and every used PS AXI port.
        String clockOut = psIp.equals("zynq_ultra_ps_e") ? "zynq_ps/pl_clk0" : "zynq_ps/FCLK_CLK0";
        Call clockNet = of(calls, "connect_bd_net").stream().filter(c -> c.args().get(0).equals(clockOut)).findFirst().orElseThrow();
        Set<String> clocked = new HashSet<>(clockNet.args());
        assertTrue(clocked.contains("bitweave_kernel_0/ap_clk"));
        for (String cell : cells.keySet()) {
            if (cells.get(cell).contains(":smartconnect:")) assertTrue(clocked.contains(cell + "/aclk"), cell + " unclocked");
        }
        for (String pin : clocked) assertTrue(cells.containsKey(pin.split("/")[0]), "clock pin on an unknown cell: " + pin);
        Call resetNet = of(calls, "connect_bd_net").stream().filter(c -> c.args().get(0).equals("pl_reset/peripheral_aresetn")).findFirst().orElseThrow();
        assertTrue(resetNet.args().contains("bitweave_kernel_0/ap_rst_n"));
        assertTrue(of(calls, "connect_bd_net").stream().anyMatch(c -> c.args().get(0).equals("bitweave_kernel_0/interrupt")));

        List<String> order = calls.stream().map(Call::command).toList();
        for (String step : List.of("assign_bd_address", "validate_bd_design", "save_bd_design", "make_wrapper", "launch_runs", "wait_on_run")) {
            assertTrue(order.contains(step), step + " missing");
        }
        assertTrue(order.indexOf("assign_bd_address") < order.indexOf("validate_bd_design"));
        assertTrue(order.indexOf("validate_bd_design") < order.indexOf("make_wrapper"));
        assertEquals("write_bitstream", only(calls, "launch_runs").value("-to_step"));
        assertEquals("bitweave_wrapper", of(calls, "set_property").stream().filter(c -> c.args().get(0).equals("top"))
                .findFirst().orElseThrow().args().get(1));
        assertTrue(of(calls, "write_hw_platform").isEmpty(), "no .xsa unless asked");
        if (psIp.equals("processing_system7")) {
            assertEquals("xilinx.com:bd_rule:processing_system7", only(calls, "apply_bd_automation").value("-rule"));
        } else {
            assertTrue(of(calls, "apply_bd_automation").isEmpty());
        }

        List<Call> designOnly = StubTcl.run(script, VIVADO, List.of("design"), tmp);
        assertTrue(of(designOnly, "launch_runs").isEmpty());
        only(designOnly, "make_wrapper");
        List<Call> xsa = StubTcl.run(script, VIVADO, List.of("xsa"), tmp);
        assertTrue(only(xsa, "write_hw_platform").has("-include_bit"));
        assertNotEquals(0, StubTcl.execute(script, VIVADO, List.of("bitsream"), tmp).exitCode());
    }

    /** The CONFIG.* properties set on a cell with set_property -dict. */
    private static Map<String, String> properties(List<Call> calls, String cell) {
        Map<String, String> props = new HashMap<>();
        for (Call c : of(calls, "set_property")) {
            if (c.has("-dict") && c.last().equals(cell)) {
                String[] words = c.value("-dict").trim().split("\\s+");
                for (int i = 0; i + 1 < words.length; i += 2) props.put(words[i], words[i + 1]);
            }
        }
        return props;
    }

    @Test
    void filesPerIntegration() throws Exception {
        assertEquals(Set.of("run_hls.tcl", "vitis/compile.cfg", "vitis/link.cfg", "README.md"),
                VitisFlow.filesFor(BoardCatalog.byName("alveo-u280")).keySet());
        assertEquals(Set.of("run_hls.tcl", "vivado/block_design.tcl", "README.md"),
                VitisFlow.filesFor(BoardCatalog.byName("kria-kv260")).keySet());
        assertEquals(Set.of("run_hls.tcl", "README.md"), VitisFlow.filesFor(BoardCatalog.byName("arty-a7-100t")).keySet());
        Map<String, String> ice40 = VitisFlow.filesFor(BoardCatalog.byName("ice40-up5k"));
        assertEquals(Set.of("README.md"), ice40.keySet());
        assertTrue(ice40.get("README.md").contains("iCE40UP5K-SG48ITR"));
    }

    @Test
    void readmeNamesTheBoardAndTheCommands() throws Exception {
        String u280 = VitisFlow.filesFor(BoardCatalog.byName("alveo-u280")).get("README.md");
        assertTrue(u280.contains("`xcu280-fsvh2892-2L-e`") && u280.contains("xilinx_u280_gen3x16_xdma_1_202211_1"));
        assertTrue(u280.contains("v++ -l -t hw --config vitis/link.cfg -o bitweave.xclbin bitweave_kernel.xo"));
        assertTrue(u280.contains("--driver xrt"));
        String pynq = VitisFlow.filesFor(BoardCatalog.byName("pynq-z2")).get("README.md");
        assertTrue(pynq.contains("vivado -mode batch -source vivado/block_design.tcl") && pynq.contains("--driver zynq"));
        assertFalse(pynq.contains("v++ -l"), "no link step for a Zynq board");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ice40-up5k"})
    void boardWithoutAnAmdDeviceIsRefusedByName(String name) {
        BadInputException e = assertThrows(BadInputException.class, () -> VitisFlow.forBoard(BoardCatalog.byName(name)));
        assertTrue(e.getMessage().startsWith("board " + name + " (") && e.getMessage().contains("no Vitis flow"), e.getMessage());
    }

    @Test
    void unknownBoardIsRefusedListingTheValidOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> VitisFlow.forBoard(BoardCatalog.byName("alveo-u999")));
        assertTrue(e.getMessage().contains("unknown board 'alveo-u999'") && e.getMessage().contains("alveo-u280"), e.getMessage());
    }

    @Test
    void badDescriptorIsRefusedWithItsJsonPath() {
        Board u280 = BoardCatalog.byName("alveo-u280");
        Board noPlatform = copy(u280, u280.part(), null);
        BadInputException e = assertThrows(BadInputException.class, () -> VitisFlow.forBoard(noPlatform));
        assertEquals("board alveo-u280: $.platform: required", e.getMessage());
        // A part that would run as tcl inside the scripts.
        Board injected = copy(u280, "xcu280[exec rm -rf ~]", u280.platform());
        e = assertThrows(BadInputException.class, () -> VitisFlow.forBoard(injected));
        assertTrue(e.getMessage().startsWith("board alveo-u280: $.part 'xcu280[exec rm -rf ~]' is not a plain word"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alveo-u250", "pynq-z2"})
    void boardTitleCannotEscapeItsComment(String name) throws Exception {
        // The title is free text printed in script comments: a newline or a trailing backslash in it
        // must not turn the rest into tcl (the stub tclsh fails on the unknown command if it does).
        Board b = BoardCatalog.byName(name);
        Board hostile = new Board(b.name(), "Evil\nrm_everything \\", b.vendor(), b.part(), b.platform(), b.family(), b.dsp(),
                b.luts(), b.ffs(), b.bramBits(), b.uramBits(), b.memory(), b.busWidthBits(), b.memoryPorts(), b.kernelClockMHz(),
                b.hostInterface(), b.references());
        Path hls = tmp.resolve("hostile").resolve(VitisFlow.BUILD_DIR);
        for (var e : VitisFlow.forBoard(hostile).files().entrySet()) {
            Path f = hls.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        StubTcl.run(hls.resolve("run_hls.tcl"), VITIS_HLS, List.of("csim"), tmp);
        if (Files.exists(hls.resolve("vivado"))) {
            assertEquals(1, of(StubTcl.run(hls.resolve("vivado/block_design.tcl"), VIVADO, List.of("design"), tmp), "create_project").size());
        } else {
            CfgFile link = CfgFile.parse(Files.readString(hls.resolve("vitis/link.cfg")));
            assertEquals(Set.of("", "connectivity", "clock"), link.sections().keySet());
        }
    }

    @Test
    void alveoWithMemoryVppCannotMapIsRefused() {
        Board b = BoardCatalog.byName("alveo-u250");
        Board plram = new Board(b.name(), b.title(), b.vendor(), b.part(), b.platform(), b.family(), b.dsp(), b.luts(), b.ffs(),
                b.bramBits(), b.uramBits(), new Board.Memory("PLRAM", 1 << 20, b.memory().peakBandwidthBytesPerSecond()),
                b.busWidthBits(), b.memoryPorts(), b.kernelClockMHz(), b.hostInterface(), b.references());
        BadInputException e = assertThrows(BadInputException.class, () -> VitisFlow.forBoard(plram));
        assertTrue(e.getMessage().startsWith("board alveo-u250: $.memory.kind: no v++ memory bank for PLRAM"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} MHz -> {1} ns, {2} Hz")
    @CsvSource({
            "300,    3.333, 300000000",
            "250,    4,     250000000",
            "100,    10,    100000000",
            "24,     41.666, 24000000",
            "333.33, 3,     333330000",
    })
    void clockPeriodRoundsDownSoHlsNeverTargetsASlowerClock(double mhz, String ns, long hz) {
        KernelClock c = new KernelClock(mhz);
        assertEquals(ns, c.periodNs());
        assertEquals(hz, c.hz());
        assertTrue(1000.0 / Double.parseDouble(ns) >= mhz, "period at most the board's");
    }

    private static Board copy(Board b, String part, String platform) {
        return new Board(b.name(), b.title(), b.vendor(), part, platform, b.family(), b.dsp(), b.luts(), b.ffs(), b.bramBits(),
                b.uramBits(), b.memory(), b.busWidthBits(), b.memoryPorts(), b.kernelClockMHz(), b.hostInterface(), b.references());
    }
}
